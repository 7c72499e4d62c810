package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/mail/mailtest"
)

// The browser tests drive Debian's chromium, headless, through chromedp:
// a person's clicks and keystrokes on the real portal, with a screenshot of
// every page they see written to e2e/artifacts.

const (
	chromiumPath = "/usr/bin/chromium"
	// stepTimeout bounds one browser step; the machine is slow and shared.
	stepTimeout = 90 * time.Second
	mailTimeout = 90 * time.Second
)

var artifactsDir = filepath.Join(repoRoot, "e2e", "artifacts")

// findChromium returns the browser's path: BIENAL_CHROMIUM when set, else
// Debian's chromium. A missing browser fails the test with what to do
// about it, since a silent skip would hide that the portal went untested;
// BIENAL_SKIP_BROWSER=1 skips instead, on purpose.
func findChromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("BIENAL_CHROMIUM")
	if path == "" {
		path = chromiumPath
		if _, err := os.Stat(path); err != nil {
			if p, err := exec.LookPath("chromium"); err == nil {
				path = p
			}
		}
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("BIENAL_SKIP_BROWSER") == "1" {
			t.Skipf("chromium not found at %s and BIENAL_SKIP_BROWSER=1: browser test skipped", path)
		}
		t.Fatalf("chromium not found at %s (nor on PATH): install it with .ci/install-chromium "+
			"(apt-get install chromium), or set BIENAL_SKIP_BROWSER=1 to skip the browser tests", path)
	}
	return path
}

// browser is one headless chromium with one tab, owned by one test.
type browser struct {
	t    *testing.T
	ctx  context.Context
	name string
}

// newBrowser starts chromium with a fresh profile; it stops with the test.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser and binds it to ctx: no timeout here.
	require.NoError(t, chromedp.Do(ctx), "start chromium at %s", path)
	require.NoError(t, os.MkdirAll(artifactsDir, 0o755))
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(t.Name(), "_")
	return &browser{t: t, ctx: ctx, name: name}
}

// do runs steps within stepTimeout; on failure it keeps a screenshot of the
// page as it was and fails the test with its address and text.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot(what + "-failed")
		b.t.Fatalf("browser: %s: %v\npage %s:\n%s", what, err, b.location(), b.text("body"))
	}
}

// The page shown before a step is marked, so that waiting for an element
// of the next page never finds it in the old one (a form answered with a
// redirect to the page it was on, a page loaded again).
const oldPage = "data-old-page"

// markOldPage marks the page shown now, if any: a new tab has none.
func markOldPage() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`document.body !== null && (document.body.setAttribute("`+oldPage+`", "1"), true)`)(ctx, t)
		return err
	})
}

// open loads url and waits until the new page shows the element ready.
func (b *browser) open(step, url, ready string) {
	b.t.Helper()
	b.do("open "+step,
		markOldPage(),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("body:not(["+oldPage+"]) "+ready)))
	b.shot(step)
}

// submit clicks button and waits until the next page shows ready.
func (b *browser) submit(step, button, ready string) {
	b.t.Helper()
	b.do("submit "+step,
		markOldPage(),
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitVisible(chromedp.CSS("body:not(["+oldPage+"]) "+ready)))
	b.shot(step)
}

// shot writes a full-page screenshot to e2e/artifacts/<test>-<step>.png.
func (b *browser) shot(step string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", step, err)
		return
	}
	path := filepath.Join(artifactsDir, b.name+"-"+step+".png")
	require.NoError(b.t, os.WriteFile(path, png, 0o644))
}

// text is the visible text of the first element sel matches, "" if none.
func (b *browser) text(sel string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		return ""
	}
	return s
}

func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Location())
	return s
}

// typeIn clicks into each field and types its text, as a person would.
func typeIn(fields ...string) []chromedp.Action[chromedp.Void] {
	var out []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(fields); i += 2 {
		out = append(out, chromedp.SendKeys(chromedp.CSS(fields[i]), fields[i+1]))
	}
	return out
}

// waitForLink waits for a message, from the index from on, whose text part
// carries a link of the portal under prefix (such as "/tasks/"), and
// returns the message and the link.
func (s *stack) waitForLink(from int, prefix string) (mailtest.Message, string) {
	s.t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.baseURL+prefix) + `[A-Za-z0-9_-]+`)
	var msg mailtest.Message
	var link string
	eventually(s.t, "an e-mail with a link to "+prefix, mailTimeout, func() bool {
		msgs := s.smtp.Messages()
		for _, m := range msgs[min(from, len(msgs)):] {
			parts, err := m.Parts()
			require.NoError(s.t, err)
			if l := re.FindString(parts.Text); l != "" {
				msg, link = m, l
				return true
			}
		}
		return false
	})
	return msg, link
}

// waitForMailTo waits for a message to recipient with the subject of the
// e-mail row of kind queued for them, and returns it.
func (s *stack) waitForMailTo(recipient, kind string) mailtest.Message {
	s.t.Helper()
	var subject string
	eventually(s.t, fmt.Sprintf("a %s e-mail row for %s", kind, recipient), mailTimeout, func() bool {
		err := s.pool.QueryRow(context.Background(),
			`SELECT subject FROM email WHERE recipient = $1 AND kind = $2`, recipient, kind).Scan(&subject)
		return err == nil
	})
	var got mailtest.Message
	eventually(s.t, fmt.Sprintf("the %s e-mail delivered to %s", kind, recipient), mailTimeout, func() bool {
		for _, m := range s.smtp.Messages() {
			if m.Subject == subject && strings.Contains(strings.Join(m.To, ","), recipient) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// futureDay is the date days from today, as a date field wants it.
func futureDay(days int) string {
	return time.Now().AddDate(0, 0, days).Format(time.DateOnly)
}

// spanishDay is day (YYYY-MM-DD) as a Spanish page writes it.
func spanishDay(t *testing.T, day string) string {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	require.NoError(t, err)
	return mail.FormatDate("es", d)
}
