package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// ReportData is everything the consolidated report of one reporting cycle
// shows: the programme, its goals in order, their activities and every report
// task of the cycle with its latest submission. It is also what a closed
// cycle keeps (report_snapshot), as JSON: the tags are that format.
type ReportData struct {
	Biennium       string       `json:"biennium"`
	ProgrammeTitle string       `json:"programme_title"`
	Cycle          ReportCycle  `json:"cycle"`
	Goals          []ReportGoal `json:"goals"`
	// Texts are the programme's texts in the languages its file gave them
	// in, by subject ("programme", "goal/1", "activity/A1.2") and field
	// ("title", "description", "expected_outputs/0"); the fields above hold
	// each in its original language.
	Texts map[string]map[string]Text `json:"texts,omitempty"`
}

// ReportCycle is the reporting cycle a report is about, with the front
// matter it is issued under.
type ReportCycle struct {
	Name     string                  `json:"name"`
	Title    string                  `json:"title"`
	DueOn    time.Time               `json:"due_on"`
	ClosesOn time.Time               `json:"closes_on"`
	Status   cooperation.CycleStatus `json:"status"`
	ClosedAt *time.Time              `json:"closed_at"`
	CycleDocument
}

// ReportGoal is one strategic goal with the activities filed under it.
type ReportGoal struct {
	Number     int              `json:"number"`
	Title      string           `json:"title"`
	Activities []ReportActivity `json:"activities"`
}

// ReportCountry names a country by code and name.
type ReportCountry struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ReportActivity is one activity of the programme with its report tasks in the cycle.
type ReportActivity struct {
	Code            string                     `json:"code"`
	Title           string                     `json:"title"`
	Goal            int                        `json:"goal"`
	Status          cooperation.ActivityStatus `json:"status"`
	Lead            ReportCountry              `json:"lead"`
	Participants    []ReportCountry            `json:"participants"`
	ExpectedOutputs []string                   `json:"expected_outputs"`
	Tasks           []ReportTask               `json:"tasks"`
}

// ReportTask is one country's report task in the cycle.
type ReportTask struct {
	Country     ReportCountry          `json:"country"`
	Role        string                 `json:"role"` // lead | participant
	DueOn       time.Time              `json:"due_on"`
	Status      cooperation.TaskStatus `json:"status"`
	Late        bool                   `json:"late"`
	WaiveReason string                 `json:"waive_reason"`
	// Submission is the version that counts, nil when none.
	Submission *ReportSubmission `json:"submission"`
	// Versions are every version submitted, oldest first, each with the
	// secretariat's reviews of it.
	Versions []ReportVersion `json:"versions"`
	// Evidence is every file the task holds, whichever version carried it.
	Evidence []EvidenceFile `json:"evidence"`
}

// ReportSubmission is the version of a country's submission that counts.
type ReportSubmission struct {
	Version      int       `json:"version"`
	Status       string    `json:"status"`
	Progress     string    `json:"progress"`
	Results      string    `json:"results"`
	Difficulties string    `json:"difficulties"`
	NextSteps    string    `json:"next_steps"`
	SubmittedBy  string    `json:"submitted_by"`
	SubmittedAt  time.Time `json:"submitted_at"`
	Late         bool      `json:"late"`
	// Language is the language its texts were written in; "" when not
	// said, as in every version sent, and every snapshot kept, before the
	// portal asked.
	Language string `json:"language,omitempty"`
}

// ReportVersion is one submitted version of a task's report, as its
// history lists it.
type ReportVersion struct {
	Version     int            `json:"version"`
	Status      string         `json:"status"`
	SubmittedBy string         `json:"submitted_by"`
	SubmittedAt time.Time      `json:"submitted_at"`
	Late        bool           `json:"late"`
	Counted     bool           `json:"counted"`
	Reviews     []ReportReview `json:"reviews"`
}

