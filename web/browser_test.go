package web_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/web/axetest"
)

// The browser tests run the portal over real HTTP in headless Chromium:
// what a person clicks, where the focus goes, what Back does.

// serve runs the fixture's portal on a local port for a browser.
func (f *fixture) serve() string {
	f.t.Helper()
	srv := httptest.NewServer(f.handler)
	f.t.Cleanup(srv.Close)
	return srv.URL
}

// signInBrowser signs Ana in through the login page, as a person does.
func signInBrowser(t *testing.T, f *fixture, b *axetest.Browser, base string) {
	t.Helper()
	require.NoError(t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	b.Open(base+"/login?lang=en", 1280, "#login")
	b.Do("fill in the login", chromedp.SendKeys(chromedp.CSS("#email"), "ana@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"))
	b.Then("sign in", chromedp.Click(chromedp.CSS("#login")), "#open-cycle")
}

// A refused form, then a good one, then Back: the browser shows the
// dashboard again, not "Confirm Form Resubmission", since every answer was
// a redirect to a page (Post/Redirect/Get). The refused form's summary is
// at the form and takes the focus.
func TestBrowserBackAfterARefusedForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := axetest.New(t)
	base := f.serve()
	signInBrowser(t, f, b, base)

	b.Do("fill in a cycle due on no date", chromedp.SetValue(chromedp.CSS("#cycle_biennium"), "2017-2018"),
		chromedp.SendKeys(chromedp.CSS("#cycle_name"), "final"), chromedp.SetValue(chromedp.CSS("#cycle_due"), ""))
	b.Then("send it", chromedp.Click(chromedp.CSS("#open-cycle")), "#cycle-errors")
	require.Equal(t, "cycle-errors", axetest.Eval[string](b, `document.activeElement.id`), "the error summary takes the focus")
	require.Greater(t, axetest.Eval[float64](b, `window.scrollY`), 0.0, "and the page is scrolled to it, at the form")
	require.True(t, axetest.Eval[bool](b, `(() => { const r = document.querySelector("#cycle-errors").getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight })()`),
		"the summary is in view")
	require.Contains(t, b.Text("#cycle-errors"), "Due: This field is required.")
	require.Equal(t, "final", axetest.Eval[string](b, `document.querySelector("#cycle_name").value`), "what was typed is kept")

	b.Do("correct the date", chromedp.SetValue(chromedp.CSS("#cycle_due"), "2026-06-01"))
	b.Then("send it again", chromedp.Click(chromedp.CSS("#open-cycle")), "#cycle-notice")
	require.Contains(t, b.Location(), "/cycles/2017-2018/final?form=")

	// Every page in the tab's history was reached by GET: none is the
	// answer to a POST, which Back would offer to send again.
	entries := axetest.History(b)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		require.NotRegexp(t, `/(cycles|calls|login)$`, e, "a history entry is the answer to a POST")
	}
	b.Do("go back", chromedp.Evaluate[chromedp.Void](`history.back()`),
		axetest.Until(`location.pathname === "/" && document.querySelector("#open-cycle") !== null`))
	require.Contains(t, b.Location(), "/?form=", "Back shows the dashboard page again, without sending anything")
	require.Len(t, f.temporal.starts(), 1, "the cycle was opened once")
}

// The language chosen in the switcher is the language of the answer to a
// form sent afterwards.
func TestBrowserLanguageKeptAcrossAForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := axetest.New(t)
	base := f.serve()
	b.Open(base+"/login", 1280, "#login")
	b.Then("choose French", chromedp.Click(chromedp.CSS(`a[hreflang="fr"]`)), `#login`)
	require.Equal(t, "fr", axetest.Eval[string](b, `document.documentElement.lang`))
	b.Open(base+"/login", 1280, "#login")
	require.Equal(t, "fr", axetest.Eval[string](b, `document.documentElement.lang`), "the next page keeps it")
	b.Do("fill in a wrong password", chromedp.SendKeys(chromedp.CSS("#email"), "nobody@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the password"))
	b.Then("sign in", chromedp.Click(chromedp.CSS("#login")), "#login-error")
	require.Equal(t, "fr", axetest.Eval[string](b, `document.documentElement.lang`))
	require.Contains(t, b.Text("#login-error"), "Courriel ou mot de passe incorrect")
}

