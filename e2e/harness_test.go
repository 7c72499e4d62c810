// Package e2e runs bienal end to end on real parts: the embedded Temporal
// server, a fresh PostgreSQL database, a recording SMTP server, the portal
// over HTTP, the worker with its scheduler and delivery, and the bienal
// binary itself for every command a person would type.
package e2e

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/devserver"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
	"github.com/bienal/bienal/worker"
)

var (
	bienalBin       string
	updateHistories = flag.Bool("update-histories", false, "write the workflow histories of these tests to workflows/testdata for the replay tests")
	repoRoot, _     = filepath.Abs("..")
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "bienal-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bienalBin = filepath.Join(dir, "bienal")
	build := exec.Command("go", "build", "-o", bienalBin, "./cmd/bienal")
	build.Dir = repoRoot
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build bienal:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// stack is one complete bienal: every part real, in this process, except
// the commands, which run the built binary against it.
type stack struct {
	t        *testing.T
	cfg      config.Config
	pool     *pgxpool.Pool
	store    *store.Store
	temporal *devserver.Server
	client   client.Client
	smtp     *mailtest.Server
	baseURL  string
}

// stackOptions vary the stack for tests that break its parts.
type stackOptions struct {
	// TemporalFile keeps the Temporal server's state in this SQLite file, so
	// that the test can stop and start it again; empty keeps it in memory.
	TemporalFile string
	// NoWorker leaves the worker to the test, which runs `bienal worker` as
	// a child process it can kill.
	NoWorker bool
	// PayloadKeys is TEMPORAL_PAYLOAD_KEYS for every client and worker of
	// the stack; empty leaves payloads in plain JSON.
	PayloadKeys string
}

func newStack(t *testing.T) *stack { return newStackWith(t, stackOptions{}) }

func newStackWith(t *testing.T, o stackOptions) *stack {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dbURL := storetest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)

	// Only fatal: the server logs as errors the requests its clients cut
	// when each test stops, and the crash tests cut many on purpose.
	tsrv, err := devserver.Start(devserver.Options{DatabaseFile: o.TemporalFile, LogLevel: "fatal"})
	require.NoError(t, err)

	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	smtp := mailtest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	baseURL := "http://" + ln.Addr().String()
	cfg := config.Config{
		DatabaseURL: dbURL, TemporalAddress: tsrv.Address(), TemporalNamespace: "default",
		SMTPURL: smtp.URL(), MailFrom: "bienal <bienal@example.org>", BaseURL: baseURL,
		HTTPAddr: ln.Addr().String(), MetricsAddr: "127.0.0.1:0", ReminderSchedule: "0 * * * *",
		LogLevel: "warn", LogFormat: "text", TemporalPayloadKeys: o.PayloadKeys,
	}
	require.NoError(t, cfg.Validate())
	// The client every part of the stack shares, made as the binary makes
	// its own (config.TemporalOptions: the payload codec included).
	copts, err := cfg.TemporalOptions(logger, nil)
	require.NoError(t, err)
	tc, err := client.Dial(copts)
	require.NoError(t, err)

	s := &stack{t: t, cfg: cfg, pool: pool, store: store.New(pool), temporal: tsrv, client: tc, smtp: smtp, baseURL: baseURL}
	// The test may restart the server: stop whichever one runs at the end.
	t.Cleanup(func() { _ = s.temporal.Stop() })
	t.Cleanup(tc.Close)

	h, err := web.New(web.Options{Store: s.store, Temporal: tc, Logger: logger, BaseURL: baseURL, Receipt: activities.ComposeReceipt})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	if o.NoWorker {
		t.Cleanup(cancel)
		return s
	}
	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx, worker.Options{Config: cfg, Client: tc, Pool: pool, Logger: logger}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Logf("worker stopped: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("worker did not stop within 15s")
		}
	})
	return s
}

// env is the environment the bienal binary gets: the stack's configuration.
func (s *stack) env() []string {
	return append(os.Environ(),
		"DATABASE_URL="+s.cfg.DatabaseURL, "TEMPORAL_ADDRESS="+s.cfg.TemporalAddress, "TEMPORAL_NAMESPACE="+s.cfg.TemporalNamespace,
		"SMTP_URL="+s.cfg.SMTPURL, "BASE_URL="+s.cfg.BaseURL, "LOG_LEVEL=warn",
		"TEMPORAL_PAYLOAD_KEYS="+s.cfg.TemporalPayloadKeys)
}

// bienal runs the binary with args and returns its standard output; it
// fails the test when the command fails.
func (s *stack) bienal(args ...string) string {
	s.t.Helper()
	out, errOut, err := s.run("", args...)
	require.NoError(s.t, err, "bienal %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	return out
}

// run runs the binary with stdin and reports its outputs and error.
func (s *stack) run(stdin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(bienalBin, args...)
	cmd.Dir = repoRoot
	cmd.Env = s.env()
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *stack) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.pool.QueryRow(context.Background(), sql, args...).Scan(&n), sql)
	return n
}
