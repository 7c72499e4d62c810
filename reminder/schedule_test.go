package reminder_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/reminder"
	"github.com/bienal/bienal/store"
)

// Everything down for five days: the reminders missed in between go once, at
// the first sweep after the restart, not as a burst of every missed stage.
func TestSweepCatchesUpAfterOutage(t *testing.T) {
	t.Parallel()
	s, _, sw := setup(t)
	m := newSim(t, utc("2018-05-15T23:30:00Z"))
	m.start(sw, nil)
	m.runUntil(utc("2018-05-23T14:00:00Z"), false)
	m.stopAll()

	m.clock.Advance(5 * 24 * time.Hour) // to Monday 28 May, 14:00 UTC
	m.start(sw, nil)
	defer m.stopAll()
	m.runUntil(utc("2018-05-30T00:00:00Z"), false)

	ar := func(stage string) string {
		return "task/final/A1/AR " + stage + ", task/final/A2/AR " + stage
	}
	require.Equal(t, map[string][]string{
		"ana@ar.example": {"05-17T12Z " + ar("before-14@2018-05-31"), "05-28T15Z " + ar("before-7@2018-05-31"),
			"05-29T12Z " + ar("before-2@2018-05-31")},
		"carlos@cl.example": {"05-17T13Z task/final/A1/CL before-14@2018-05-31",
			"05-28T15Z task/final/A1/CL before-7@2018-05-31", "05-29T13Z task/final/A1/CL before-2@2018-05-31"},
		"bruna@br.example": {"05-17T12Z task/final/A3/BR before-14@2018-05-31",
			"05-28T15Z task/final/A3/BR before-7@2018-05-31", "05-29T12Z task/final/A3/BR before-2@2018-05-31"},
		"john@jm.example": {"05-17T14Z task/final/A3/JM before-14@2018-05-31",
			"05-28T15Z task/final/A3/JM before-7@2018-05-31", "05-29T14Z task/final/A3/JM before-2@2018-05-31"},
	}, digests(t, s))
}

// Two replicas, each with its scheduler and elector on its own pool: one
// sweeps each hour; when the leader's connection dies, the other (or the
// same, reconnected) takes over, and no reminder goes twice.
func TestTwoSchedulersSweepOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool, sw := setup(t)
	pool2, err := pgxpool.New(ctx, pool.Config().ConnString())
	require.NoError(t, err)
	defer pool2.Close()
	sw2 := &reminder.Sweeper{Store: store.New(pool2), Logger: sw.Logger, BaseURL: baseURL}
	e1, e2 := reminder.NewElector(pool, sw.Logger), reminder.NewElector(pool2, sw.Logger)

	m := newSim(t, utc("2018-05-16T23:30:00Z"))
	m.start(sw, e1)
	m.start(sw2, e2)
	defer m.stopAll()
	m.runUntil(utc("2018-05-18T00:00:00Z"), true)
	require.NotEqual(t, e1.Leader(), e2.Leader(), "exactly one leader")

	leader := e1
	if e2.Leader() {
		leader = e2
	}
	_, err = pool.Exec(ctx, "SELECT pg_terminate_backend($1)", int32(leader.PID()))
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		var held bool
		require.NoError(t, pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
			WHERE locktype = 'advisory' AND granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`).Scan(&held))
		return !held
	}, 10*time.Second, 20*time.Millisecond, "the lock goes with the connection")

	m.runUntil(utc("2018-05-25T00:00:00Z"), true)
	require.NotEqual(t, e1.Leader(), e2.Leader(), "exactly one leader again")

	got := digests(t, s)
	require.Equal(t, []string{"05-17T12Z task/final/A3/BR before-14@2018-05-31", "05-24T12Z task/final/A3/BR before-7@2018-05-31"},
		got["bruna@br.example"])
	require.Equal(t, []string{"05-17T13Z task/final/A1/CL before-14@2018-05-31", "05-24T13Z task/final/A1/CL before-7@2018-05-31"},
		got["carlos@cl.example"])
	require.Len(t, got, 4)
	for _, d := range got {
		require.Len(t, d, 2)
	}
}

func TestScheduleRefusesBadCron(t *testing.T) {
	t.Parallel()
	_, err := reminder.Schedule(context.Background(), reminder.ScheduleOptions{Sweeper: &reminder.Sweeper{}, Cron: "every hour"})
	require.ErrorContains(t, err, `REMINDER_SCHEDULE "every hour"`)
	_, err = reminder.Schedule(context.Background(), reminder.ScheduleOptions{})
	require.ErrorContains(t, err, "no sweeper")
}
