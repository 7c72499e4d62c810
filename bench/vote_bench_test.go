package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bienal/bienal/workflows"
)

// b3Voters are the committee: a chair and eight members, none from a
// country the activities involve, so all nine may vote and five decide.
const b3Voters = 8

// b3Decisions never give five of nine the same answer: every round stays
// open however many of the eight members vote.
var b3Decisions = []string{"approve", "reject", "request_changes", "approve", "reject", "request_changes", "approve", "reject"}

// BenchmarkB3VoteLatency sends b3.votes vote signals at b3.rate per second,
// spread over b3.votes/8 activities under review so that consecutive votes go
// to different workflows, and times each from SignalWorkflow returning to
// its row being visible in Postgres; the baseline is the SignalWorkflow call.
func BenchmarkB3VoteLatency(b *testing.B) {
	ctx := context.Background()
	s := newStack(b)
	acts := (*b3Votes + b3Voters - 1) / b3Voters
	seed{countries: 10, activities: acts, involved: 1, status: "proposed"}.write(b, s.pool)
	exec(b, s.pool, `INSERT INTO activity_version (biennium, code, version, fields) SELECT biennium, code, 1, '{}' FROM activity`)
	exec(b, s.pool, `INSERT INTO committee_member (biennium, email, country, role)
		SELECT $1, 'fp-' || lower(code) || '@example.org', code, CASE WHEN code = 'AJ' THEN 'chair' ELSE 'member' END
		FROM country WHERE code BETWEEN 'AB' AND 'AJ'`, biennium)
	analyze(b, s.pool)
	startMany(b, acts, func(i int) error {
		_, err := workflows.StartActivity(ctx, s.client, biennium, fmt.Sprintf("A%05d", i+1))
		return err
	})
	waitCount(b, s.pool, acts, 20*time.Minute, `SELECT count(*) FROM review_round`)
	// The rounds' vote requests are queued with the rounds; their delivery
	// would compete with the votes for the CPU, so it ends first and the
	// figures are the votes' own.
	waitNone(b, s.pool, 20*time.Minute, `SELECT count(*) FROM email WHERE status IN ('queued', 'sending')`)

	seen := newVoteWatch()
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() { defer close(watched); seen.poll(b, s, stop) }()

	signal := make([]time.Duration, *b3Votes)
	visible := make([]time.Duration, *b3Votes)
	sentAt := make([]time.Time, *b3Votes)
	tick := time.NewTicker(time.Duration(float64(time.Second) / *b3Rate))
	var wg sync.WaitGroup
	b.ResetTimer()
	for i := range *b3Votes {
		<-tick.C
		wg.Go(func() {
			act, member := i%acts, i/acts
			id := fmt.Sprintf("b3-%d", i)
			v := workflows.VoteSignal{VoteID: id, Member: focalPoint(countryCode(member + 1)), Decision: b3Decisions[member]}
			start := time.Now()
			if err := s.client.SignalWorkflow(ctx, workflows.ActivityID(biennium, fmt.Sprintf("A%05d", act+1)), "", workflows.SignalVote, v); err != nil {
				return // counted and logged by the client's interceptor
			}
			sent := time.Now()
			signal[i], sentAt[i] = sent.Sub(start), sent
			visible[i] = max(0, seen.wait(id).Sub(sent))
		})
	}
	tick.Stop()
	wg.Wait()
	b.StopTimer()
	close(stop)
	<-watched
	if n := count(b, s.pool, `SELECT count(*) FROM vote WHERE vote_id LIKE 'b3-%'`); n != *b3Votes {
		b.Fatalf("%d votes stored, want %d", n, *b3Votes)
	}
	if n := count(b, s.pool, `SELECT count(*) FROM review_round WHERE outcome IS NOT NULL`); n != 0 {
		b.Fatalf("%d rounds decided, want none", n)
	}
	b3Stages(b, s, sentAt, seen)
	b.Logf("B3: %d votes over %d activities at %.0f/s; visible p50 %.1f ms p99 %.1f ms; signal call p50 %.1f ms p99 %.1f ms",
		*b3Votes, acts, *b3Rate, ms(pct(visible, 50)), ms(pct(visible, 99)), ms(pct(signal, 50)), ms(pct(signal, 99)))
	result(b, "B3-p50", ms(pct(visible, 50)), ms(pct(signal, 50)), "ms", 5, true)
	b.ReportMetric(ms(pct(visible, 99)), "B3-p99-ms")
	b.Logf("B3: p99 %.1f ms, target <= 200 ms, met=%v", ms(pct(visible, 99)), pct(visible, 99) <= 200*time.Millisecond)
}

