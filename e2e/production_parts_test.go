package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store/storetest"
)

// part is one bienal process of the production layout (`bienal worker`,
// `bienal web`), run from the binary as an operator's service manager
// runs it; its output goes to a file the test prints when it fails.
type part struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	mu   sync.Mutex
	gone bool
}

func startPart(t *testing.T, name string, env []string, args ...string) *part {
	t.Helper()
	p := &part{t: t, name: name, log: filepath.Join(t.TempDir(), name+".log"), done: make(chan struct{})}
	out, err := os.Create(p.log)
	require.NoError(t, err)
	p.cmd = exec.Command(bienalBin, args...)
	p.cmd.Dir = repoRoot
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = out, out
	require.NoError(t, p.cmd.Start(), name)
	go func() { _ = p.cmd.Wait(); out.Close(); close(p.done) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			if len(b) > 6000 {
				b = b[len(b)-6000:]
			}
			t.Logf("%s log (tail):\n%s", name, b)
		}
	})
	return p
}

// kill sends SIGKILL, as a crash or the OOM killer would.
func (p *part) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gone {
		return
	}
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGKILL))
	<-p.done
	p.gone = true
}

// stop sends SIGTERM, as `systemctl stop` does, and waits for the exit.
func (p *part) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gone {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.t.Errorf("%s did not stop within 20 s of SIGTERM", p.name)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.gone = true
}

// emptyDatabase creates a database with nothing in it (the admin
// connection closed at once, so the test holds no slot while it runs) and
// drops it when the test ends.
func emptyDatabase(t *testing.T, prefix string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, storetest.AdminURL())
	require.NoError(t, err)
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, admin.Close(ctx))
	require.NoError(t, err)
	t.Cleanup(func() {
		admin, err := pgx.Connect(context.Background(), storetest.AdminURL())
		if err != nil {
			return
		}
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close(context.Background())
	})
	return name
}

// recreateDatabase drops a database, its connections cut, and creates it
// again empty: a fresh server's database of the same name.
func recreateDatabase(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, storetest.AdminURL())
	require.NoError(t, err)
	defer func() { _ = admin.Close(ctx) }()
	_, err = admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
	require.NoError(t, err)
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
}

// databaseURL is the admin server's URL on another database, with query
// parameters added (pool_max_conns, application_name).
func databaseURL(t *testing.T, name string, params ...string) string {
	t.Helper()
	u, err := url.Parse(storetest.AdminURL())
	require.NoError(t, err)
	u.Path = "/" + name
	q := u.Query()
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pgTool runs pg_dump or pg_restore against the admin server as the README
// has the operator run them, and reports how long it took.
func pgTool(t *testing.T, tool string, args ...string) time.Duration {
	t.Helper()
	u, err := url.Parse(storetest.AdminURL())
	require.NoError(t, err)
	conn := []string{"--host", u.Hostname(), "--port", u.Port(), "--username", u.User.Username()}
	start := time.Now()
	out, err := exec.Command(tool, append(conn, args...)...).CombinedOutput()
	require.NoError(t, err, "%s %s: %s", tool, strings.Join(args, " "), out)
	return time.Since(start)
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)"[^>]*enctype="multipart/form-data"`)
	formToken  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// submitThroughPortal does what a focal point's browser does with the
// e-mailed link, against the portal at web (one replica behind the public
// URL): opens the task's page, fills in the report form and sends it.
func submitThroughPortal(t *testing.T, web, link, baseURL string) error {
	page := strings.Replace(link, baseURL, web, 1)
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(page)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("GET %s: %w", page, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", page, resp.StatusCode)
	}
	action, token := formAction.FindSubmatch(body), formToken.FindSubmatch(body)
	if action == nil || token == nil {
		return fmt.Errorf("GET %s: no report form on the page", page)
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range [][2]string{{"csrf", string(token[1])}, {"page_lang", "en"}, {"status", "on_track"},
		{"progress", "Two workshops held."}, {"results", "An agenda."}, {"difficulties", ""}, {"next_steps", "Publish it."},
		{"action", "submit"}} {
		require.NoError(t, mw.WriteField(f[0], f[1]))
	}
	require.NoError(t, mw.Close())
	target, err := url.Parse(page)
	require.NoError(t, err)
	target, err = target.Parse(string(action[1]))
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, target.String(), &b)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = client.Do(req)
	if err != nil {
		return err
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(answer, []byte(`id="confirmation"`)) {
		return fmt.Errorf("POST %s: %d, no confirmation", target, resp.StatusCode)
	}
	return nil
}

// waitReady polls a portal's /readyz until it answers 200.
func waitReady(t *testing.T, web string) {
	t.Helper()
	var last string
	eventually(t, web+"/readyz 200", 60*time.Second, func() bool {
		resp, err := http.Get(web + "/readyz")
		if err != nil {
			last = err.Error()
			return false
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		last = string(b)
		return resp.StatusCode == http.StatusOK
	})
	require.NotEmpty(t, last)
}
