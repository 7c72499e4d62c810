package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DashboardActivity is one activity as the secretariat's dashboard lists it.
type DashboardActivity struct {
	Biennium    string `json:"biennium"`
	Goal        int    `json:"goal"`
	GoalTitle   string `json:"goal_title"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	LeadCountry string `json:"lead_country"`
	Status      string `json:"status"`
}

// OverdueTask is a report task past its due date and not yet submitted.
type OverdueTask struct {
	Code    string `json:"code"`
	Country string `json:"country"`
	Due     string `json:"due"`
}

// DashboardCycle is an open reporting cycle with its progress.
type DashboardCycle struct {
	Biennium string `json:"biennium"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	Due      string `json:"due"`
	Closes   string `json:"closes"`
	Total    int    `json:"total"`
	// Done counts tasks submitted or waived: nothing more is expected of them.
	Done    int            `json:"done"`
	Counts  map[string]int `json:"counts"`
	Overdue []OverdueTask  `json:"overdue"`
}

// Dashboard is what the secretariat sees first.
type Dashboard struct {
	Activities []DashboardActivity
	Cycles     []DashboardCycle
}

// maxOverdueShown bounds the overdue list of one cycle on the dashboard; the
// cycle's page lists them all.
const maxOverdueShown = 200

// Dashboard reads the programme by goal and the open cycles in two queries,
// so the page stays fast with tens of thousands of tasks. A task counts as
// overdue when its status says so or its due date is before today.
func (s *Store) Dashboard(ctx context.Context, today time.Time) (Dashboard, error) {
	rows, err := s.db.Query(ctx, `SELECT a.biennium, a.goal, g.title, a.code, a.title, a.lead_country, a.status
		FROM activity a JOIN goal g ON g.biennium = a.biennium AND g.number = a.goal
		ORDER BY a.biennium DESC, a.goal, a.code`)
	if err != nil {
		return Dashboard{}, fmt.Errorf("read dashboard activities: %w", err)
	}
	acts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardActivity])
	if err != nil {
		return Dashboard{}, fmt.Errorf("read dashboard activities: %w", err)
	}
	cycles, err := s.dashboardCycles(ctx, today)
	if err != nil {
		return Dashboard{}, err
	}
	return Dashboard{Activities: acts, Cycles: cycles}, nil
}

func (s *Store) dashboardCycles(ctx context.Context, today time.Time) ([]DashboardCycle, error) {
	rows, err := s.db.Query(ctx, `SELECT c.biennium, c.name, c.title, c.due_on::text, c.closes_on::text,
			coalesce(t.counts, '{}'::jsonb), coalesce(o.overdue, '[]'::jsonb)
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
				WHERE biennium = c.biennium AND cycle = c.name
				  AND (status = 'overdue' OR (status = 'open' AND due_on < $1::date))
				ORDER BY due_on, code, country LIMIT $2) od
		) o ON true
		WHERE c.status = 'open'
		ORDER BY c.due_on, c.biennium, c.name`, today.Format(time.DateOnly), maxOverdueShown)
	if err != nil {
		return nil, fmt.Errorf("read dashboard cycles: %w", err)
	}
	defer rows.Close()
	var cycles []DashboardCycle
	for rows.Next() {
		var c DashboardCycle
		var counts, overdue []byte
		if err := rows.Scan(&c.Biennium, &c.Name, &c.Title, &c.Due, &c.Closes, &counts, &overdue); err != nil {
			return nil, fmt.Errorf("read dashboard cycle: %w", err)
		}
		if err := json.Unmarshal(counts, &c.Counts); err != nil {
			return nil, fmt.Errorf("decode counts of cycle %s: %w", c.Name, err)
		}
		if err := json.Unmarshal(overdue, &c.Overdue); err != nil {
			return nil, fmt.Errorf("decode overdue tasks of cycle %s: %w", c.Name, err)
		}
		for status, n := range c.Counts {
			c.Total += n
			if status == "submitted" || status == "waived" {
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