// ReportReview is one decision of the secretariat on a version
// (table task_review).
type ReportReview struct {
	Decision   cooperation.TaskStatus `json:"decision"` // accepted | clarification_requested
	Comment    string                 `json:"comment"`
	DueOn      *time.Time             `json:"due_on"` // the new due date a clarification set
	ReviewedBy string                 `json:"reviewed_by"`
	ReviewedAt time.Time              `json:"reviewed_at"`
}

// LoadReportData reads what the report of cycle needs in eight queries whose
// number does not grow with the programme: a cycle of thousands of tasks
// loads as fast as the database can stream them. Activities appear when they
// have a task in the cycle or have passed committee approval. It returns
// ErrNotFound when the cycle does not exist.
func (s *Store) LoadReportData(ctx context.Context, biennium, cycle string) (ReportData, error) {
	d, err := s.loadReportHeader(ctx, biennium, cycle)
	if err != nil {
		return ReportData{}, err
	}
	if d.Goals, err = s.loadReportGoals(ctx, biennium); err != nil {
		return ReportData{}, err
	}
	acts, err := s.loadReportActivities(ctx, biennium, cycle)
	if err != nil {
		return ReportData{}, err
	}
	tasks, err := s.loadReportTasks(ctx, biennium, cycle)
	if err != nil {
		return ReportData{}, err
	}
	if err := s.loadReportVersions(ctx, biennium, cycle, tasks); err != nil {
		return ReportData{}, err
	}
	if d.Texts, err = s.loadTexts(ctx, biennium); err != nil {
		return ReportData{}, err
	}
	files, err := s.CycleEvidence(ctx, biennium, cycle)
	if err != nil {
		return ReportData{}, err
	}
	for _, f := range files {
		ts := tasks[f.Code]
		for i := range ts {
			if ts[i].Country.Code == f.Country {
				ts[i].Evidence = append(ts[i].Evidence, f)
			}
		}
	}
	for i := range acts {
		acts[i].Tasks = withRoles(tasks[acts[i].Code], acts[i].Lead.Code)
	}
	sort.SliceStable(acts, func(i, j int) bool { return naturalLess(acts[i].Code, acts[j].Code) })
	byGoal := make(map[int]int, len(d.Goals))
	for i, g := range d.Goals {
		byGoal[g.Number] = i
	}
	for _, a := range acts {
		d.Goals[byGoal[a.Goal]].Activities = append(d.Goals[byGoal[a.Goal]].Activities, a)
	}
	return d, nil
}

// withRoles marks the lead country's task and puts it first. The role comes
// from the activity already loaded rather than a join in the task query,
// whose plan then stays a straight index scan even before the planner has
// statistics on a freshly opened cycle.
func withRoles(tasks []ReportTask, lead string) []ReportTask {
	for i := range tasks {
		tasks[i].Role = "participant"
		if tasks[i].Country.Code == lead {
			tasks[i].Role = "lead"
		}
	}
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].Role == "lead" && tasks[j].Role != "lead" })
	return tasks
}

func (s *Store) loadReportHeader(ctx context.Context, biennium, cycle string) (ReportData, error) {
	d := ReportData{Biennium: biennium}
	c := &d.Cycle
	doc, err := scanDocument(s.db.QueryRow(ctx, `SELECT `+documentColumns+`, p.title, c.name, c.title, c.due_on, c.closes_on, c.status, c.closed_at
		FROM reporting_cycle c JOIN programme p ON p.biennium = c.biennium
		WHERE c.biennium = $1 AND c.name = $2`, biennium, cycle),
		&d.ProgrammeTitle, &c.Name, &c.Title, &c.DueOn, &c.ClosesOn, &c.Status, &c.ClosedAt)
	if err != nil {
		return ReportData{}, fmt.Errorf("load cycle %s/%s: %w", biennium, cycle, notFound(err))
	}
	c.CycleDocument = doc
	return d, nil
}