// b3Stages logs where a vote's latency goes, from timestamps on one
// clock (one machine): the signal's return to the workflow task's start
// (the vote's cast_at, the workflow's clock), from there to the start of
// the transaction writing it (its audit row's now()), and from there to
// the poller's first sight of it (commit and polling).
func b3Stages(b *testing.B, s *stack, sentAt []time.Time, seen *voteWatch) {
	b.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT v.vote_id, v.cast_at, a.at FROM vote v
		JOIN audit_log a ON a.dedup_key = 'vote/' || v.biennium || '/' || v.code || '/' || v.vote_id
		WHERE v.vote_id LIKE 'b3-%'`)
	must(b, err)
	defer rows.Close()
	var dispatch, worker, commit []time.Duration
	for rows.Next() {
		var id string
		var cast, tx time.Time
		must(b, rows.Scan(&id, &cast, &tx))
		var i int
		_, err := fmt.Sscanf(id, "b3-%d", &i)
		must(b, err)
		dispatch = append(dispatch, cast.Sub(sentAt[i]))
		worker = append(worker, tx.Sub(cast))
		commit = append(commit, seen.wait(id).Sub(tx))
	}
	must(b, rows.Err())
	for _, st := range []struct {
		name string
		ds   []time.Duration
	}{{"signal to workflow task", dispatch}, {"workflow task to vote transaction", worker}, {"transaction to visible", commit}} {
		b.Logf("B3 stage %s: p50 %.1f ms p99 %.1f ms", st.name, ms(pct(st.ds, 50)), ms(pct(st.ds, 99)))
	}
}

// waitNone polls until the query counts no rows.
func waitNone(b *testing.B, pool *pgxpool.Pool, timeout time.Duration, sql string) {
	b.Helper()
	deadline := time.Now().Add(timeout)
	for n := count(b, pool, sql); n > 0; n = count(b, pool, sql) {
		if time.Now().After(deadline) {
			b.Fatalf("timed out after %s: %d rows left for %s", timeout, n, sql)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// voteWatch polls the vote table and tells when each vote ID was first seen.
type voteWatch struct {
	mu      sync.Mutex
	seen    map[string]time.Time
	waiters map[string]chan time.Time
}

func newVoteWatch() *voteWatch {
	return &voteWatch{seen: map[string]time.Time{}, waiters: map[string]chan time.Time{}}
}

// wait returns when the vote was first seen.
func (w *voteWatch) wait(id string) time.Time {
	w.mu.Lock()
	if t, ok := w.seen[id]; ok {
		w.mu.Unlock()
		return t
	}
	ch := make(chan time.Time, 1)
	w.waiters[id] = ch
	w.mu.Unlock()
	return <-ch
}

// poll looks every 2 ms for the votes waited for and not yet seen; a vote
// counts as visible at the start of the query that returned it, since the
// query's snapshot is taken then. Asking only for the few votes in flight
// keeps the poller's own cost flat as the table fills.
func (w *voteWatch) poll(b *testing.B, s *stack, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(2 * time.Millisecond):
		}
		w.mu.Lock()
		pending := make([]string, 0, len(w.waiters))
		for id := range w.waiters {
			pending = append(pending, id)
		}
		w.mu.Unlock()
		if len(pending) == 0 {
			continue
		}
		at := time.Now()
		rows, err := s.pool.Query(context.Background(), `SELECT vote_id FROM vote WHERE vote_id = ANY($1)`, pending)
		if err != nil {
			b.Error(err)
			return
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			b.Error(err)
			return
		}
		w.mu.Lock()
		for _, id := range ids {
			if _, ok := w.seen[id]; ok {
				continue
			}
			w.seen[id] = at
			if ch, ok := w.waiters[id]; ok {
				ch <- at
				delete(w.waiters, id)
			}
		}
		w.mu.Unlock()
	}
}
