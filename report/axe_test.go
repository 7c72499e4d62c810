package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
)

// axeScript is axe-core, the accessibility checker: BIENAL_AXE when set,
// else the one .ci/install-axe installs (npm, pinned by checksum).
func axeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("BIENAL_AXE")
	if path == "" {
		_, file, _, _ := runtime.Caller(0)
		path = filepath.Join(filepath.Dir(file), "..", ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("axe-core not found at %s: install it with .ci/install-axe (npm)", path)
		if os.Getenv("BIENAL_SKIP_BROWSER") == "1" {
			t.Skip(msg + " and BIENAL_SKIP_BROWSER=1: skipped")
		}
		t.Fatal(msg + " (or set BIENAL_SKIP_BROWSER=1 to skip the browser tests)")
	}
	return string(b)
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		HTML string `json:"html"`
	} `json:"nodes"`
}

// TestHTMLPassesAxe opens the printable HTML - the page the PDF is printed
// from - in headless Chromium, in Spanish and in English, and runs
// axe-core's default rules over it: no violation of impact serious or
// critical. The PDF carries the same structure as tags (TestPDF checks
// them), which axe, a checker of web pages, does not read.
func TestHTMLPassesAxe(t *testing.T) {
	axe := axeScript(t)
	path, err := findBrowser()
	require.NoError(t, err)
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	reporttest.SeedEvidence(t, pool)
	d, err := s.LoadReportData(context.Background(), reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	r := Build(d)

	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx))

	for _, lang := range []string{"es", "en"} {
		var page bytes.Buffer
		require.NoError(t, Write(context.Background(), &page, r, lang, "html"))
		file := filepath.Join(dir, "report-"+lang+".html")
		require.NoError(t, os.WriteFile(file, page.Bytes(), 0o600))
		step, done := context.WithTimeout(ctx, 60*time.Second)
		require.NoError(t, chromedp.Do(step, chromedp.Navigate("file://"+file)))
		_, err := chromedp.Run(step, chromedp.Evaluate[bool](axe+";true"))
		require.NoError(t, err)
		out, err := chromedp.Run(step, chromedp.Evaluate[string](
			`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
		done()
		require.NoError(t, err)
		var violations []axeViolation
		require.NoError(t, json.Unmarshal([]byte(out), &violations))
		var serious []string
		for _, v := range violations {
			if v.Impact == "serious" || v.Impact == "critical" {
				var where []string
				for _, n := range v.Nodes {
					where = append(where, n.HTML)
				}
				serious = append(serious, fmt.Sprintf("%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(where, "\n    ")))
			}
		}
		require.Empty(t, serious, "%s: axe-core finds\n%s", lang, strings.Join(serious, "\n"))
	}
}
