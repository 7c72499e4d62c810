package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// LiveSubjects lists every subject whose workflow should be running.
func (s *Store) LiveSubjects(ctx context.Context) ([]cooperation.Subject, error) {
	rows, err := s.db.Query(ctx, `
		SELECT 'activity' AS kind, biennium, '' AS cycle, code, '' AS country FROM activity
		WHERE status IN ('proposed', 'under_review', 'changes_requested', 'approved', 'in_execution')
		UNION ALL
		SELECT 'cycle', biennium, name, '', '' FROM reporting_cycle WHERE status = 'open'
		UNION ALL
		SELECT 'task', t.biennium, t.cycle, t.code, t.country FROM report_task t
		JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
		WHERE c.status = 'open' AND t.status NOT IN ('waived', 'missing')
		ORDER BY 1, 2, 3, 4, 5`)
	if err != nil {
		return nil, fmt.Errorf("list live subjects: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[cooperation.Subject])
	if err != nil {
		return nil, fmt.Errorf("list live subjects: %w", err)
	}
	return list, nil
}
