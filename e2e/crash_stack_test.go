package e2e

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/devserver"
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
	dir := t.TempDir()
	cs := &crashStack{dbFile: filepath.Join(dir, "temporal.db"), logFile: filepath.Join(dir, "worker.log")}
	cs.stack = newStackWith(t, stackOptions{TemporalFile: cs.dbFile, NoWorker: true})
	_, port, _ := net.SplitHostPort(cs.temporal.Address())
	cs.port, _ = strconv.Atoi(port)
	t.Cleanup(cs.stopWorker)
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
		cs.temporal, err = devserver.Start(devserver.Options{DatabaseFile: cs.dbFile, FrontendPort: cs.port, LogLevel: "fatal"})
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
