package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// DashboardActivity is one activity as the secretariat's dashboard and
// the list of a goal's activities show it. Overdue counts its report tasks
// past due in open cycles.
type DashboardActivity struct {
	Biennium    string                     `json:"biennium"`
	Goal        int                        `json:"goal"`
	GoalTitle   cooperation.TextSet        `json:"goal_title"`
	Code        string                     `json:"code"`
	Title       cooperation.TextSet        `json:"title"`
	LeadCountry string                     `json:"lead_country"`
	Status      cooperation.ActivityStatus `json:"status"`
	Overdue     int                        `json:"overdue"`
}

// StatusCount is how many activities of a goal have one status.
type StatusCount struct {
	Status cooperation.ActivityStatus `json:"status"`
	N      int                        `json:"n"`
}

// GoalSummary is one goal on the dashboard: its activities counted by
// status, and the few that need the secretariat's attention. Listing every
// activity of a large programme on the first page buried those few; the
// full list is GoalActivities.
type GoalSummary struct {
	Biennium string              `json:"biennium"`
	Number   int                 `json:"number"`
	Title    cooperation.TextSet `json:"title"`
	Total    int                 `json:"total"`
	Counts   []StatusCount       `json:"counts"`
	// Attention holds at most maxAttentionShown activities; AttentionTotal
	// counts them all.
	Attention      []DashboardActivity `json:"attention"`
	AttentionTotal int                 `json:"attention_total"`
}

// OverdueTask is a report task past its due date and not yet submitted.
type OverdueTask struct {
	Code    string `json:"code"`
	Country string `json:"country"`
	Due     string `json:"due"`
}

// DashboardCycle is a reporting cycle with its progress, open or closed:
// the dashboard lists every cycle, so that a closed one's report stays a
// click away.
type DashboardCycle struct {
	Biennium string                  `json:"biennium"`
	Name     string                  `json:"name"`
	Title    string                  `json:"title"`
	Status   cooperation.CycleStatus `json:"status"`
	Due      string                  `json:"due"`
	Closes   string                  `json:"closes"`
	// Symbol is the report's document symbol, with its revision.
	Symbol string `json:"symbol"`
	Total  int    `json:"total"`
	// Done counts tasks whose report is in (submitted, sent back for
	// clarification, or accepted) or waived.
	Done   int            `json:"done"`
	Counts map[string]int `json:"counts"`
	// Overdue is empty once the cycle is closed.
	Overdue []OverdueTask `json:"overdue"`
}

// Dashboard is what the secretariat sees first.
type Dashboard struct {
	Goals  []GoalSummary
	Cycles []DashboardCycle
}

// maxOverdueShown bounds the overdue list of one cycle on the dashboard; the
// cycle's page lists them all.
const maxOverdueShown = 200

// maxAttentionShown bounds the activities a goal shows on the dashboard as
// needing attention; the goal's list shows them all.
const maxAttentionShown = 50

// AttentionStatuses are the statuses of activities waiting on the
// committee or on a revision, which the dashboard brings forward.
var AttentionStatuses = cooperation.Words([]cooperation.ActivityStatus{cooperation.ActivityProposed,
	cooperation.ActivityUnderReview, cooperation.ActivityChangesRequested})

