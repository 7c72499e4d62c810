package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// UntoldSubmission is a counted submission whose task workflow has not
// recorded it: the signal that tells it was lost (Temporal away when the
// report was stored, or the portal stopped in between).
type UntoldSubmission struct {
	ID          int64  `db:"id"`
	Biennium    string `db:"biennium"`
	Cycle       string `db:"cycle"`
	Code        string `db:"code"`
	Country     string `db:"country"`
	SubmittedBy string `db:"submitted_by"`
}

// Key is the submission's task.
func (u UntoldSubmission) Key() cooperation.TaskKey {
	return cooperation.TaskKey{Biennium: u.Biennium, Cycle: u.Cycle, Code: u.Code, Country: u.Country}
}

// UntoldSubmissions lists, oldest first and at most limit, the counted
// submissions of open cycles stored before `before` that no task_submitted
// audit line records: the line the task workflow writes when it records one.
func (s *Store) UntoldSubmissions(ctx context.Context, before time.Time, limit int) ([]UntoldSubmission, error) {
	rows, err := s.db.Query(ctx, `SELECT s.id, s.biennium, s.cycle, s.code, s.country, s.submitted_by
		FROM submission s
		JOIN reporting_cycle c ON c.biennium = s.biennium AND c.name = s.cycle AND c.status = 'open'
		WHERE s.counted AND s.submitted_at < $1
			AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.dedup_key = 'task-submitted/' || s.id)
		ORDER BY s.id LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list untold submissions: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[UntoldSubmission])
	if err != nil {
		return nil, fmt.Errorf("list untold submissions: %w", err)
	}
	return list, nil
}

// UntoldRevision is a revised proposal stored while its activity waits for
// changes, whose workflow has not opened the next round: the signal that
// tells it was lost.
type UntoldRevision struct {
	Biennium   string `db:"biennium"`
	Code       string `db:"code"`
	Version    int    `db:"version"`
	ProposedBy string `db:"proposed_by"`
}

// UntoldRevisions lists, at most limit, the activities waiting for changes
// whose current version, stored before `before`, is newer than the one
// their last round reviewed.
func (s *Store) UntoldRevisions(ctx context.Context, before time.Time, limit int) ([]UntoldRevision, error) {
	rows, err := s.db.Query(ctx, `SELECT a.biennium, a.code, a.version, COALESCE(a.proposed_by, '') AS proposed_by
		FROM activity a
		WHERE a.status = 'changes_requested' AND a.updated_at < $1
			AND a.version > (SELECT r.version FROM review_round r
				WHERE r.biennium = a.biennium AND r.code = a.code ORDER BY r.round DESC LIMIT 1)
		ORDER BY a.biennium, a.code LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list untold revisions: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[UntoldRevision])
	if err != nil {
		return nil, fmt.Errorf("list untold revisions: %w", err)
	}
	return list, nil
}

// UnstartedProposals lists, at most limit, the activities still proposed
// since before `before`: an activity's workflow opens its round at once,
// so one still proposed is one whose workflow did not start.
func (s *Store) UnstartedProposals(ctx context.Context, before time.Time, limit int) ([]ActivityKey, error) {
	rows, err := s.db.Query(ctx, `SELECT biennium, code FROM activity
		WHERE status = 'proposed' AND updated_at < $1 ORDER BY biennium, code LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list unstarted proposals: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[ActivityKey])
	if err != nil {
		return nil, fmt.Errorf("list unstarted proposals: %w", err)
	}
	return list, nil
}

// ActivityKey names an activity.
type ActivityKey struct {
	Biennium string `db:"biennium"`
	Code     string `db:"code"`
}