func (s *Store) loadReportGoals(ctx context.Context, biennium string) ([]ReportGoal, error) {
	rows, err := s.db.Query(ctx, `SELECT number, title FROM goal WHERE biennium = $1 ORDER BY number`, biennium)
	if err != nil {
		return nil, fmt.Errorf("load goals of %s: %w", biennium, err)
	}
	goals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportGoal, error) {
		var g ReportGoal
		err := r.Scan(&g.Number, &g.Title)
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("load goals of %s: %w", biennium, err)
	}
	return goals, nil
}

func (s *Store) loadReportActivities(ctx context.Context, biennium, cycle string) ([]ReportActivity, error) {
	rows, err := s.db.Query(ctx, `SELECT a.code, a.title, a.goal, a.status, a.lead_country, lc.name, a.expected_outputs,
			COALESCE(p.codes, '{}'), COALESCE(p.names, '{}')
		FROM activity a
		JOIN country lc ON lc.code = a.lead_country
		LEFT JOIN LATERAL (
			SELECT array_agg(ac.country ORDER BY ac.country) AS codes, array_agg(pc.name ORDER BY ac.country) AS names
			FROM activity_country ac JOIN country pc ON pc.code = ac.country
			WHERE ac.biennium = a.biennium AND ac.code = a.code AND ac.country <> a.lead_country
		) p ON true
		WHERE a.biennium = $1
		  AND (a.status IN ('approved', 'in_execution', 'completed', 'cancelled')
		       OR EXISTS (SELECT 1 FROM report_task t WHERE t.biennium = a.biennium AND t.cycle = $2 AND t.code = a.code))`,
		biennium, cycle)
	if err != nil {
		return nil, fmt.Errorf("load activities of %s: %w", biennium, err)
	}
	acts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportActivity, error) {
		var a ReportActivity
		var codes, names []string
		err := r.Scan(&a.Code, &a.Title, &a.Goal, &a.Status, &a.Lead.Code, &a.Lead.Name, &a.ExpectedOutputs, &codes, &names)
		for i := range codes {
			a.Participants = append(a.Participants, ReportCountry{Code: codes[i], Name: names[i]})
		}
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("load activities of %s: %w", biennium, err)
	}
	return acts, nil
}

