package bench

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// portal serves h on a real listener for benchmark b and returns its URL.
func portal(b *testing.B, h http.HandlerFunc) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(b, err)
	serve(b, h, ln)
	return "http://" + ln.Addr().String()
}

// TestAnErrorFailsTheRun runs small benchmarks through the harness: one
// whose requests all succeed passes; one answered a 500, one whose request
// fails, and one whose parts log an error each fail, and the log file says
// what was counted.
func TestAnErrorFailsTheRun(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BENCH_LOG_DIR", dir)
	ok := testing.Benchmark(func(b *testing.B) {
		fetch(b, mustRequest(b, "GET", portal(b, func(w http.ResponseWriter, _ *http.Request) {})+"/healthz", ""))
		benchLogger(b).Warn("a warning is not an error")
	})
	require.NotZero(t, ok.N, "a clean run passes")

	for name, bench := range map[string]func(b *testing.B){
		"500": func(b *testing.B) {
			fetch(b, mustRequest(b, "GET", portal(b, func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "pool exhausted", http.StatusInternalServerError)
			})+"/tasks/x", ""))
		},
		"refused": func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			must(b, err)
			addr := ln.Addr().String()
			must(b, ln.Close())
			fetch(b, mustRequest(b, "GET", "http://"+addr+"/", ""))
		},
		"logged": func(b *testing.B) { benchLogger(b).Error("delivery failed", "id", 7) },
	} {
		res := testing.Benchmark(bench)
		require.Zero(t, res.N, "%s: a run with an error fails", name)
	}

	logs, err := filepath.Glob(filepath.Join(dir, "bench-*.log"))
	require.NoError(t, err)
	var all strings.Builder
	for _, l := range logs {
		b, err := os.ReadFile(l)
		require.NoError(t, err)
		all.Write(b)
	}
	for _, want := range []string{
		`portal answered 500 to GET /tasks/x" counted="HTTP 5xx answers"`,
		`GET /tasks/x: 500 <nil>`,
		`counted="failed requests"`,
		"connection refused",
		`level=ERROR msg="delivery failed" id=7`,
		"a warning is not an error",
	} {
		require.Contains(t, all.String(), want)
	}
}