// Dashboard reads the goals with their counts, the activities that need
// attention and every cycle (open ones first, then the closed ones, the
// latest first), each bounded, so the page costs the same
// with ten activities or ten thousand. An activity needs attention when its
// status is one of AttentionStatuses or it has an overdue task; a task is
// overdue when its status says so or its due date is before today.
func (s *Store) Dashboard(ctx context.Context, today time.Time) (Dashboard, error) {
	goals, err := s.dashboardGoals(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	if err := s.dashboardAttention(ctx, today, goals); err != nil {
		return Dashboard{}, err
	}
	cycles, err := s.dashboardCycles(ctx, today)
	if err != nil {
		return Dashboard{}, err
	}
	return Dashboard{Goals: goals, Cycles: cycles}, nil
}

func (s *Store) dashboardGoals(ctx context.Context) ([]GoalSummary, error) {
	rows, err := s.db.Query(ctx, dashboardGoalsSQL)
	if err != nil {
		return nil, fmt.Errorf("read dashboard goals: %w", err)
	}
	defer rows.Close()
	var goals []GoalSummary
	for rows.Next() {
		var g GoalSummary
		var counts map[cooperation.ActivityStatus]int
		if err := rows.Scan(&g.Biennium, &g.Number, &g.Title, &counts); err != nil {
			return nil, fmt.Errorf("read dashboard goal: %w", err)
		}
		for _, st := range cooperation.ActivityStatuses {
			if n := counts[st]; n > 0 {
				g.Counts = append(g.Counts, StatusCount{Status: st, N: n})
				g.Total += n
			}
		}
		goals = append(goals, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read dashboard goals: %w", err)
	}
	return goals, nil
}

// dashboardAttention fills the attention list of each goal.
func (s *Store) dashboardAttention(ctx context.Context, today time.Time, goals []GoalSummary) error {
	st := DashboardSQL(today)[1]
	rows, err := s.db.Query(ctx, st.SQL, st.Args...)
	if err != nil {
		return fmt.Errorf("read dashboard attention: %w", err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var a DashboardActivity
		var total int
		if err := rows.Scan(&a.Biennium, &a.Goal, &a.GoalTitle, &a.Code, &a.Title, &a.LeadCountry, &a.Status, &a.Overdue, &total); err != nil {
			return fmt.Errorf("read dashboard attention: %w", err)
		}
		// Both lists are in the same goal order, so one pass pairs them.
		for i < len(goals) && (goals[i].Biennium != a.Biennium || goals[i].Number != a.Goal) {
			i++
		}
		if i == len(goals) {
			return fmt.Errorf("read dashboard attention: activity %s/%s has no goal summary", a.Biennium, a.Code)
		}
		goals[i].Attention = append(goals[i].Attention, a)
		goals[i].AttentionTotal = total
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read dashboard attention: %w", err)
	}
	return nil
}

func (s *Store) dashboardCycles(ctx context.Context, today time.Time) ([]DashboardCycle, error) {
	st := DashboardSQL(today)[2]
	rows, err := s.db.Query(ctx, st.SQL, st.Args...)
	if err != nil {
		return nil, fmt.Errorf("read dashboard cycles: %w", err)
	}
	defer rows.Close()
	var cycles []DashboardCycle
	for rows.Next() {
		var c DashboardCycle
		var counts, overdue []byte
		var revision int
		if err := rows.Scan(&c.Biennium, &c.Name, &c.Title, &c.Status, &c.Due, &c.Closes, &c.Symbol, &revision, &counts, &overdue); err != nil {
			return nil, fmt.Errorf("read dashboard cycle: %w", err)
		}
		if err := json.Unmarshal(counts, &c.Counts); err != nil {
			return nil, fmt.Errorf("decode counts of cycle %s: %w", c.Name, err)
		}
		if err := json.Unmarshal(overdue, &c.Overdue); err != nil {
			return nil, fmt.Errorf("decode overdue tasks of cycle %s: %w", c.Name, err)
		}
		c.Symbol = cooperation.RevisedSymbol(c.Symbol, revision)
		for status, n := range c.Counts {
			c.Total += n
			if st := cooperation.TaskStatus(status); st.Reported() || st == cooperation.TaskWaived {
				c.Done += n
			}
		}
		cycles = append(cycles, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read dashboard cycles: %w", err)
	}
	return cycles, nil
}

// ActivityPage is one page of a goal's activities, with how many there are.
type ActivityPage struct {
	Activities []DashboardActivity
	Total      int
}

// GoalQuery asks for one page of a goal's activities. Status, when set,
// keeps only the activities of that status; Today decides which tasks are
// overdue.
type GoalQuery struct {
	Biennium string
	Goal     int
	Status   cooperation.ActivityStatus
	Offset   int
	Limit    int
	Today    time.Time
}

// GoalActivities lists the activities of one goal by code: the full list
// behind a goal on the dashboard. ErrNotFound when the goal does not exist.
func (s *Store) GoalActivities(ctx context.Context, q GoalQuery) (ActivityPage, error) {
	where := fmt.Sprintf("list activities of goal %s/%d", q.Biennium, q.Goal)
	if q.Status != "" && !slices.Contains(cooperation.ActivityStatuses, q.Status) {
		return ActivityPage{}, fmt.Errorf("%s: unknown status %q (expected one of %v)", where, q.Status, cooperation.ActivityStatuses)
	}
	if q.Offset < 0 || q.Limit < 1 {
		return ActivityPage{}, fmt.Errorf("%s: bad page (offset %d, limit %d)", where, q.Offset, q.Limit)
	}
	var page ActivityPage
	err := s.db.QueryRow(ctx, `SELECT (SELECT count(*) FROM activity a
			WHERE a.biennium = g.biennium AND a.goal = g.number AND ($3 = '' OR a.status = $3))
		FROM goal g WHERE g.biennium = $1 AND g.number = $2`, q.Biennium, q.Goal, q.Status).Scan(&page.Total)
	if err != nil {
		return ActivityPage{}, fmt.Errorf("%s: %w", where, notFound(err))
	}
	rows, err := s.db.Query(ctx, `SELECT a.biennium, a.goal, `+goalTitleSQL("g")+`, a.code, `+activityTitleSQL("a")+`, a.lead_country, a.status,
			(SELECT count(*) FROM report_task t
			 JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle AND c.status = 'open'
			 WHERE t.biennium = a.biennium AND t.code = a.code
			   AND (t.status = 'overdue' OR (t.status = 'open' AND t.due_on < $6::date)))::int
		FROM activity a JOIN goal g ON g.biennium = a.biennium AND g.number = a.goal
		WHERE a.biennium = $1 AND a.goal = $2 AND ($3 = '' OR a.status = $3)
		ORDER BY a.code OFFSET $4 LIMIT $5`, q.Biennium, q.Goal, q.Status, q.Offset, q.Limit, q.Today.Format(time.DateOnly))
	if err != nil {
		return ActivityPage{}, fmt.Errorf("%s: %w", where, err)
	}
	page.Activities, err = pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardActivity])
	if err != nil {
		return ActivityPage{}, fmt.Errorf("%s: %w", where, err)
	}
	return page, nil
}

// Statement is one SQL statement with its arguments.
type Statement struct {
	SQL  string
	Args []any
}

// DashboardSQL is every statement Dashboard runs, in order, with its
// arguments, so that a benchmark measures the dashboard against exactly
// the SQL it runs.
func DashboardSQL(today time.Time) []Statement {
	day := today.Format(time.DateOnly)
	return []Statement{
		{SQL: dashboardGoalsSQL},
		{SQL: dashboardAttentionSQL, Args: []any{day, maxAttentionShown, AttentionStatuses}},
		{SQL: dashboardCyclesSQL, Args: []any{day, maxOverdueShown}},
	}
}

var dashboardGoalsSQL = `SELECT a.biennium, a.goal, ` + goalTitleSQL("g") + `, jsonb_object_agg(a.status, a.n)
		FROM (SELECT biennium, goal, status, count(*) AS n FROM activity GROUP BY biennium, goal, status) a
		JOIN goal g ON g.biennium = a.biennium AND g.number = a.goal
		GROUP BY a.biennium, a.goal, g.biennium, g.number, g.title
		ORDER BY a.biennium DESC, a.goal`

// The titles' languages are read for the rows shown only, outside the
// numbering of every activity that waits.
var dashboardAttentionSQL = `SELECT biennium, goal,
			` + textSetSQL("x.biennium", "'goal/' || x.goal", "'title'", "x.goal_title") + `, code,
			` + textSetSQL("x.biennium", "'activity/' || x.code", "'title'", "x.title") + `, lead_country, status, overdue, total FROM (
			SELECT a.biennium, a.goal, g.title AS goal_title, a.code, a.title, a.lead_country, a.status,
				coalesce(o.n, 0)::int AS overdue,
				row_number() OVER (PARTITION BY a.biennium, a.goal ORDER BY a.code) AS rn,
				count(*) OVER (PARTITION BY a.biennium, a.goal)::int AS total
			FROM activity a
			JOIN goal g ON g.biennium = a.biennium AND g.number = a.goal
			LEFT JOIN (
				SELECT t.biennium, t.code, count(*) AS n FROM report_task t
				JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle AND c.status = 'open'
				WHERE t.status = 'overdue' OR (t.status = 'open' AND t.due_on < $1::date)
				GROUP BY t.biennium, t.code
			) o ON o.biennium = a.biennium AND o.code = a.code
			WHERE a.status = ANY($3) OR o.n > 0
		) x WHERE rn <= $2
		ORDER BY biennium DESC, goal, code`

const dashboardCyclesSQL = `SELECT c.biennium, c.name, c.title, c.status, c.due_on::text, c.closes_on::text,
			c.symbol, c.revision, coalesce(t.counts, '{}'::jsonb), coalesce(o.overdue, '[]'::jsonb)
		FROM reporting_cycle c
		LEFT JOIN LATERAL (
			SELECT jsonb_object_agg(status, n) AS counts FROM (
				SELECT status, count(*) AS n FROM report_task
				WHERE biennium = c.biennium AND cycle = c.name GROUP BY status) s
		) t ON true
		LEFT JOIN LATERAL (
			SELECT jsonb_agg(jsonb_build_object('code', code, 'country', country, 'due', due_on::text)
				ORDER BY due_on, code, country) AS overdue FROM (
				SELECT code, country, due_on FROM report_task
				WHERE biennium = c.biennium AND cycle = c.name AND c.status = 'open'
				  AND (status = 'overdue' OR (status = 'open' AND due_on < $1::date))
				ORDER BY due_on, code, country LIMIT $2) od
		) o ON true
		ORDER BY c.status <> 'open', CASE WHEN c.status = 'open' THEN c.due_on END, c.closed_at DESC, c.biennium, c.name`
