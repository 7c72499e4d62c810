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

// Review is one decision of the secretariat on a submitted version.
type Review struct {
	ID           int64                  `json:"id" db:"id"`
	SubmissionID int64                  `json:"submission_id" db:"submission_id"`
	Version      int                    `json:"version" db:"version"`
	Decision     cooperation.TaskStatus `json:"decision" db:"decision"` // accepted | clarification_requested
	Comment      string                 `json:"comment" db:"comment"`
	DueOn        *time.Time             `json:"due_on,omitempty" db:"due_on"`
	ReviewedBy   string                 `json:"reviewed_by" db:"reviewed_by"`
	ReviewedAt   time.Time              `json:"reviewed_at" db:"reviewed_at"`
}

// ErrNotSubmitted refuses a review of a task that has no version waiting
// for one: nothing submitted yet, or already accepted.
var ErrNotSubmitted = errors.New("no submitted report to review")

const reviewColumns = `r.id, r.submission_id, s.version, r.decision, r.comment, r.due_on, r.reviewed_by, r.reviewed_at`

// reviewText checks a reason or comment: at most MaxReason characters, and
// at least one when required.
func reviewText(field, text string, required bool) error {
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(text):
		return fmt.Errorf("%w: %s: not valid UTF-8", ErrInvalid, field)
	case required && strings.TrimSpace(text) == "":
		return fmt.Errorf("%w: %s: required", ErrInvalid, field)
	case n > cooperation.MaxReason:
		return fmt.Errorf("%w: %s: %d characters, at most %d", ErrInvalid, field, n, cooperation.MaxReason)
	}
	return nil
}

// reviewable locks the task and returns it with its counted version, which
// a review decides on.
func (s *Store) reviewable(ctx context.Context, k cooperation.TaskKey) (TaskDetail, Submission, error) {
	if err := s.lockTaskRow(ctx, k); err != nil {
		return TaskDetail{}, Submission{}, err
	}
	d, err := s.GetTaskDetail(ctx, k)
	if err != nil {
		return TaskDetail{}, Submission{}, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+submissionColumns+` FROM submission`+taskWhere+` AND counted`,
		k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return d, Submission{}, err
	}
	subs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Submission])
	if err != nil || len(subs) == 0 {
		return d, Submission{}, err
	}
	return d, subs[0], nil
}

// AcceptTask records that the secretariat accepts the task's counted
// version: the task becomes accepted and takes no newer version. Accepting
// an accepted task again changes nothing and reports changed false, so a
// retried step is harmless. A task with nothing submitted is ErrNotSubmitted.
func (s *Store) AcceptTask(ctx context.Context, k cooperation.TaskKey, comment, by string, at time.Time) (Review, bool, error) {
	if err := reviewText("comment", comment, false); err != nil {
		return Review{}, false, fmt.Errorf("accept task %s: %w", k, err)
	}
	d, sub, err := s.reviewable(ctx, k)
	if err != nil {
		return Review{}, false, fmt.Errorf("accept task %s: %w", k, err)
	}
	switch {
	case d.Status == cooperation.TaskAccepted:
		r, err := s.latestReview(ctx, k)
		return r, false, err
	case d.Status == cooperation.TaskWaived || d.Status == cooperation.TaskMissing || d.CycleStatus == cooperation.CycleClosed:
		return Review{}, false, fmt.Errorf("accept task %s: it is %s in a cycle %s: %w", k, d.Status, d.CycleStatus, ErrTaskClosed)
	case sub.ID == 0 || !d.Status.Reported():
		return Review{}, false, fmt.Errorf("accept task %s: it is %s: %w", k, d.Status, ErrNotSubmitted)
	}
	r, err := s.writeReview(ctx, k, sub, cooperation.TaskAccepted, comment, nil, by, at)
	if err != nil {
		return Review{}, false, fmt.Errorf("accept task %s: %w", k, err)
	}
	return r, true, nil
}

