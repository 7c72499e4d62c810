package bench

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

var (
	b5Tasks   = flag.Int("b5.tasks", 10000, "B5: open tasks (10 countries, tasks/10 activities)")
	b5Clients = flag.Int("b5.clients", 50, "B5: concurrent clients")
	b5Each    = flag.Int("b5.each", 4, "B5: reports each client loads and submits")
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// BenchmarkB5Portal has b5.clients clients at once each load the report page
// of a task and submit its report, b5.each times, with b5.tasks open tasks;
// the baseline is GET /healthz under the same concurrency.
func BenchmarkB5Portal(b *testing.B) {
	ctx := context.Background()
	s := newStack(b)
	seed{countries: 10, activities: *b5Tasks / 10, involved: 10, status: "in_execution"}.write(b, s.pool)
	due := time.Now().UTC().AddDate(0, 0, 30).Truncate(24 * time.Hour)
	openCycle(b, s.pool, "b5", due, time.Now().AddDate(0, 0, -1))
	analyze(b, s.pool)

	n := *b5Clients * *b5Each
	tokens := make([]string, n)
	rows, err := s.pool.Query(ctx, `SELECT code, country FROM report_task ORDER BY code DESC, country LIMIT $1`, n)
	must(b, err)
	var keys []cooperation.TaskKey
	for rows.Next() {
		k := cooperation.TaskKey{Biennium: biennium, Cycle: "b5"}
		must(b, rows.Scan(&k.Code, &k.Country))
		keys = append(keys, k)
	}
	must(b, rows.Err())
	for _, k := range keys {
		// The tasks reported on have their workflows running, to take the signal.
		_, err := s.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.TaskID(k.Biennium, k.Cycle, k.Code, k.Country),
			TaskQueue: workflows.TaskQueue}, workflows.TaskWorkflowName,
			workflows.TaskInput{Biennium: k.Biennium, Cycle: k.Cycle, Code: k.Code, Country: k.Country,
				Due: fmtDay(due), Closes: fmtDay(due.AddDate(0, 2, 0))})
		must(b, err)
	}
	// Wait for the invitations, so the worker is idle when the clients start;
	// then replace each invitation's link with one whose token is known here.
	waitCount(b, s.pool, n, 2*time.Minute, `SELECT count(*) FROM email WHERE kind = 'task_invitation'`)
	for i, k := range keys {
		tokens[i], err = s.store.CreateLink(ctx, store.PurposeReport, "task/"+k.String(), focalPoint(k.Country), due.AddDate(0, 3, 0))
		must(b, err)
	}

	health := concurrently(*b5Clients, *b5Each*2, func(int, int) []time.Duration {
		start := time.Now()
		fetch(b, mustRequest(b, "GET", s.baseURL+"/healthz", ""))
		return []time.Duration{time.Since(start)}
	})
	b.ResetTimer()
	var gets, posts []time.Duration
	var mu sync.Mutex
	concurrently(*b5Clients, *b5Each, func(c, j int) []time.Duration {
		g, p := report(b, s.baseURL, tokens[c**b5Each+j])
		mu.Lock()
		gets, posts = append(gets, g), append(posts, p)
		mu.Unlock()
		return nil
	})
	b.StopTimer()
	waitCount(b, s.pool, n, time.Minute, `SELECT count(*) FROM report_task WHERE status = 'submitted'`)
	if got := count(b, s.pool, `SELECT count(*) FROM submission`); got != n {
		b.Fatalf("%d submissions stored, want %d", got, n)
	}
	all := append(append([]time.Duration{}, gets...), posts...)
	b.Logf("B5: %d clients, %d page loads and %d submissions; GET p50 %.1f ms p99 %.1f ms, POST p50 %.1f ms p99 %.1f ms",
		*b5Clients, len(gets), len(posts), ms(pct(gets, 50)), ms(pct(gets, 99)), ms(pct(posts, 50)), ms(pct(posts, 99)))
	b.ReportMetric(ms(pct(gets, 99)), "B5-get-p99-ms")
	b.ReportMetric(ms(pct(posts, 99)), "B5-post-p99-ms")
	b.Logf("B5: all requests p50 %.1f ms p99 %.1f ms; baseline GET /healthz p50 %.2f ms p99 %.2f ms (ratio p50 %.1f, p99 %.1f)",
		ms(pct(all, 50)), ms(pct(all, 99)), ms(pct(health, 50)), ms(pct(health, 99)),
		ms(pct(all, 50))/ms(pct(health, 50)), ms(pct(all, 99))/ms(pct(health, 99)))
	b.ReportMetric(ms(pct(all, 50)), "B5-p50-ms")
	b.ReportMetric(ms(pct(all, 99)), "B5-p99-ms")
	b.Logf("B5: p99 %.1f ms, target < 50 ms, met=%v", ms(pct(all, 99)), pct(all, 99) < 50*time.Millisecond)
}

// report loads a task's page and submits its report, timing each request.
func report(b *testing.B, base, token string) (get, post time.Duration) {
	start := time.Now()
	page := fetch(b, mustRequest(b, "GET", base+"/l/"+token, ""))
	get = time.Since(start)
	m := csrfField.FindSubmatch(page)
	if m == nil {
		harness(b).record(kindRequest, "report page has no form token:\n%.2000s", page)
		return get, 0
	}
	form := url.Values{"csrf": {string(m[1])}, "status": {"on_track"},
		"progress": {"Workshops held in three provinces; the survey is in the field."},
		"results":  {"Draft diagnostic shared with the ministry."}}
	start = time.Now()
	done := fetch(b, mustRequest(b, "POST", base+"/l/"+token+"/report", form.Encode()))
	post = time.Since(start)
	if !strings.Contains(string(done), `id="confirmation"`) {
		harness(b).record(kindRequest, "submission page does not show the report:\n%.2000s", done)
	}
	return get, post
}

// concurrently runs clients goroutines, each calling f each times, and
// collects what they return.
func concurrently(clients, each int, f func(client, i int) []time.Duration) []time.Duration {
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				ds := f(c, i)
				mu.Lock()
				all = append(all, ds...)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return all
}

func mustRequest(b *testing.B, method, u, form string) *http.Request {
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequest(method, u, body)
	must(b, err)
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}, Timeout: 30 * time.Second}

// fetch sends a request and returns the body of a 200 answer; any other
// outcome is counted, with the details in the benchmark's log.
func fetch(b *testing.B, req *http.Request) []byte {
	resp, err := httpClient.Do(req)
	if err != nil {
		harness(b).record(kindRequest, "%s %s: %v", req.Method, req.URL.Path, err)
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		harness(b).record(kindRequest, "%s %s: %d %v\n%.2000s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return body
}
