package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// LiveSubject is something whose workflow Postgres says should be running:
// an activity not yet closed, an open cycle, or a task of an open cycle that
// may still take a report.
type LiveSubject struct {
	Kind     string `db:"kind"` // activity, cycle or task
	Biennium string `db:"biennium"`
	Cycle    string `db:"cycle"`
	Code     string `db:"code"`
	Country  string `db:"country"`
}

// LiveSubjects lists every subject whose workflow should be running.
func (s *Store) LiveSubjects(ctx context.Context) ([]LiveSubject, error) {
	rows, err := s.db.Query(ctx, `
		SELECT 'activity' AS kind, biennium, '' AS cycle, code, '' AS country FROM activity
		WHERE status IN ('proposed', 'under_review', 'changes_requested', 'approved', 'in_execution')
		UNION ALL
		SELECT 'cycle', biennium, name, '', '' FROM reporting_cycle WHERE status = 'open'
		UNION ALL
		SELECT 'task', t.biennium, t.cycle, t.code, t.country FROM report_task t
		JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
		WHERE c.status = 'open' AND t.status IN ('open', 'overdue', 'submitted')
		ORDER BY 1, 2, 3, 4, 5`)
	if err != nil {
		return nil, fmt.Errorf("list live subjects: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[LiveSubject])
	if err != nil {
		return nil, fmt.Errorf("list live subjects: %w", err)
	}
	return list, nil
}