// A session that expires while a task's extension is being typed: the
// person signs in again and finds the form as they left it.
func TestBrowserExpiredSessionKeepsTheForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := axetest.New(t)
	base := f.serve()
	signInBrowser(t, f, b, base)
	b.Open(base+"/cycles/2017-2018/mid", 1280, "#close-cycle")
	reason := "Elections in April; the new minister names the focal point"
	b.Do("fill in an extension", chromedp.Click(chromedp.CSS("#actions-A1-CL summary")),
		chromedp.SetValue(chromedp.CSS("#until-A1-CL"), "2026-04-10"), chromedp.SendKeys(chromedp.CSS("#reason-A1-CL"), reason))
	_, err := f.pool.Exec(context.Background(), `UPDATE web_session SET created_at = '2026-03-04 10:00Z', expires_at = '2026-03-05 11:00Z'`)
	require.NoError(t, err)
	b.Then("send it", chromedp.Click(chromedp.CSS("#extend-A1-CL")), "#login-kept")
	require.Contains(t, b.Text("#login-kept"), "Your session has expired")
	b.Do("sign in again", chromedp.SendKeys(chromedp.CSS("#email"), "ana@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"))
	b.Then("sign in", chromedp.Click(chromedp.CSS("#login")), "#notice-A1-CL")
	require.Equal(t, "notice-A1-CL", axetest.Eval[string](b, `document.activeElement.id`), "the kept form's row has the focus")
	require.Equal(t, reason, axetest.Eval[string](b, `document.querySelector("#reason-A1-CL").value`))
	require.Equal(t, "2026-04-10", axetest.Eval[string](b, `document.querySelector("#until-A1-CL").value`))
	require.Empty(t, f.temporal.sent(), "nothing was sent before the person sends it again")
}

// A focal point's proposal refused, then sent: every page of the tab's
// history was reached by GET, so Back never offers to send it again.
func TestBrowserProposalBackAfterARefusal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := axetest.New(t)
	base := f.serve()
	call := f.callLink()
	b.Open(base+call+"?lang=en", 1280, "#propose")
	b.Do("fill in a proposal without its end", chromedp.SetValue(chromedp.CSS("#goal"), "1"),
		chromedp.SetValue(chromedp.CSS("#line_of_action"), "1"), chromedp.SendKeys(chromedp.CSS("#title"), "Open data"),
		chromedp.SendKeys(chromedp.CSS("#description"), "Shared portal"), chromedp.SetValue(chromedp.CSS("#starts_on"), "2017-03-01"))
	b.Then("send it", chromedp.Click(chromedp.CSS("#propose")), "#form-error")
	require.Equal(t, "form-error", axetest.Eval[string](b, `document.activeElement.id`), "the error summary takes the focus")
	require.Equal(t, "Open data", axetest.Eval[string](b, `document.querySelector("#title").value`))
	b.Do("give its end", chromedp.SetValue(chromedp.CSS("#ends_on"), "2018-06-30"))
	b.Then("send it again", chromedp.Click(chromedp.CSS("#propose")), "#confirmation")
	for _, e := range axetest.History(b) {
		require.NotContains(t, e, "/propose", "a history entry is the answer to a POST")
	}
	b.Do("go back", chromedp.Evaluate[chromedp.Void](`history.back()`),
		axetest.Until(`document.querySelector("#propose") !== null`))
	require.Equal(t, 1, f.count("activity WHERE code = 'G1P1'"), "proposed once")
}