// ClarifyTask sends the task's counted version back to its country with a
// reason and a new due date: the task becomes clarification_requested, due
// on that date, and the next submission is a new version. The date must be
// today or later (at) and not after the cycle closes. The same request
// again changes nothing and reports changed false.
func (s *Store) ClarifyTask(ctx context.Context, k cooperation.TaskKey, reason string, due time.Time, by string, at time.Time) (Review, bool, error) {
	if err := reviewText("reason", reason, true); err != nil {
		return Review{}, false, fmt.Errorf("clarify task %s: %w", k, err)
	}
	d, sub, err := s.reviewable(ctx, k)
	if err != nil {
		return Review{}, false, fmt.Errorf("clarify task %s: %w", k, err)
	}
	if d.Status == cooperation.TaskClarification {
		if r, err := s.latestReview(ctx, k); err == nil && r.SubmissionID == sub.ID && r.DueOn != nil && r.DueOn.Equal(due) {
			return r, false, nil
		}
	}
	switch {
	case d.Status == cooperation.TaskWaived || d.Status == cooperation.TaskMissing || d.CycleStatus == cooperation.CycleClosed:
		return Review{}, false, fmt.Errorf("clarify task %s: it is %s in a cycle %s: %w", k, d.Status, d.CycleStatus, ErrTaskClosed)
	case sub.ID == 0 || d.Status != cooperation.TaskSubmitted:
		return Review{}, false, fmt.Errorf("clarify task %s: it is %s: %w", k, d.Status, ErrNotSubmitted)
	}
	if err := checkNewDue("due", due, at, d.ClosesOn); err != nil {
		return Review{}, false, fmt.Errorf("clarify task %s: %w", k, err)
	}
	r, err := s.writeReview(ctx, k, sub, cooperation.TaskClarification, reason, &due, by, at)
	if err != nil {
		return Review{}, false, fmt.Errorf("clarify task %s: %w", k, err)
	}
	return r, true, nil
}

// checkNewDue refuses a due date in the past (before the day of at, UTC)
// or after the cycle's closing date.
func checkNewDue(field string, due, at, closes time.Time) error {
	today := at.UTC().Truncate(24 * time.Hour)
	switch {
	case due.Before(today):
		return fmt.Errorf("%w: %s: %s is in the past", ErrInvalid, field, due.Format(time.DateOnly))
	case due.After(closes):
		return fmt.Errorf("%w: %s: %s is after the cycle closes, on %s", ErrInvalid, field,
			due.Format(time.DateOnly), closes.Format(time.DateOnly))
	}
	return nil
}

func (s *Store) writeReview(ctx context.Context, k cooperation.TaskKey, sub Submission, decision cooperation.TaskStatus,
	comment string, due *time.Time, by string, at time.Time) (Review, error) {
	var id int64
	err := s.db.QueryRow(ctx, `WITH task AS (
			UPDATE report_task SET status = $5, due_on = coalesce($6, due_on), updated_at = now()`+taskWhere+`
		)
		INSERT INTO task_review (biennium, cycle, code, country, submission_id, decision, comment, due_on, reviewed_by, reviewed_at)
		VALUES ($1, $2, $3, $4, $7, $5, $8, $6, $9, $10) RETURNING id`,
		k.Biennium, k.Cycle, k.Code, k.Country, string(decision), due, sub.ID, comment, by, at).Scan(&id)
	if err != nil {
		return Review{}, err
	}
	return Review{ID: id, SubmissionID: sub.ID, Version: sub.Version, Decision: decision, Comment: comment, DueOn: due,
		ReviewedBy: by, ReviewedAt: at.Truncate(time.Microsecond)}, nil
}

// ListReviews returns the task's reviews, oldest first.
func (s *Store) ListReviews(ctx context.Context, k cooperation.TaskKey) ([]Review, error) {
	rows, err := s.db.Query(ctx, `SELECT `+reviewColumns+` FROM task_review r JOIN submission s ON s.id = r.submission_id
		WHERE r.biennium = $1 AND r.cycle = $2 AND r.code = $3 AND r.country = $4 ORDER BY r.id`,
		k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return nil, fmt.Errorf("list reviews of %s: %w", k, err)
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Review])
	if err != nil {
		return nil, fmt.Errorf("list reviews of %s: %w", k, err)
	}
	return rs, nil
}

