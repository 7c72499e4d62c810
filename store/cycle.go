package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// ErrCycleExists refuses a second cycle with the same biennium and name.
var ErrCycleExists = errors.New("cycle already exists")

// ErrTaskClosed refuses a change to a task that is waived, missing, or whose cycle is closed.
var ErrTaskClosed = errors.New("task no longer accepts changes")

// ValidCycleName tells whether name may name a reporting cycle, the one rule
// the portal's form and the command line share with the database's CHECK.
func ValidCycleName(name string) bool { return cooperation.CycleName("name", name) == nil }

// Cycle is one reporting cycle. Dates are calendar days: a task due on a day
// may be submitted until that day ends (UTC); the cycle closes when its
// closing day ends.
type Cycle struct {
	Biennium string                  `json:"biennium" db:"biennium"`
	Name     string                  `json:"name" db:"name"`
	Title    string                  `json:"title" db:"title"`
	DueOn    time.Time               `json:"due_on" db:"due_on"`
	ClosesOn time.Time               `json:"closes_on" db:"closes_on"`
	Status   cooperation.CycleStatus `json:"status" db:"status"`
	OpenedAt time.Time               `json:"opened_at" db:"opened_at"`
	ClosedAt *time.Time              `json:"closed_at" db:"closed_at"`
}

// DayEnd is the instant a calendar day ends (UTC): when a due date has passed.
func DayEnd(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
}

// OpenCycle writes a new open cycle. The primary key makes a second cycle of
// the same name impossible, even when two commands race. A zero closes means
// one month after due. A value that breaks the cycle rules is refused with
// ErrInvalid and a cooperation.FieldError naming the field.
func (s *Store) OpenCycle(ctx context.Context, biennium, name, title string, due, closes time.Time) (Cycle, error) {
	if closes.IsZero() {
		closes = due.AddDate(0, 1, 0)
	}
	if err := validateCycle(biennium, name, title, due, closes); err != nil {
		return Cycle{}, err
	}
	rows, err := s.db.Query(ctx, `INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status)
		SELECT $1, $2, $3, $4, $5, 'open' FROM programme WHERE biennium = $1
		RETURNING biennium, name, title, due_on, closes_on, status, opened_at, closed_at`,
		biennium, name, title, due, closes)
	if err != nil {
		return Cycle{}, fmt.Errorf("open cycle %s/%s: %w", biennium, name, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Cycle])
	switch {
	case IsUniqueViolation(err):
		existing, gerr := s.GetCycle(ctx, biennium, name)
		if gerr == nil && existing.Status == cooperation.CycleClosed {
			return Cycle{}, fmt.Errorf("cycle %s/%s is already closed: %w", biennium, name, ErrCycleExists)
		}
		return Cycle{}, fmt.Errorf("cycle %s/%s is already open: %w", biennium, name, ErrCycleExists)
	case errors.Is(err, pgx.ErrNoRows):
		return Cycle{}, fmt.Errorf("%w: no programme for biennium %s", ErrNotFound, biennium)
	case err != nil:
		return Cycle{}, fmt.Errorf("open cycle %s/%s: %w", biennium, name, err)
	}
	return c, nil
}

