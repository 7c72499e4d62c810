package reminder_test

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/reminder"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

//go:embed testdata/cycle.sql
var cycleFixture string

const baseURL = "https://bienal.example.org"

func setup(t *testing.T) (*store.Store, *pgxpool.Pool, *reminder.Sweeper) {
	t.Helper()
	s, pool := storetest.New(t)
	_, err := pool.Exec(context.Background(), cycleFixture)
	require.NoError(t, err)
	return s, pool, &reminder.Sweeper{Store: s, Logger: slog.New(slog.DiscardHandler), BaseURL: baseURL}
}

// event is a change made by someone else (a submission, an extension) once
// the simulated time reaches at.
type event struct {
	at time.Time
	do func()
}

// sim drives schedulers on one fake clock, hour by hour, waiting for every
// scheduler to have decided (swept or stood down) before the next hour.
type sim struct {
	t      *testing.T
	clock  *clockwork.FakeClock
	sweeps chan reminder.Result
	polls  chan bool
	scheds []gocron.Scheduler
	events []event
}

func newSim(t *testing.T, start time.Time) *sim {
	return &sim{t: t, clock: clockwork.NewFakeClockAt(start),
		sweeps: make(chan reminder.Result, 100), polls: make(chan bool, 100)}
}

// countingElector reports every election a scheduler holds.
type countingElector struct {
	inner gocron.Elector
	polls chan bool
}

func (c countingElector) IsLeader(ctx context.Context) error {
	err := c.inner.IsLeader(ctx)
	c.polls <- err == nil
	return err
}

// start adds a scheduler, with a Postgres elector when elector is non-nil.
func (m *sim) start(sw *reminder.Sweeper, elector *reminder.Elector) {
	o := reminder.ScheduleOptions{Sweeper: sw, Clock: m.clock, Logger: sw.Logger,
		AfterSweep: func(r reminder.Result, err error) {
			require.NoError(m.t, err)
			m.sweeps <- r
		}}
	if elector != nil {
		o.Elector = countingElector{inner: elector, polls: m.polls}
	}
	sched, err := reminder.Schedule(context.Background(), o)
	require.NoError(m.t, err)
	m.scheds = append(m.scheds, sched)
}

func (m *sim) stopAll() {
	for _, s := range m.scheds {
		require.NoError(m.t, s.Shutdown())
	}
	m.scheds = nil
}

// runUntil advances hour by hour to until. With electors, each hour waits for
// every scheduler's election and then for the leaders' sweeps; without, for
// one sweep per scheduler.
func (m *sim) runUntil(until time.Time, electors bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for m.clock.Now().Before(until) {
		m.applyEvents()
		next := m.clock.Now().Truncate(time.Hour).Add(time.Hour)
		require.NoError(m.t, m.clock.BlockUntilContext(ctx, len(m.scheds)))
		m.clock.Advance(next.Sub(m.clock.Now()))
		want := len(m.scheds)
		if electors {
			want = 0
			for range m.scheds {
				if m.wait(m.polls) {
					want++
				}
			}
			require.Equal(m.t, 1, want, "one leader at %s", next)
		}
		for range want {
			m.wait(m.sweeps)
		}
	}
	m.applyEvents()
}

func (m *sim) applyEvents() {
	for len(m.events) > 0 && !m.events[0].at.After(m.clock.Now()) {
		m.events[0].do()
		m.events = m.events[1:]
	}
}

func (m *sim) wait(ch any) bool {
	m.t.Helper()
	timeout := time.After(30 * time.Second)
	switch c := ch.(type) {
	case chan bool:
		select {
		case v := <-c:
			return v
		case <-timeout:
		}
	case chan reminder.Result:
		select {
		case <-c:
			return true
		case <-timeout:
		}
	}
	m.t.Fatalf("no sweep at %s", m.clock.Now())
	return false
}

// digests lists, per recipient, each digest as "time item stage, ...", from
// what the sweeps recorded, oldest first.
func digests(t *testing.T, s *store.Store) map[string][]string {
	t.Helper()
	sent, err := s.RemindersSent(context.Background(), "")
	require.NoError(t, err)
	type key struct {
		recipient string
		email     int64
	}
	parts := map[key][]string{}
	at := map[key]time.Time{}
	var order []key
	for _, r := range sent {
		require.NotNil(t, r.EmailID)
		k := key{r.Recipient, *r.EmailID}
		if _, ok := parts[k]; !ok {
			order = append(order, k)
		}
		parts[k] = append(parts[k], short(r.Item)+" "+r.Stage)
		at[k] = r.SentAt
	}
	out := map[string][]string{}
	for _, k := range order {
		p := parts[k]
		sort.Strings(p)
		out[k.recipient] = append(out[k.recipient], at[k].UTC().Format("01-02T15Z")+" "+strings.Join(p, ", "))
	}
	return out
}

// short drops the biennium from an item key to keep expectations readable.
func short(item string) string { return strings.Replace(item, "/2017-2018/", "/", 1) }

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) func() {
	return func() {
		_, err := pool.Exec(context.Background(), sql, args...)
		require.NoError(t, err, fmt.Sprintf("exec %q", sql))
	}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
