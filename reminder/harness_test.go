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
			// Errorf, not FailNow: this is the scheduler's goroutine.
			if err != nil {
				m.t.Errorf("sweep at %s: %v", r.At.Format(time.RFC3339), err)
			}
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
	// A sweep still running reports when it ends: take its report, so that
	// it never waits on a full channel while the scheduler waits for it.
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-m.sweeps:
			case <-m.polls:
			case <-done:
				return
			}
		}
	}()
	defer close(done)
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
			m.sweptAt(next)
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

// sweptAt waits for a sweep of the instant at. A sweep of another instant
// is one the scheduler ran again late (a loaded machine can hold a run back
// past the next tick): harmless, since a sweep writes each digest once, and
// not the one this hour waits for.
func (m *sim) sweptAt(at time.Time) {
	m.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case r := <-m.sweeps:
			if r.At.Equal(at) {
				return
			}
			m.t.Logf("a sweep of %s arrived while waiting for %s's", r.At.Format(time.RFC3339), at.Format(time.RFC3339))
		case <-timeout:
			m.t.Fatalf("no sweep at %s", at)
		}
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
