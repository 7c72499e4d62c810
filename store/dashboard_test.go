package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// seedGoal writes one goal with n activities G001..Gn in execution, the
// first under review, and an open cycle where the second has a task overdue.
func seedGoal(t *testing.T, n int) *store.Store {
	t.Helper()
	s, pool := storetest.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 1, 'Goal one'), ('2017-2018', 2, 'Empty goal');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line one');
		INSERT INTO country VALUES ('CL', 'Chile');
		INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status) VALUES
			('2017-2018', 'mid', '2026-03-01', '2026-04-01', 'open'),
			('2017-2018', 'old', '2025-03-01', '2025-04-01', 'closed');`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
		SELECT '2017-2018', 'G' || lpad(i::text, 3, '0'), 1, 1, 'CL', 'Activity ' || i,
			CASE WHEN i = 1 THEN 'under_review' ELSE 'in_execution' END
		FROM generate_series(1, $1) i`, n)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO report_task (biennium, cycle, code, country, due_on, status) VALUES
		('2017-2018', 'mid', 'G002', 'CL', '2026-03-01', 'open'),
		('2017-2018', 'mid', 'G003', 'CL', '2026-03-20', 'open'),
		('2017-2018', 'old', 'G004', 'CL', '2025-03-01', 'missing')`)
	require.NoError(t, err)
	return s
}

var today = time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)

func TestDashboardShowsCountsAndAttention(t *testing.T) {
	t.Parallel()
	s := seedGoal(t, 120)
	d, err := s.Dashboard(context.Background(), today)
	require.NoError(t, err)
	require.Len(t, d.Goals, 1, "a goal without activities has nothing to count")
	g := d.Goals[0]
	require.Equal(t, "Goal one", g.Title.Stored)
	require.Equal(t, 120, g.Total)
	require.Equal(t, []store.StatusCount{{Status: "under_review", N: 1}, {Status: "in_execution", N: 119}}, g.Counts)
	require.Equal(t, 2, g.AttentionTotal, "one waits for the committee, one has an overdue task")
	require.Equal(t, "G001", g.Attention[0].Code)
	require.Zero(t, g.Attention[0].Overdue)
	require.Equal(t, "G002", g.Attention[1].Code)
	require.Equal(t, 1, g.Attention[1].Overdue, "not yet due and closed-cycle tasks do not count")
}

func TestDashboardBoundsAttention(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 1, 'Goal one');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line one');
		INSERT INTO country VALUES ('CL', 'Chile');
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
			SELECT '2017-2018', 'P' || lpad(i::text, 3, '0'), 1, 1, 'CL', 'Proposal ' || i, 'proposed'
			FROM generate_series(1, 70) i;`)
	require.NoError(t, err)
	d, err := s.Dashboard(ctx, today)
	require.NoError(t, err)
	require.Len(t, d.Goals[0].Attention, 50)
	require.Equal(t, 70, d.Goals[0].AttentionTotal)
	require.Equal(t, "P050", d.Goals[0].Attention[49].Code)
}

func TestGoalActivitiesPages(t *testing.T) {
	t.Parallel()
	s := seedGoal(t, 120)
	ctx := context.Background()
	p, err := s.GoalActivities(ctx, store.GoalQuery{Biennium: "2017-2018", Goal: 1, Offset: 100, Limit: 100, Today: today})
	require.NoError(t, err)
	require.Equal(t, 120, p.Total)
	require.Len(t, p.Activities, 20)
	require.Equal(t, "G101", p.Activities[0].Code)
	require.Equal(t, "Goal one", p.Activities[0].GoalTitle.Stored)

	p, err = s.GoalActivities(ctx, store.GoalQuery{Biennium: "2017-2018", Goal: 1, Limit: 10, Today: today})
	require.NoError(t, err)
	require.Equal(t, 1, p.Activities[1].Overdue)
	require.Zero(t, p.Activities[2].Overdue, "G003 is not due yet")

	p, err = s.GoalActivities(ctx, store.GoalQuery{Biennium: "2017-2018", Goal: 1, Status: "under_review", Limit: 10, Today: today})
	require.NoError(t, err)
	require.Equal(t, 1, p.Total)
	require.Equal(t, "G001", p.Activities[0].Code)

	p, err = s.GoalActivities(ctx, store.GoalQuery{Biennium: "2017-2018", Goal: 2, Limit: 10, Today: today})
	require.NoError(t, err)
	require.Zero(t, p.Total)
	require.Empty(t, p.Activities)
}

func TestGoalActivitiesRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := seedGoal(t, 4)
	ctx := context.Background()
	for _, q := range []store.GoalQuery{
		{Biennium: "2017-2018", Goal: 1, Status: "lost", Limit: 10},
		{Biennium: "2017-2018", Goal: 1, Offset: -1, Limit: 10},
		{Biennium: "2017-2018", Goal: 1},
	} {
		_, err := s.GoalActivities(ctx, q)
		require.ErrorContains(t, err, "list activities of goal 2017-2018/1", fmt.Sprint(q))
	}
	_, err := s.GoalActivities(ctx, store.GoalQuery{Biennium: "2017-2018", Goal: 9, Limit: 10})
	require.True(t, errors.Is(err, store.ErrNotFound), "%v", err)
}