func (s *Store) latestReview(ctx context.Context, k cooperation.TaskKey) (Review, error) {
	rs, err := s.ListReviews(ctx, k)
	if err != nil {
		return Review{}, err
	}
	if len(rs) == 0 {
		return Review{}, fmt.Errorf("latest review of %s: %w", k, ErrNotFound)
	}
	return rs[len(rs)-1], nil
}

// ExtensionRequest is a focal point's request for a new due date.
type ExtensionRequest struct {
	ID          int64      `json:"id" db:"id"`
	Biennium    string     `json:"biennium" db:"biennium"`
	Cycle       string     `json:"cycle" db:"cycle"`
	Code        string     `json:"code" db:"code"`
	Country     string     `json:"country" db:"country"`
	Until       time.Time  `json:"until" db:"until_date"`
	Reason      string     `json:"reason" db:"reason"`
	RequestedBy string     `json:"requested_by" db:"requested_by"`
	RequestedAt time.Time  `json:"requested_at" db:"requested_at"`
	Status      string     `json:"status" db:"status"` // pending | granted | refused | withdrawn
	Answer      string     `json:"answer" db:"answer"`
	AnsweredBy  *string    `json:"answered_by,omitempty" db:"answered_by"`
	AnsweredAt  *time.Time `json:"answered_at,omitempty" db:"answered_at"`
}

// Key returns the task the request is for.
func (e ExtensionRequest) Key() cooperation.TaskKey {
	return cooperation.TaskKey{Biennium: e.Biennium, Cycle: e.Cycle, Code: e.Code, Country: e.Country}
}

// Extension request statuses.
const (
	RequestPending = "pending"
	RequestGranted = "granted"
	RequestRefused = "refused"
)

// ErrRequestPending refuses a second extension request while one waits.
var ErrRequestPending = errors.New("an extension request is already waiting for an answer")

const requestColumns = `id, biennium, cycle, code, country, until_date, reason, requested_by, requested_at, status, answer, answered_by, answered_at`

