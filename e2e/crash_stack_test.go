package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/devserver"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
)

// workerApp is the application_name the child worker gives Postgres, so that
// the test can cut exactly its connections.
const workerApp = "bienal-crash-worker"

// crashStack is a stack whose worker is a child process that the test kills
// at will, and whose Temporal server keeps its state in a SQLite file so that
// it can be stopped and started again.
type crashStack struct {
	*stack
	dbFile  string
	port    int
	logFile string

	mu     sync.Mutex
	worker *exec.Cmd
	done   chan struct{}
	kills  int
}

func newCrashStack(t *testing.T) *crashStack {
	t.Helper()
	dbURL := storetest.NewDatabase(t)
	pool, err := pgxpool.New(context.Background(), dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)

	dir := t.TempDir()
	cs := &crashStack{dbFile: filepath.Join(dir, "temporal.db"), logFile: filepath.Join(dir, "worker.log")}
	tsrv, err := devserver.Start(devserver.Options{DatabaseFile: cs.dbFile, LogLevel: "error"})
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(tsrv.Address())
	cs.port, _ = strconv.Atoi(port)

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	tc, err := client.Dial(client.Options{HostPort: tsrv.Address(), Logger: sdklog.NewStructuredLogger(logger)})
	require.NoError(t, err)

	smtp := mailtest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	baseURL := "http://" + ln.Addr().String()
	cfg := config.Config{
		DatabaseURL: dbURL, TemporalAddress: tsrv.Address(), TemporalNamespace: "default",
		SMTPURL: smtp.URL(), MailFrom: "bienal <bienal@example.org>", BaseURL: baseURL,
		HTTPAddr: ln.Addr().String(), MetricsAddr: "127.0.0.1:0", ReminderSchedule: "0 * * * *",
		LogLevel: "warn", LogFormat: "text",
	}
	require.NoError(t, cfg.Validate())
	s := store.New(pool)
	h, err := web.New(web.Options{Store: s, Temporal: tc, Logger: logger, BaseURL: baseURL, Receipt: activities.ComposeReceipt})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()

	cs.stack = &stack{t: t, cfg: cfg, pool: pool, store: s, temporal: tsrv, client: tc, smtp: smtp, baseURL: baseURL}
	t.Cleanup(func() {
		cs.stopWorker()
		srv.Close()
		tc.Close()
		_ = cs.temporal.Stop()
	})
	return cs
}

// workerEnv is the stack's environment with the worker's own name in its
// database URL and a metrics port of its own.
func (cs *crashStack) workerEnv() []string {
	u, err := url.Parse(cs.cfg.DatabaseURL)
	require.NoError(cs.t, err)
	q := u.Query()
	q.Set("application_name", workerApp)
	u.RawQuery = q.Encode()
	return append(cs.env(), "DATABASE_URL="+u.String(), "METRICS_ADDR=127.0.0.1:0",
		"MAIL_FROM="+cs.cfg.MailFrom)
}

// startWorker starts `bienal worker` as a child; its output goes to a file
// that the test prints when it fails.
func (cs *crashStack) startWorker() error {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out, err := os.OpenFile(cs.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open worker log: %w", err)
	}
	cmd := exec.Command(bienalBin, "worker")
	cmd.Dir = repoRoot
	cmd.Env = cs.workerEnv()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("start worker: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); out.Close(); close(done) }()
	cs.worker, cs.done = cmd, done
	return nil
}

// killWorker sends SIGKILL and waits for the process to be gone. With no
// worker alive, a message it had claimed is past its lease by definition:
// the test moves the lease's end to now rather than wait five minutes.
func (cs *crashStack) killWorker() error {
	cs.mu.Lock()
	cmd, done := cs.worker, cs.done
	cs.worker = nil
	cs.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill worker: %w", err)
	}
	<-done
	cs.mu.Lock()
	cs.kills++
	cs.mu.Unlock()
	_, err := cs.pool.Exec(context.Background(), `UPDATE email SET next_attempt_at = now() WHERE status = 'sending'`)
	return err
}

// stopWorker ends the child at the end of the test.
func (cs *crashStack) stopWorker() {
	cs.mu.Lock()
	cmd, done := cs.worker, cs.done
	cs.worker = nil
	cs.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// restartTemporal stops the embedded server and starts it again on the same
// file and port; clients reconnect on their own.
func (cs *crashStack) restartTemporal() {
	require.NoError(cs.t, cs.temporal.Stop())
	var err error
	for range 20 { // the port may linger for a moment after the stop
		cs.temporal, err = devserver.Start(devserver.Options{DatabaseFile: cs.dbFile, FrontendPort: cs.port, LogLevel: "error"})
		if err == nil {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	require.NoError(cs.t, err, "restart temporal on %s", cs.dbFile)
}

// terminateWorkerConns cuts every Postgres connection of the child worker.
func (cs *crashStack) terminateWorkerConns() int {
	return cs.count(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`, workerApp)
}

// dumpWorkerLog prints the child's output when the test has failed.
func (cs *crashStack) dumpWorkerLog() {
	if !cs.t.Failed() {
		return
	}
	b, _ := os.ReadFile(cs.logFile)
	if len(b) > 8000 {
		b = b[len(b)-8000:]
	}
	cs.t.Logf("worker log (tail):\n%s", b)
}