// ForgetCycle deletes a cycle just opened whose workflow could not be
// started, so that opening it fails whole rather than half. A cycle with
// any report task, or no longer open, is kept: its workflow ran.
func (s *Store) ForgetCycle(ctx context.Context, biennium, name string) (bool, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM reporting_cycle c WHERE biennium = $1 AND name = $2 AND status = 'open'
		AND NOT EXISTS (SELECT 1 FROM report_task t WHERE t.biennium = c.biennium AND t.cycle = c.name)`, biennium, name)
	if err != nil {
		return false, fmt.Errorf("forget cycle %s/%s: %w", biennium, name, err)
	}
	return tag.RowsAffected() == 1, nil
}

func validateCycle(biennium, name, title string, due, closes time.Time) error {
	b, err := cooperation.ParseBiennium("biennium", biennium)
	if err == nil {
		err = cooperation.CycleName("name", name)
	}
	if err == nil {
		err = cooperation.Line("title", title, cooperation.MaxCycleTitle, false)
	}
	if err == nil {
		err = cooperation.Within("due", due, b.Starts(), due)
	}
	if err == nil && closes.Before(due) {
		err = &cooperation.FieldError{Field: "closes", Key: cooperation.ErrOrder,
			Detail: fmt.Sprintf("%s is before the due date %s", closes.Format(time.DateOnly), due.Format(time.DateOnly))}
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

const cycleColumns = `biennium, name, title, due_on, closes_on, status, opened_at, closed_at`

// GetCycle returns one cycle or ErrNotFound.
func (s *Store) GetCycle(ctx context.Context, biennium, name string) (Cycle, error) {
	rows, err := s.db.Query(ctx, `SELECT `+cycleColumns+` FROM reporting_cycle WHERE biennium = $1 AND name = $2`, biennium, name)
	if err != nil {
		return Cycle{}, fmt.Errorf("get cycle %s/%s: %w", biennium, name, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Cycle])
	if err != nil {
		return Cycle{}, fmt.Errorf("get cycle %s/%s: %w", biennium, name, notFound(err))
	}
	return c, nil
}

// ListCycles returns the cycles of a biennium, oldest first.
func (s *Store) ListCycles(ctx context.Context, biennium string) ([]Cycle, error) {
	rows, err := s.db.Query(ctx, `SELECT `+cycleColumns+` FROM reporting_cycle WHERE biennium = $1 ORDER BY opened_at, name`, biennium)
	if err != nil {
		return nil, fmt.Errorf("list cycles of %s: %w", biennium, err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Cycle])
	if err != nil {
		return nil, fmt.Errorf("list cycles of %s: %w", biennium, err)
	}
	return cs, nil
}

// CloseCycle marks the cycle closed and every task still open or overdue
// missing, in one statement each; a second call changes nothing. It returns
// how many tasks became missing.
func (s *Store) CloseCycle(ctx context.Context, biennium, name string) (missing int64, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `UPDATE reporting_cycle SET status = 'closed', closed_at = now()
			WHERE biennium = $1 AND name = $2 AND status = 'open'`, biennium, name); err != nil {
			return err
		}
		// One audit line per task, under the key the task's own activity
		// uses, so a task that records its closing later adds none.
		return tx.db.QueryRow(ctx, `WITH closed AS (
				UPDATE report_task SET status = 'missing', updated_at = now()
				WHERE biennium = $1 AND cycle = $2 AND status IN ('open', 'overdue')
				RETURNING biennium || '/' || cycle || '/' || code || '/' || country AS k),
			audited AS (
				INSERT INTO audit_log (actor, subject, action, detail, dedup_key)
				SELECT 'system', 'task/' || k, 'task_missing', '{"reason": "cycle closed"}', 'task-missing/' || k
				FROM closed ON CONFLICT (dedup_key) DO NOTHING),
			-- A request for more time is moot once the cycle is closed.
			unasked AS (
				UPDATE extension_request SET status = 'withdrawn', answer = 'the cycle closed', answered_by = 'system', answered_at = now()
				WHERE biennium = $1 AND cycle = $2 AND status = 'pending')
			SELECT count(*) FROM closed`, biennium, name).Scan(&missing)
	})
	if err != nil {
		return 0, fmt.Errorf("close cycle %s/%s: %w", biennium, name, err)
	}
	return missing, nil
}

// CycleTargets returns, in (code, country) order, up to limit pairs after
// `after` of every activity in execution in the biennium: its lead and
// its participants.
func (s *Store) CycleTargets(ctx context.Context, biennium string, after cooperation.Target, limit int) ([]cooperation.Target, error) {
	return s.CycleTargetsOf(ctx, biennium, "", after, limit)
}

// CycleTargetsOf is CycleTargets with, for each pair, the status and due
// date of cycle's task when it exists.
func (s *Store) CycleTargetsOf(ctx context.Context, biennium, cycle string, after cooperation.Target, limit int) ([]cooperation.Target, error) {
	rows, err := s.db.Query(ctx, `SELECT t.code, t.country, coalesce(rt.status, '') AS status,
			coalesce(to_char(rt.due_on, 'YYYY-MM-DD'), '') AS due FROM (
			SELECT a.code, a.lead_country AS country FROM activity a
			WHERE a.biennium = $1 AND a.status = 'in_execution'
			UNION
			SELECT ac.code, ac.country FROM activity_country ac JOIN activity a USING (biennium, code)
			WHERE a.biennium = $1 AND a.status = 'in_execution'
		) t LEFT JOIN report_task rt ON rt.biennium = $1 AND rt.cycle = $5 AND rt.code = t.code AND rt.country = t.country
		WHERE (t.code, t.country) > ($2, $3) ORDER BY t.code, t.country LIMIT $4`,
		biennium, after.Code, after.Country, limit, cycle)
	if err != nil {
		return nil, fmt.Errorf("list targets of %s: %w", biennium, err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[cooperation.Target])
	if err != nil {
		return nil, fmt.Errorf("list targets of %s: %w", biennium, err)
	}
	return ts, nil
}

// Recipient is a person to write to.
type Recipient struct {
	Email    string `json:"email" db:"email"`
	Name     string `json:"name" db:"name"`
	Language string `json:"language" db:"language"`
	// TimeZone is an IANA name: pages show this person's times in it.
	TimeZone string `json:"time_zone" db:"time_zone"`
}

// focalPointsSQL reads who answers a country's report tasks: its focal
// points, and whoever one of them named to act for them today (a
// delegation): invitations go to both, and either's link opens the task.
var focalPointsSQL = `SELECT p.email, p.name, p.language, p.time_zone FROM (
		SELECT f.email FROM focal_point f WHERE f.biennium = $1 AND f.country = $2
		UNION SELECT g.delegate FROM focal_point f JOIN delegation g ON g.person = f.email AND g.ended_at IS NULL
			AND ` + delegationOnSQL("now()") + `
		WHERE f.biennium = $1 AND f.country = $2) w
	JOIN person p ON p.email = w.email ORDER BY p.email`

// FocalPoints returns the focal points of a country for a biennium, with
// the delegates of those away today.
func (s *Store) FocalPoints(ctx context.Context, biennium, country string) ([]Recipient, error) {
	rows, err := s.db.Query(ctx, focalPointsSQL, biennium, country)
	if err != nil {
		return nil, fmt.Errorf("list focal points of %s in %s: %w", country, biennium, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Recipient])
}

// Secretariat returns every secretariat user, who receive notices about cycles.
func (s *Store) Secretariat(ctx context.Context) ([]Recipient, error) {
	rows, err := s.db.Query(ctx, `SELECT p.email, p.name, p.language, p.time_zone FROM secretariat_user u
		JOIN person p ON p.email = u.email ORDER BY p.email`)
	if err != nil {
		return nil, fmt.Errorf("list secretariat: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Recipient])
}

// CycleCounts returns how many tasks of the cycle are in each status; every
// status is present, zero or not.
func (s *Store) CycleCounts(ctx context.Context, biennium, name string) (map[cooperation.TaskStatus]int, error) {
	rows, err := s.db.Query(ctx, `SELECT status, count(*) FROM report_task
		WHERE biennium = $1 AND cycle = $2 GROUP BY status`, biennium, name)
	if err != nil {
		return nil, fmt.Errorf("count tasks of %s/%s: %w", biennium, name, err)
	}
	counts := make(map[cooperation.TaskStatus]int, len(cooperation.TaskStatuses))
	for _, st := range cooperation.TaskStatuses {
		counts[st] = 0
	}
	var status cooperation.TaskStatus
	var n int
	_, err = pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		counts[status] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count tasks of %s/%s: %w", biennium, name, err)
	}
	return counts, nil
}

// Task is one report task: what one country owes for one activity in one cycle.
type Task struct {
	Biennium    string                 `json:"biennium" db:"biennium"`
	Cycle       string                 `json:"cycle" db:"cycle"`
	Code        string                 `json:"code" db:"code"`
	Country     string                 `json:"country" db:"country"`
	DueOn       time.Time              `json:"due_on" db:"due_on"`
	Status      cooperation.TaskStatus `json:"status" db:"status"`
	Late        bool                   `json:"late" db:"late"`
	WaiveReason *string                `json:"waive_reason" db:"waive_reason"`
	CreatedAt   time.Time              `json:"created_at" db:"created_at"`
	UpdatedAt   time.Time              `json:"updated_at" db:"updated_at"`
}

// Key returns the task's name.
func (t Task) Key() cooperation.TaskKey {
	return cooperation.TaskKey{Biennium: t.Biennium, Cycle: t.Cycle, Code: t.Code, Country: t.Country}
}

// TaskDetail is a task with what its messages mention.
type TaskDetail struct {
	Task
	ActivityTitle cooperation.TextSet     `json:"activity_title"`
	CycleTitle    string                  `json:"cycle_title"`
	CycleStatus   cooperation.CycleStatus `json:"cycle_status"`
	ClosesOn      time.Time               `json:"closes_on"`
	Extensions    int                     `json:"extensions"`
}

// TaskFilter narrows ListTasks; empty fields match everything.
type TaskFilter struct {
	Status cooperation.TaskStatus `json:"status"`
}

const taskColumns = `biennium, cycle, code, country, due_on, status, late, waive_reason, created_at, updated_at`

const taskWhere = ` WHERE biennium = $1 AND cycle = $2 AND code = $3 AND country = $4`

func (s *Store) queryTasks(ctx context.Context, sql string, args ...any) ([]Task, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Task])
}

// EnsureTask writes the task's row if it does not exist yet and returns the
// row as it stands; created says whether this call wrote it. A retried or
// restarted task workflow therefore finds its own state.
func (s *Store) EnsureTask(ctx context.Context, k cooperation.TaskKey, due time.Time) (t Task, created bool, err error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO report_task (biennium, cycle, code, country, due_on, status)
		VALUES ($1, $2, $3, $4, $5, 'open') ON CONFLICT DO NOTHING`, k.Biennium, k.Cycle, k.Code, k.Country, due)
	if err != nil {
		return Task{}, false, fmt.Errorf("write task %s: %w", k, err)
	}
	t, err = s.GetTask(ctx, k)
	return t, tag.RowsAffected() == 1, err
}

