package bench

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/workflows"
)

var (
	b1Activities = flag.Int("b1.activities", 1000, "B1: activities in execution")
	b1Countries  = flag.Int("b1.countries", 3, "B1: countries per activity")
	b3Votes      = flag.Int("b3.votes", 2000, "B3: vote signals")
	b3Rate       = flag.Float64("b3.rate", 50, "B3: vote signals per second")
)

const baselineQueue = "bench-baseline"

// baselineWorkflow is the bare shape of a report task: start, one insert in
// an activity, complete.
func baselineWorkflow(ctx workflow.Context, key string) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	return workflow.ExecuteActivity(ctx, "BaselineInsert", key).Get(ctx, nil)
}

type baselineActivities struct{ pool *pgxpool.Pool }

func (a baselineActivities) insert(ctx context.Context, key string) error {
	_, err := a.pool.Exec(ctx, `INSERT INTO bench_baseline (key) VALUES ($1) ON CONFLICT DO NOTHING`, key)
	return err
}

// BenchmarkB1CycleFanOut opens a cycle over b1.activities × b1.countries
// tasks until every task row and invitation row exists, against as many bare
// workflows of the same shape on the same server.
func BenchmarkB1CycleFanOut(b *testing.B) {
	ctx := context.Background()
	s := newStack(b)
	seed{countries: *b1Countries, activities: *b1Activities, involved: *b1Countries, status: "in_execution"}.write(b, s.pool)
	analyze(b, s.pool)
	n := *b1Activities * *b1Countries

	exec(b, s.pool, `CREATE TABLE bench_baseline (key text PRIMARY KEY)`)
	w := sdkworker.New(s.client, baselineQueue, sdkworker.Options{})
	w.RegisterWorkflowWithOptions(baselineWorkflow, workflow.RegisterOptions{Name: "BenchBaseline"})
	w.RegisterActivityWithOptions(baselineActivities{s.pool}.insert, activity.RegisterOptions{Name: "BaselineInsert"})
	must(b, w.Start())
	b.Cleanup(w.Stop)
	start := time.Now()
	startMany(b, n, func(i int) error {
		_, err := s.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("baseline/%d", i), TaskQueue: baselineQueue},
			"BenchBaseline", fmt.Sprintf("k%d", i))
		return err
	})
	baseline := waitCount(b, s.pool, n, 30*time.Minute, `SELECT count(*) FROM bench_baseline`).Sub(start)

	due := time.Now().UTC().AddDate(0, 0, 60).Truncate(24 * time.Hour)
	_, err := s.store.OpenCycle(ctx, biennium, "b1", "Fan-out", due, time.Time{})
	must(b, err)
	b.ResetTimer()
	start = time.Now()
	must(b, workflows.StartCycle(ctx, s.client, biennium, "b1"))
	waitCount(b, s.pool, n, 30*time.Minute, `SELECT count(*) FROM report_task`)
	subject := waitCount(b, s.pool, n, 30*time.Minute, `SELECT count(*) FROM email WHERE kind = 'task_invitation'`).Sub(start)
	b.StopTimer()
	b.Logf("B1: %d tasks (%d activities × %d countries)", n, *b1Activities, *b1Countries)
	result(b, "B1-fanout", subject.Seconds(), baseline.Seconds(), "s", 1.5, true)
}

// startMany calls start(i) for i < n from 32 goroutines, as the cycle starts
// its children many at a time.
func startMany(b *testing.B, n int, start func(i int) error) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := range next {
				// A failed start is counted and logged by the client's
				// interceptor (errors_test.go), and fails the run.
				_ = start(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