// RequestExtension records a focal point's request for a new due date on a
// task that still waits for a report (open, overdue, or sent back for
// clarification), after its current due date and not after the cycle
// closes. The same request again (same date, same person) changes nothing
// and reports created false; a different one while one waits is
// ErrRequestPending.
func (s *Store) RequestExtension(ctx context.Context, k cooperation.TaskKey, until time.Time, reason, by string, at time.Time) (ExtensionRequest, bool, error) {
	if err := reviewText("reason", reason, true); err != nil {
		return ExtensionRequest{}, false, fmt.Errorf("request extension of %s: %w", k, err)
	}
	if err := s.lockTaskRow(ctx, k); err != nil {
		return ExtensionRequest{}, false, fmt.Errorf("request extension of %s: %w", k, err)
	}
	d, err := s.GetTaskDetail(ctx, k)
	if err != nil {
		return ExtensionRequest{}, false, err
	}
	if !d.Status.Awaited() || d.CycleStatus == cooperation.CycleClosed {
		return ExtensionRequest{}, false, fmt.Errorf("request extension of %s: it is %s in a cycle %s: %w", k, d.Status, d.CycleStatus, ErrTaskClosed)
	}
	if p, err := s.PendingRequest(ctx, k); err == nil {
		if p.Until.Equal(until) && p.RequestedBy == by {
			return p, false, nil
		}
		return ExtensionRequest{}, false, fmt.Errorf("request extension of %s: %w (until %s)", k, ErrRequestPending, p.Until.Format(time.DateOnly))
	} else if !errors.Is(err, ErrNotFound) {
		return ExtensionRequest{}, false, err
	}
	switch {
	case !until.After(d.DueOn):
		return ExtensionRequest{}, false, fmt.Errorf("%w: request extension of %s: until: %s is not after the due date %s",
			ErrInvalid, k, until.Format(time.DateOnly), d.DueOn.Format(time.DateOnly))
	case until.After(d.ClosesOn):
		return ExtensionRequest{}, false, fmt.Errorf("%w: request extension of %s: until: %s is after the cycle closes, on %s",
			ErrInvalid, k, until.Format(time.DateOnly), d.ClosesOn.Format(time.DateOnly))
	}
	rows, err := s.db.Query(ctx, `INSERT INTO extension_request (biennium, cycle, code, country, until_date, reason, requested_by, requested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+requestColumns, k.Biennium, k.Cycle, k.Code, k.Country, until, reason, by, at)
	if err != nil {
		return ExtensionRequest{}, false, fmt.Errorf("request extension of %s: %w", k, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ExtensionRequest])
	if err != nil {
		return ExtensionRequest{}, false, fmt.Errorf("request extension of %s: %w", k, err)
	}
	return r, true, nil
}

// PendingRequest returns the task's extension request waiting for an answer, or ErrNotFound.
func (s *Store) PendingRequest(ctx context.Context, k cooperation.TaskKey) (ExtensionRequest, error) {
	rows, err := s.db.Query(ctx, `SELECT `+requestColumns+` FROM extension_request`+taskWhere+` AND status = 'pending'`,
		k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return ExtensionRequest{}, fmt.Errorf("pending extension request of %s: %w", k, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ExtensionRequest])
	if err != nil {
		return ExtensionRequest{}, fmt.Errorf("pending extension request of %s: %w", k, notFound(err))
	}
	return r, nil
}

// AnswerRequest closes the task's pending extension request as granted or
// refused, with the answer's text; it returns the request as answered, or
// ErrNotFound when none waits.
func (s *Store) AnswerRequest(ctx context.Context, k cooperation.TaskKey, status, answer, by string, at time.Time) (ExtensionRequest, error) {
	if status != RequestGranted && status != RequestRefused {
		return ExtensionRequest{}, fmt.Errorf("%w: answer extension request of %s: status %q", ErrInvalid, k, status)
	}
	if err := reviewText("reason", answer, status == RequestRefused); err != nil {
		return ExtensionRequest{}, fmt.Errorf("answer extension request of %s: %w", k, err)
	}
	rows, err := s.db.Query(ctx, `UPDATE extension_request SET status = $5, answer = $6, answered_by = $7, answered_at = $8`+
		taskWhere+` AND status = 'pending' RETURNING `+requestColumns, k.Biennium, k.Cycle, k.Code, k.Country, status, answer, by, at)
	if err != nil {
		return ExtensionRequest{}, fmt.Errorf("answer extension request of %s: %w", k, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ExtensionRequest])
	if err != nil {
		return ExtensionRequest{}, fmt.Errorf("answer extension request of %s: %w", k, notFound(err))
	}
	return r, nil
}

// ListRequests returns the extension requests of a task, oldest first.
func (s *Store) ListRequests(ctx context.Context, k cooperation.TaskKey) ([]ExtensionRequest, error) {
	return s.queryRequests(ctx, `SELECT `+requestColumns+` FROM extension_request`+taskWhere+` ORDER BY id`,
		k.Biennium, k.Cycle, k.Code, k.Country)
}

// PendingRequests returns the extension requests waiting for an answer in
// every open cycle of a biennium, or in one cycle when cycle is set.
func (s *Store) PendingRequests(ctx context.Context, biennium, cycle string) ([]ExtensionRequest, error) {
	return s.queryRequests(ctx, `SELECT `+prefixed("e.", requestColumns)+` FROM extension_request e
		JOIN reporting_cycle c ON c.biennium = e.biennium AND c.name = e.cycle AND c.status = 'open'
		WHERE e.status = 'pending' AND ($1 = '' OR e.biennium = $1) AND ($2 = '' OR e.cycle = $2)
		ORDER BY e.requested_at, e.id`, biennium, cycle)
}

func (s *Store) queryRequests(ctx context.Context, sql string, args ...any) ([]ExtensionRequest, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list extension requests: %w", err)
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[ExtensionRequest])
	if err != nil {
		return nil, fmt.Errorf("list extension requests: %w", err)
	}
	return rs, nil
}

// prefixed qualifies each of a list of columns with a table's alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