// GetTask returns one task or ErrNotFound.
func (s *Store) GetTask(ctx context.Context, k cooperation.TaskKey) (Task, error) {
	ts, err := s.queryTasks(ctx, `SELECT `+taskColumns+` FROM report_task`+taskWhere, k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return Task{}, fmt.Errorf("get task %s: %w", k, err)
	}
	if len(ts) == 0 {
		return Task{}, fmt.Errorf("get task %s: %w", k, ErrNotFound)
	}
	return ts[0], nil
}

// taskDetailSQL reads a task with its activity's and cycle's titles and its
// number of extensions, in one join.
var taskDetailSQL = `SELECT t.biennium, t.cycle, t.code, t.country, t.due_on, t.status, t.late, t.waive_reason,
		t.created_at, t.updated_at, ` + activityTitleSQL("a") + `, c.title, c.status, c.closes_on,
		(SELECT count(*) FROM extension e WHERE e.biennium = $1 AND e.cycle = $2 AND e.code = $3 AND e.country = $4)
	FROM report_task t
	JOIN activity a ON a.biennium = t.biennium AND a.code = t.code
	JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
	WHERE t.biennium = $1 AND t.cycle = $2 AND t.code = $3 AND t.country = $4`

func scanTaskDetail(row pgx.Row) (TaskDetail, error) {
	var d TaskDetail
	err := row.Scan(&d.Biennium, &d.Cycle, &d.Code, &d.Country, &d.DueOn, &d.Status, &d.Late, &d.WaiveReason,
		&d.CreatedAt, &d.UpdatedAt, &d.ActivityTitle, &d.CycleTitle, &d.CycleStatus, &d.ClosesOn, &d.Extensions)
	return d, err
}

