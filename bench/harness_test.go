// Package bench measures bienal against baselines run in the same process
// on the same parts (issue 7): every figure is a ratio, because the shared
// machines these run on drift too much for absolute times to compare. A
// run with any error fails (errors_test.go); its log is in a file.
//
//	go test ./bench/ -run '^$' -bench . -benchtime 1x -timeout 60m
package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdklog "go.temporal.io/sdk/log"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/devserver"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
	"github.com/bienal/bienal/worker"
)

// stack is one complete bienal in this process: the embedded Temporal
// server, a fresh database, a recording SMTP server, the portal on a real
// listener and the worker with its delivery and scheduler.
type stack struct {
	pool    *pgxpool.Pool
	store   *store.Store
	client  client.Client
	smtp    *mailtest.Server
	baseURL string
}

// database is a fresh database with the schema, and a pool big enough for
// the concurrent clients of the benchmarks.
func database(b *testing.B) (string, *pgxpool.Pool, *store.Store) {
	b.Helper()
	harness(b) // first, so that its check runs after every other cleanup
	url := storetest.NewDatabase(b)
	cfg, err := pgxpool.ParseConfig(url)
	must(b, err)
	cfg.MaxConns = 40
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	must(b, err)
	b.Cleanup(pool.Close)
	return url, pool, store.New(pool)
}

func newStack(b *testing.B) *stack {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dbURL, pool, st := database(b)

	tsrv, err := devserver.Start(devserver.Options{LogLevel: "error"})
	must(b, err)
	b.Cleanup(func() { _ = tsrv.Stop() })
	run := harness(b)
	logger := run.logger
	tc, err := client.Dial(client.Options{HostPort: tsrv.Address(), Logger: sdklog.NewStructuredLogger(logger),
		Interceptors: []interceptor.ClientInterceptor{&callCounter{run: run}}})
	must(b, err)
	b.Cleanup(tc.Close)

	smtp := mailtest.Start(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(b, err)
	baseURL := "http://" + ln.Addr().String()
	cfg := config.Config{
		DatabaseURL: dbURL, TemporalAddress: tsrv.Address(), TemporalNamespace: "default",
		SMTPURL: smtp.URL(), MailFrom: "bienal <bienal@example.org>", BaseURL: baseURL,
		HTTPAddr: ln.Addr().String(), MetricsAddr: "127.0.0.1:0", ReminderSchedule: "0 * * * *",
		LogLevel: "warn", LogFormat: "text",
	}
	must(b, cfg.Validate())

	h, err := web.New(web.Options{Store: st, Temporal: tc, Logger: logger, BaseURL: baseURL,
		Receipt: activities.ComposeReceipt, LookupLimit: unlimited, SubmitLimit: unlimited})
	must(b, err)
	serve(b, h, ln)

	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx, worker.Options{Config: cfg, Client: tc, Pool: pool, Logger: logger}) }()
	b.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				b.Logf("worker stopped: %v", err)
			}
		case <-time.After(15 * time.Second):
			b.Error("worker did not stop within 15s")
		}
	})
	b.Cleanup(run.stopCounting) // runs first: the parts stop after it
	return &stack{pool: pool, store: st, client: tc, smtp: smtp, baseURL: baseURL}
}

// unlimited lifts the per-address rate limits: every benchmark client comes
// from 127.0.0.1, where a person would come from an address of their own.
var unlimited = web.RateLimit{PerMinute: 1e9, Burst: 1 << 20}

// serve runs h on ln, counting every 5xx it answers.
func serve(b *testing.B, h http.Handler, ln net.Listener) {
	srv := httptest.NewUnstartedServer(count5xx(b, h))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	b.Cleanup(srv.Close)
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// count runs a count query.
func count(b *testing.B, pool *pgxpool.Pool, sql string, args ...any) int {
	b.Helper()
	var n int
	must(b, pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// waitCount polls until the query counts want rows, and returns when it saw them.
func waitCount(b *testing.B, pool *pgxpool.Pool, want int, timeout time.Duration, sql string, args ...any) time.Time {
	b.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := count(b, pool, sql, args...)
		if n >= want {
			return time.Now()
		}
		if time.Now().After(deadline) {
			b.Fatalf("timed out after %s: %d of %d rows for %s", timeout, n, want, sql)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pct is the p-th percentile (0-100) of ds, nearest rank.
func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// median of ds.
func median(ds []time.Duration) time.Duration { return pct(ds, 50) }

// result prints and records one comparison: subject against baseline.
// lowerIsBetter says whether the ratio is subject/baseline of times (true)
// or of rates.
func result(b *testing.B, name string, subject, baseline float64, unit string, target float64, lowerIsBetter bool) {
	b.Helper()
	ratio := subject / baseline
	met := ratio <= target
	op := "<="
	if !lowerIsBetter {
		met, op = ratio >= target, ">="
	}
	b.Logf("%s: subject %.3f %s, baseline %.3f %s, ratio %.2f (target %s %.2f) met=%v",
		name, subject, unit, baseline, unit, ratio, op, target, met)
	b.ReportMetric(subject, name+"-"+unit)
	b.ReportMetric(baseline, name+"-baseline-"+unit)
	b.ReportMetric(ratio, name+"-ratio")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fmtDay(t time.Time) string { return t.Format(time.DateOnly) }