// loadReportTasks returns the cycle's tasks by activity code and country.
// The submission that counts is the latest version the task accepted; where
// no version is marked counted, the latest stored one.
func (s *Store) loadReportTasks(ctx context.Context, biennium, cycle string) (map[string][]ReportTask, error) {
	rows, err := s.db.Query(ctx, `SELECT t.code, t.country, c.name, t.due_on, t.status, t.late, COALESCE(t.waive_reason, ''),
			s.version, s.status, s.progress, s.results, s.difficulties, s.next_steps, s.submitted_by, s.submitted_at, s.late,
			coalesce(s.language, '')
		FROM report_task t
		JOIN country c ON c.code = t.country
		LEFT JOIN LATERAL (
			SELECT * FROM submission s
			WHERE s.biennium = t.biennium AND s.cycle = t.cycle AND s.code = t.code AND s.country = t.country
			ORDER BY s.counted DESC, s.version DESC LIMIT 1
		) s ON true
		WHERE t.biennium = $1 AND t.cycle = $2
		ORDER BY t.code, t.country`, biennium, cycle)
	if err != nil {
		return nil, fmt.Errorf("load tasks of cycle %s/%s: %w", biennium, cycle, err)
	}
	defer rows.Close()
	tasks := make(map[string][]ReportTask)
	for rows.Next() {
		code, t, err := scanReportTask(rows)
		if err != nil {
			return nil, fmt.Errorf("load tasks of cycle %s/%s: %w", biennium, cycle, err)
		}
		tasks[code] = append(tasks[code], t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load tasks of cycle %s/%s: %w", biennium, cycle, err)
	}
	return tasks, nil
}

func scanReportTask(rows pgx.Rows) (string, ReportTask, error) {
	var (
		code                                    string
		t                                       ReportTask
		version                                 *int
		status, progress, results, difficulties *string
		nextSteps, submittedBy                  *string
		submittedAt                             *time.Time
		subLate                                 *bool
		language                                string
	)
	err := rows.Scan(&code, &t.Country.Code, &t.Country.Name, &t.DueOn, &t.Status, &t.Late, &t.WaiveReason,
		&version, &status, &progress, &results, &difficulties, &nextSteps, &submittedBy, &submittedAt, &subLate, &language)
	if err != nil || version == nil {
		return code, t, err
	}
	t.Submission = &ReportSubmission{
		Version: *version, Status: *status, Progress: *progress, Results: *results,
		Difficulties: *difficulties, NextSteps: *nextSteps, SubmittedBy: *submittedBy,
		SubmittedAt: *submittedAt, Late: *subLate, Language: language,
	}
	t.Late = t.Late || *subLate
	return code, t, nil
}

// loadReportVersions gives each task its history: every version submitted,
// oldest first, with the secretariat's reviews of it.
func (s *Store) loadReportVersions(ctx context.Context, biennium, cycle string, tasks map[string][]ReportTask) error {
	where := fmt.Sprintf("load the versions of cycle %s/%s", biennium, cycle)
	rows, err := s.db.Query(ctx, `SELECT code, country, id, version, status, submitted_by, submitted_at, late, counted
		FROM submission WHERE biennium = $1 AND cycle = $2 ORDER BY code, country, version`, biennium, cycle)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	type at struct{ task, version int }
	byID := map[int64]at{}
	var code, country string
	var id int64
	var v ReportVersion
	_, err = pgx.ForEachRow(rows, []any{&code, &country, &id, &v.Version, &v.Status, &v.SubmittedBy, &v.SubmittedAt, &v.Late, &v.Counted}, func() error {
		ts := tasks[code]
		for i := range ts {
			if ts[i].Country.Code == country {
				byID[id] = at{i, len(ts[i].Versions)}
				ts[i].Versions = append(ts[i].Versions, v)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	rows, err = s.db.Query(ctx, `SELECT r.code, r.submission_id, r.decision, r.comment, r.due_on, r.reviewed_by, r.reviewed_at
		FROM task_review r WHERE r.biennium = $1 AND r.cycle = $2 ORDER BY r.reviewed_at, r.id`, biennium, cycle)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	var r ReportReview
	_, err = pgx.ForEachRow(rows, []any{&code, &id, &r.Decision, &r.Comment, &r.DueOn, &r.ReviewedBy, &r.ReviewedAt}, func() error {
		if p, ok := byID[id]; ok {
			ver := &tasks[code][p.task].Versions[p.version]
			ver.Reviews = append(ver.Reviews, r)
		}
		r.DueOn = nil // scanned into afresh, never shared with the review kept
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// naturalLess orders activity codes the way people number them: A1.2 before A1.10.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		ca, ra := leadingChunk(a)
		cb, rb := leadingChunk(b)
		if ca != cb {
			na, errA := strconv.Atoi(ca)
			nb, errB := strconv.Atoi(cb)
			if errA == nil && errB == nil && na != nb {
				return na < nb
			}
			return ca < cb
		}
		a, b = ra, rb
	}
	return len(a) < len(b)
}

// leadingChunk splits s after its first run of digits or of non-digits.
func leadingChunk(s string) (string, string) {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	i := 1
	for i < len(s) && digit(s[i]) == digit(s[0]) {
		i++
	}
	return s[:i], s[i:]
}

// ReportRecipient is a secretariat user who receives the consolidated report.
type ReportRecipient struct {
	Email    string
	Name     string
	Language string
}

// ReportRecipients lists the secretariat's users, who receive every consolidated report.
func (s *Store) ReportRecipients(ctx context.Context) ([]ReportRecipient, error) {
	rows, err := s.db.Query(ctx, `SELECT p.email, p.name, p.language
		FROM secretariat_user u JOIN person p ON p.email = u.email ORDER BY p.email`)
	if err != nil {
		return nil, fmt.Errorf("list secretariat users: %w", err)
	}
	recipients, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ReportRecipient])
	if err != nil {
		return nil, fmt.Errorf("list secretariat users: %w", err)
	}
	return recipients, nil
}