// GetTaskDetail returns the task with its activity's and cycle's titles and
// its number of extensions (the SEQUENCE of its calendar event).
func (s *Store) GetTaskDetail(ctx context.Context, k cooperation.TaskKey) (TaskDetail, error) {
	d, err := scanTaskDetail(s.db.QueryRow(ctx, taskDetailSQL, k.Biennium, k.Cycle, k.Code, k.Country))
	if err != nil {
		return TaskDetail{}, fmt.Errorf("get task %s: %w", k, notFound(err))
	}
	return d, nil
}

// ListTasks returns the tasks of a cycle in (code, country) order.
func (s *Store) ListTasks(ctx context.Context, biennium, name string, f TaskFilter) ([]Task, error) {
	ts, err := s.queryTasks(ctx, `SELECT `+taskColumns+` FROM report_task
		WHERE biennium = $1 AND cycle = $2 AND ($3 = '' OR status = $3) ORDER BY code, country`, biennium, name, f.Status)
	if err != nil {
		return nil, fmt.Errorf("list tasks of %s/%s: %w", biennium, name, err)
	}
	return ts, nil
}

// MarkTaskOverdue makes an open task overdue, but only while its due date is
// still due: an extension granted meanwhile wins. It tells whether it changed the row.
func (s *Store) MarkTaskOverdue(ctx context.Context, k cooperation.TaskKey, due time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE report_task SET status = 'overdue', updated_at = now()`+taskWhere+
		` AND status = 'open' AND due_on = $5`, k.Biennium, k.Cycle, k.Code, k.Country, due)
	if err != nil {
		return false, fmt.Errorf("mark task %s overdue: %w", k, err)
	}
	return tag.RowsAffected() == 1, nil
}

// MarkTaskMissing records that an open or overdue task got no submission.
func (s *Store) MarkTaskMissing(ctx context.Context, k cooperation.TaskKey) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE report_task SET status = 'missing', updated_at = now()`+taskWhere+
		` AND status IN ('open', 'overdue')`, k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return false, fmt.Errorf("mark task %s missing: %w", k, err)
	}
	return tag.RowsAffected() == 1, nil
}

