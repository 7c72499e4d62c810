package store

import (
	"context"
	"fmt"
)

// Gauges are the counts bienal exports as metrics.
type Gauges struct {
	EmailsByStatus map[string]int
	TasksByStatus  map[string]int
}

// ReadGauges counts e-mails and report tasks by status in one round trip.
func (s *Store) ReadGauges(ctx context.Context) (Gauges, error) {
	g := Gauges{EmailsByStatus: map[string]int{}, TasksByStatus: map[string]int{}}
	rows, err := s.db.Query(ctx, `
		SELECT 'email', status, count(*) FROM email GROUP BY status
		UNION ALL
		SELECT 'task', status, count(*) FROM report_task GROUP BY status`)
	if err != nil {
		return g, fmt.Errorf("read gauges: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, status string
		var n int
		if err := rows.Scan(&kind, &status, &n); err != nil {
			return g, fmt.Errorf("read gauges: %w", err)
		}
		if kind == "email" {
			g.EmailsByStatus[status] = n
		} else {
			g.TasksByStatus[status] = n
		}
	}
	return g, rows.Err()
}
