// Package axetest drives a headless Chromium for the portal's browser tests
// and runs axe-core, the accessibility checker, over the pages and e-mails
// it opens. axe-core is the npm package .ci/install-axe installs into
// .ci/axe (pinned); Chromium is Debian's, as .ci/install-chromium installs
// it. Either missing fails the test with what to run, since a silent skip
// would hide that nothing was checked; BIENAL_SKIP_BROWSER=1 skips instead.
package axetest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// StepTimeout bounds one browser step; the machines are slow and shared.
const StepTimeout = 60 * time.Second

// Browser is one headless Chromium with one tab, owned by one test.
type Browser struct {
	t   testing.TB
	ctx context.Context
	axe string
}

// Widths are the viewports every page is checked at: a laptop and a phone.
var Widths = []int64{1280, 390}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("BIENAL_SKIP_BROWSER") == "1" {
		t.Skip(msg + " and BIENAL_SKIP_BROWSER=1: browser test skipped")
	}
	t.Fatal(msg + " (or set BIENAL_SKIP_BROWSER=1 to skip the browser tests)")
}

func findChromium(t testing.TB) string {
	t.Helper()
	path := os.Getenv("BIENAL_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
		if _, err := os.Stat(path); err != nil {
			if p, err := exec.LookPath("chromium"); err == nil {
				path = p
			}
		}
	}
	if _, err := os.Stat(path); err != nil {
		skipOrFail(t, "chromium not found at %s (nor on PATH): install it with .ci/install-chromium", path)
	}
	return path
}

// axeSource is axe-core's script: BIENAL_AXE when set, else the one
// .ci/install-axe installed.
func axeSource(t testing.TB) string {
	t.Helper()
	path := os.Getenv("BIENAL_AXE")
	if path == "" {
		path = filepath.Join(repoRoot(), ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		skipOrFail(t, "axe-core not found at %s: install it with .ci/install-axe (npm)", path)
	}
	return string(b)
}

// New starts Chromium with a fresh profile, pages' Content-Security-Policy
// bypassed so that axe-core can be injected; it stops with the test.
func New(t testing.TB) *Browser {
	t.Helper()
	path := findChromium(t)
	axe := axeSource(t)
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900)}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser and binds it to ctx: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium at %s: %v", path, err)
	}
	if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatalf("bypass the pages' CSP: %v", err)
	}
	return &Browser{t: t, ctx: ctx, axe: axe}
}

// Do runs steps within StepTimeout and fails the test, with the page's
// address and text, when one fails.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %s: %v\npage %s:\n%s", what, err, b.Location(), b.Text("body"))
	}
}

// Eval evaluates a JavaScript expression on the page and returns its value.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("browser: evaluate %.60q: %v", expr, err)
	}
	return v
}

// Text is the visible text of the first element sel matches, "" if none.
func (b *Browser) Text(sel string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		return ""
	}
	return s
}

// Location is the page's address.
func (b *Browser) Location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Location())
	return s
}

// oldPage marks the page shown before a step, so that waiting for an
// element of the next page never finds it in the old one.
const oldPage = "data-old-page"

func markOldPage() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`document.body !== null && (document.body.setAttribute("`+oldPage+`", "1"), true)`)(ctx, t)
		return err
	})
}

// Open loads url at a viewport width wide and waits until the new page
// shows the element ready.
func (b *Browser) Open(url string, width int64, ready string) {
	b.t.Helper()
	b.Do("open "+url, markOldPage(), chromedp.EmulateViewport(width, 900), chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("body:not(["+oldPage+"]) "+ready)))
}

// Then runs step (a click, Back) and waits until the next page shows ready.
func (b *Browser) Then(what string, step chromedp.Action[chromedp.Void], ready string) {
	b.t.Helper()
	b.Do(what, markOldPage(), step, chromedp.WaitVisible(chromedp.CSS("body:not(["+oldPage+"]) "+ready)))
}

// Violation is one rule axe-core found broken, with where.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	var where []string
	for _, n := range v.Nodes {
		where = append(where, fmt.Sprintf("%v %s", n.Target, n.HTML))
	}
	return fmt.Sprintf("%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(where, "\n    "))
}

// Check runs axe-core's default rules over the page shown and returns what
// they find broken.
func (b *Browser) Check() []Violation {
	b.t.Helper()
	if !Eval[bool](b, `typeof axe !== "undefined"`) {
		Eval[bool](b, b.axe+";true")
	}
	raw := Eval[[]byte](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`)
	var vs []Violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		b.t.Fatalf("read axe-core's results: %v", err)
	}
	return vs
}

// RequireAccessible fails the test for every violation axe-core finds on
// the page shown, at any impact, naming the page.
func (b *Browser) RequireAccessible(name string) {
	b.t.Helper()
	for _, v := range b.Check() {
		b.t.Errorf("%s: %s", name, v)
	}
}

// History is the addresses of the tab's history, oldest first.
func History(b *Browser) []string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	h, err := chromedp.Run(ctx, chromedp.NavigationEntries())
	if err != nil {
		b.t.Fatalf("browser: history: %v", err)
	}
	var out []string
	for _, e := range h.Entries {
		out = append(out, e.URL)
	}
	return out
}

// Until waits until expr is true on the page, whichever page it is by then
// (a wait for an element is bound to the document it started on).
func Until(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			// An evaluation during a navigation fails: try again.
			if ok, err := chromedp.Evaluate[bool](expr)(ctx, t); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", expr, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}