// WaiveTask releases the country from an open or overdue task.
func (s *Store) WaiveTask(ctx context.Context, k cooperation.TaskKey, reason string) (Task, error) {
	if strings.TrimSpace(reason) == "" || utf8.RuneCountInString(reason) > 2000 {
		return Task{}, fmt.Errorf("%w: waive task %s: reason: 1 to 2000 characters", ErrInvalid, k)
	}
	if err := s.lockTaskRow(ctx, k); err != nil {
		return Task{}, fmt.Errorf("waive task %s: %w", k, err)
	}
	t, err := s.GetTask(ctx, k)
	if err != nil {
		return Task{}, err
	}
	if t.Status == cooperation.TaskWaived {
		return t, nil
	}
	if !t.Status.Awaited() {
		return Task{}, fmt.Errorf("waive task %s: it is %s: %w", k, t.Status, ErrTaskClosed)
	}
	_, err = s.db.Exec(ctx, `UPDATE report_task SET status = 'waived', waive_reason = $5, updated_at = now()`+taskWhere,
		k.Biennium, k.Cycle, k.Code, k.Country, reason)
	if err != nil {
		return Task{}, fmt.Errorf("waive task %s: %w", k, err)
	}
	return s.GetTask(ctx, k)
}

// ExtendTask moves the task's due date to until, later than the current one,
// and records the extension; an overdue task whose new date is not past
// (at now) is open again. Asking again for the date already granted changes
// nothing and reports extended false, so a retried step is harmless.
func (s *Store) ExtendTask(ctx context.Context, k cooperation.TaskKey, until time.Time, reason, by string, now time.Time) (t Task, extended bool, err error) {
	if strings.TrimSpace(reason) == "" || utf8.RuneCountInString(reason) > 2000 {
		return Task{}, false, fmt.Errorf("%w: extend task %s: a reason of 1 to 2000 characters is required", ErrInvalid, k)
	}
	if err := s.lockTaskRow(ctx, k); err != nil {
		return Task{}, false, fmt.Errorf("extend task %s: %w", k, err)
	}
	d, err := s.GetTaskDetail(ctx, k)
	if err != nil {
		return Task{}, false, err
	}
	switch {
	case d.Status.Ended() || d.Status == cooperation.TaskAccepted || d.CycleStatus == cooperation.CycleClosed:
		return Task{}, false, fmt.Errorf("extend task %s: it is %s: %w", k, d.Status, ErrTaskClosed)
	case until.Equal(d.DueOn) && d.Extensions > 0:
		return d.Task, false, nil
	case !until.After(d.DueOn):
		return Task{}, false, fmt.Errorf("%w: extend task %s: the new due date %s is not after the current one, %s",
			ErrInvalid, k, until.Format(time.DateOnly), d.DueOn.Format(time.DateOnly))
	case until.After(d.ClosesOn):
		// The task becomes missing when the cycle closes: a later due date
		// would promise what the cycle cannot keep.
		return Task{}, false, fmt.Errorf("%w: extend task %s: the new due date %s is after the cycle closes, on %s",
			ErrInvalid, k, until.Format(time.DateOnly), d.ClosesOn.Format(time.DateOnly))
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO extension (biennium, cycle, code, country, from_date, until_date, reason, granted_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, k.Biennium, k.Cycle, k.Code, k.Country, d.DueOn, until, reason, by); err != nil {
		return Task{}, false, fmt.Errorf("extend task %s: %w", k, err)
	}
	status := d.Status
	if status == cooperation.TaskOverdue && now.Before(DayEnd(until)) {
		status = cooperation.TaskOpen
	}
	if _, err := s.db.Exec(ctx, `UPDATE report_task SET due_on = $5, status = $6, updated_at = now()`+taskWhere,
		k.Biennium, k.Cycle, k.Code, k.Country, until, status); err != nil {
		return Task{}, false, fmt.Errorf("extend task %s: %w", k, err)
	}
	// An extension answers the request waiting for one, whatever date it grants.
	if _, err := s.AnswerRequest(ctx, k, RequestGranted, reason, by, now); err != nil && !errors.Is(err, ErrNotFound) {
		return Task{}, false, fmt.Errorf("extend task %s: %w", k, err)
	}
	t, err = s.GetTask(ctx, k)
	return t, err == nil, err
}

// lockTaskRow holds the task's row until the caller's transaction ends, so
// that a waiver or an extension never overwrites a submission committed
// between its read and its write. Outside a transaction it holds nothing.
func (s *Store) lockTaskRow(ctx context.Context, k cooperation.TaskKey) error {
	var one int
	err := s.db.QueryRow(ctx, `SELECT 1 FROM report_task`+taskWhere+` FOR UPDATE`,
		k.Biennium, k.Cycle, k.Code, k.Country).Scan(&one)
	return notFound(err)
}
