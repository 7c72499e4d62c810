package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
)

// A benchmark that measured a failure measured nothing: a 500 answers
// faster than a page. So every benchmark keeps a log file of its own and
// counts what went wrong; one error fails it, with the count by kind and
// the file to read.
//
// Counted: HTTP answers of 5xx from the portal (as the server wrote them,
// whoever asked), requests that failed or did not answer as expected (as
// the benchmark's clients saw them), Temporal client calls that failed
// (from the benchmark, the portal or the worker: every call goes through
// one client), and records logged at level error by any part (worker,
// delivery, sweeper, portal, SDK).
//
// The log goes to $BENCH_LOG_DIR (default: the system's temporary
// directory) as bench-<benchmark>-<time>.log, at $BENCH_LOG_LEVEL (default
// warn); it is kept after the run.

// Error kinds, as the failure message names them.
const (
	kindHTTP5xx      = "HTTP 5xx answers"
	kindRequest      = "failed requests"
	kindWorkflowCall = "failed workflow calls"
	kindLogged       = "errors logged"
)

// benchRun is one benchmark's log file and error counts.
type benchRun struct {
	path   string
	file   *os.File
	logger *slog.Logger
	mu     sync.Mutex
	counts map[string]int
	// closing is set when the benchmark's parts start stopping: what they
	// log then (a worker's poll cut short) still goes to the file but is
	// not a failure of what was measured.
	closing atomic.Bool
}

var (
	runsMu sync.Mutex
	runs   = map[*testing.B]*benchRun{}
)

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// harness returns b's run, creating its log file on first use. The check
// is registered then, before anything else of the benchmark, so that it
// runs after every other cleanup, once every part has stopped.
func harness(b *testing.B) *benchRun {
	runsMu.Lock()
	defer runsMu.Unlock()
	if r, ok := runs[b]; ok {
		return r
	}
	dir := os.Getenv("BENCH_LOG_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	name := fmt.Sprintf("bench-%s-%s.log", unsafeName.ReplaceAllString(b.Name(), "_"), time.Now().Format("20060102-150405.000"))
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		b.Fatalf("benchmark log: %v", err)
	}
	level := slog.LevelWarn
	if v := os.Getenv("BENCH_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			b.Fatalf("BENCH_LOG_LEVEL: %v", err)
		}
	}
	r := &benchRun{path: path, file: f, counts: map[string]int{}}
	r.logger = slog.New(&countingHandler{Handler: slog.NewTextHandler(f, &slog.HandlerOptions{Level: level}), run: r})
	runs[b] = r
	b.Cleanup(func() {
		runsMu.Lock()
		delete(runs, b)
		runsMu.Unlock()
		r.check(b)
	})
	b.Logf("log: %s", path)
	return r
}

// record counts one error of kind and writes what happened to the log.
func (r *benchRun) record(kind, format string, args ...any) {
	r.mu.Lock()
	r.counts[kind]++
	r.mu.Unlock()
	r.logger.Warn(fmt.Sprintf(format, args...), "counted", kind)
}

// stopCounting marks the end of what is measured: the parts are stopping.
func (r *benchRun) stopCounting() { r.closing.Store(true) }

func (r *benchRun) check(b *testing.B) {
	r.mu.Lock()
	total := 0
	var parts []string
	for kind, n := range r.counts {
		total += n
		parts = append(parts, fmt.Sprintf("%d %s", n, kind))
	}
	r.mu.Unlock()
	sort.Strings(parts)
	if err := r.file.Close(); err != nil {
		b.Errorf("benchmark log %s: %v", r.path, err)
	}
	if total > 0 {
		// Errorf rather than Fatalf: this runs as a cleanup, after the
		// benchmark has returned; the benchmark fails all the same.
		b.Errorf("%d errors during the benchmark (%s): its figures do not count; log: %s", total, strings.Join(parts, ", "), r.path)
	}
}

// countingHandler counts records at level error while the benchmark runs.
type countingHandler struct {
	slog.Handler
	run *benchRun
}

func (h *countingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError || h.Handler.Enabled(ctx, l)
}

