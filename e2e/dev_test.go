package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// freeAddr finds an address for a server the test starts in another
// process. It is taken below the kernel's ephemeral range, where no
// outgoing connection can take it before the server binds it.
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 200 {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(20000+rand.IntN(12000)))
		if l, err := net.Listen("tcp", addr); err == nil {
			l.Close()
			return addr
		}
	}
	t.Fatal("no free port among 200 tried in 20000-31999")
	return ""
}

// devProcess is a running `bienal dev`.
type devProcess struct {
	cmd    *exec.Cmd
	output chan string
}

func startDev(t *testing.T, env []string, data, httpAddr string) *devProcess {
	t.Helper()
	cmd := exec.Command(bienalBin, "dev", "--data", data, "--http", httpAddr)
	cmd.Dir = repoRoot
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = io.Discard
	require.NoError(t, cmd.Start())
	p := &devProcess{cmd: cmd, output: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.output <- sc.Text()
		}
		close(p.output)
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.After(90 * time.Second)
	for {
		select {
		case line, ok := <-p.output:
			require.True(t, ok, "bienal dev exited before it was ready")
			if strings.Contains(line, "bienal dev is ready") {
				return p
			}
		case <-deadline:
			t.Fatal("bienal dev did not print that it was ready within 90s")
		}
	}
}

// stop sends Ctrl-C and waits for a clean exit.
func (p *devProcess) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "bienal dev exits cleanly on Ctrl-C")
	case <-time.After(30 * time.Second):
		t.Fatal("bienal dev did not stop within 30s of Ctrl-C")
	}
}

// The newcomer's path: `bienal dev` is ready, /readyz answers 200, the
// example imports, and after Ctrl-C and a new start everything is there.
func TestDevKeepsEverythingAcrossRestarts(t *testing.T) {
	data := t.TempDir()
	env := append(os.Environ(), "DATABASE_URL="+storetest.NewDatabase(t),
		"TEMPORAL_ADDRESS="+freeAddr(t), "LOG_LEVEL=warn")
	httpAddr := freeAddr(t)
	env = append(env, "BASE_URL=http://"+httpAddr)
	dev := startDev(t, env, data, httpAddr)

	resp, err := http.Get("http://" + httpAddr + "/readyz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = http.Get("http://" + httpAddr + "/metrics")
	require.NoError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(metrics), `bienal_emails{status="queued"}`)
	require.Contains(t, string(metrics), `bienal_report_tasks{status="overdue"}`)
	require.Contains(t, string(metrics), "temporal_request", "the SDK's own metrics")

	// A second dev on the same directory is refused, and says why.
	second := exec.Command(bienalBin, "dev", "--data", data, "--http", freeAddr(t))
	second.Env = env
	out, err := second.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "in use by another bienal dev")

	cli := func(args ...string) string {
		cmd := exec.Command(bienalBin, args...)
		cmd.Dir, cmd.Env = repoRoot, env
		out, err := cmd.Output()
		require.NoError(t, err, "bienal %v", args)
		return string(out)
	}
	cli("programme", "import", example)
	var acts []store.Activity
	require.NoError(t, json.Unmarshal([]byte(cli("activity", "list", "--json")), &acts))
	require.Len(t, acts, 9)
	eventually(t, "activities in execution", 30*time.Second, func() bool {
		return strings.Count(cli("activity", "list", "--status", "in_execution"), "2017-2018/") == 9
	})

	dev.stop(t)
	startDev(t, env, data, httpAddr)
	require.NoError(t, json.Unmarshal([]byte(cli("activity", "list", "--json")), &acts))
	require.Len(t, acts, 9)
	show := cli("activity", "show", "2017-2018/G1A1", "--json")
	require.Contains(t, show, `"stage": "execution"`, "the workflow is alive on the restarted server and answers its query")
}