func (h *countingHandler) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Level >= slog.LevelError && !h.run.closing.Load() {
		h.run.mu.Lock()
		h.run.counts[kindLogged]++
		h.run.mu.Unlock()
	}
	return h.Handler.Handle(ctx, rec)
}

func (h *countingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &countingHandler{Handler: h.Handler.WithAttrs(as), run: h.run}
}

func (h *countingHandler) WithGroup(name string) slog.Handler {
	return &countingHandler{Handler: h.Handler.WithGroup(name), run: h.run}
}

// benchLogger is the logger every part of benchmark b logs to.
func benchLogger(b *testing.B) *slog.Logger { return harness(b).logger }

// count5xx wraps the portal's handler so that every 5xx it writes is counted.
func count5xx(b *testing.B, h http.Handler) http.Handler {
	r := harness(b)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, req)
		if sw.status >= 500 {
			r.record(kindHTTP5xx, "portal answered %d to %s %s", sw.status, req.Method, req.URL.Path)
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// callCounter is a Temporal client interceptor counting failed calls. A
// start refused because the workflow is already running is the answer an
// idempotent start expects, not a failure.
type callCounter struct {
	interceptor.ClientInterceptorBase
	run *benchRun
}

func (c *callCounter) InterceptClient(next interceptor.ClientOutboundInterceptor) interceptor.ClientOutboundInterceptor {
	return &countingCalls{ClientOutboundInterceptorBase: interceptor.ClientOutboundInterceptorBase{Next: next}, run: c.run}
}

type countingCalls struct {
	interceptor.ClientOutboundInterceptorBase
	run *benchRun
}

func (c *countingCalls) failed(call, id string, err error) {
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if err == nil || errors.As(err, &already) {
		return
	}
	c.run.record(kindWorkflowCall, "%s %s: %v", call, id, err)
}

func (c *countingCalls) ExecuteWorkflow(ctx context.Context, in *interceptor.ClientExecuteWorkflowInput) (client.WorkflowRun, error) {
	run, err := c.Next.ExecuteWorkflow(ctx, in)
	c.failed("ExecuteWorkflow", in.Options.ID, err)
	return run, err
}

func (c *countingCalls) SignalWorkflow(ctx context.Context, in *interceptor.ClientSignalWorkflowInput) error {
	err := c.Next.SignalWorkflow(ctx, in)
	c.failed("SignalWorkflow "+in.SignalName, in.WorkflowID, err)
	return err
}

func (c *countingCalls) SignalWithStartWorkflow(ctx context.Context, in *interceptor.ClientSignalWithStartWorkflowInput) (client.WorkflowRun, error) {
	run, err := c.Next.SignalWithStartWorkflow(ctx, in)
	c.failed("SignalWithStartWorkflow "+in.SignalName, in.Options.ID, err)
	return run, err
}

func (c *countingCalls) QueryWorkflow(ctx context.Context, in *interceptor.ClientQueryWorkflowInput) (converter.EncodedValue, error) {
	v, err := c.Next.QueryWorkflow(ctx, in)
	c.failed("QueryWorkflow "+in.QueryType, in.WorkflowID, err)
	return v, err
}

func (c *countingCalls) UpdateWorkflow(ctx context.Context, in *interceptor.ClientUpdateWorkflowInput) (client.WorkflowUpdateHandle, error) {
	h, err := c.Next.UpdateWorkflow(ctx, in)
	c.failed("UpdateWorkflow "+in.UpdateName, in.WorkflowID, err)
	return h, err
}

func (c *countingCalls) CancelWorkflow(ctx context.Context, in *interceptor.ClientCancelWorkflowInput) error {
	err := c.Next.CancelWorkflow(ctx, in)
	c.failed("CancelWorkflow", in.WorkflowID, err)
	return err
}

func (c *countingCalls) TerminateWorkflow(ctx context.Context, in *interceptor.ClientTerminateWorkflowInput) error {
	err := c.Next.TerminateWorkflow(ctx, in)
	c.failed("TerminateWorkflow", in.WorkflowID, err)
	return err
}
