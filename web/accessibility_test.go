package web_test

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/web/axetest"
	"github.com/bienal/bienal/workflows"
)

// portalPage is one page of the portal the accessibility check opens.
type portalPage struct {
	name, path, ready string
}

// accessibleFixture is a portal with something on every page: a cycle with
// tasks, a round open for a vote, a proposal sent back for changes, a call,
// messages in the log.
func accessibleFixture(t *testing.T) (*fixture, []portalPage, []portalPage) {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	require.NoError(t, f.store.SetPassword(ctx, "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	f.temporal.state = workflows.ActivityState{Majority: 4, Votes: []workflows.CastVote{{Member: "fp.mx@example.org", Decision: "approve"}}}
	vote := f.openRound(now.Add(7 * 24 * time.Hour))
	_, err := f.pool.Exec(ctx, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, description, status, round, version)
			VALUES ('2017-2018', 'A2', 1, 1, 'CL', 'Open data', 'A shared portal.', 'changes_requested', 1, 1);
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
			VALUES ('2017-2018', 'A3', 1, 1, 'CL', 'Broadband', 'in_execution');
		-- A1's title was written in English and translated into Spanish only:
		-- pages in Portuguese and French say so, in an element naming English.
		INSERT INTO programme_text (biennium, subject, field, original_language, language, body) VALUES
			('2017-2018', 'activity/A1', 'title', 'en', 'en', 'Digital agenda'),
			('2017-2018', 'activity/A1', 'title', 'en', 'es', 'Agenda digital');
		INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text, status, last_error)
			VALUES ('k1', 'fp.cl@example.org', 'en', 'task_invitation', 'Report requested: Digital agenda', 'Dear Focal Chile, ...', 'failed', '550 mailbox unavailable')`)
	require.NoError(t, err)
	report := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	revise := f.link(store.PurposeRevise, store.ActivityRef("2017-2018", "A2"), "fp.cl@example.org", now.Add(30*24*time.Hour))
	complete := f.link(store.PurposeComplete, store.ActivityRef("2017-2018", "A3"), "fp.cl@example.org", now.Add(30*24*time.Hour))
	expired := f.link(store.PurposeReport, "task/2017-2018/mid/A1/MX", "fp.mx@example.org", now.Add(-time.Hour))
	call := f.callLink()
	var emailID int64
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT id FROM email WHERE dedup_key = 'k1'`).Scan(&emailID))
	// A proposal refused: its page shows the errors (a flash bound to the link).
	form := goodProposal(f.formToken(call))
	form.Set("title", "")
	form.Set("ends_on", "2016-01-01")
	refused := f.post(call+"/propose", form).header.Get("Location")
	require.Contains(t, refused, "form=")
	// One refused over its translations: their section open, with errors.
	form = goodProposal(f.formToken(call))
	form.Set("texts_language", "en")
	form.Set("title_pt", "Dados abertos")
	form.Set("expected_outputs_pt", "Portal")
	form.Set("description_fr", "Portail partagé")
	translations := f.post(call+"/propose", form).header.Get("Location")
	require.Contains(t, translations, "form=")

	anonymous := []portalPage{
		{"login", "/login", "#login"},
		{"login after an expired session", "/login?kept=1&next=%2F", "#login-kept"},
		{"dead link, cut", "/l/abc", "#dead-why"},
		{"dead link, expired", "/l/" + expired, "#dead-why"},
		{"page not found", "/nope", "main"},
		{"report", "/l/" + report, "main form"},
		{"vote", "/vote/" + vote, "main form"},
		{"revision", "/revise/" + revise, "#revise"},
		{"completion", "/l/" + complete, "#complete"},
		{"call for proposals", call, "#propose"},
		{"call for proposals, refused", refused, "#form-error"},
		{"call for proposals, translations refused", translations, "#form-error"},
	}
	signedIn := []portalPage{
		{"dashboard", "/", "#open-cycle"},
		{"cycle", "/cycles/2017-2018/mid", "#close-cycle"},
		{"task review", "/cycles/2017-2018/mid/tasks/A1/CL", "main"},
		{"confirm waive", "/cycles/2017-2018/mid/tasks/A1/CL/waive?waive_reason=No+activity", "#confirm"},
		{"confirm revoke, no reason", "/cycles/2017-2018/mid/tasks/A1/CL/revoke?revoke_reason=", "#continue"},
		{"confirm close", "/cycles/2017-2018/mid/close", "#confirm"},
		{"goal", "/goals/2017-2018/1", "main table"},
		{"activity", "/activities/2017-2018/A1", "#timeline"},
		{"e-mail log", "/emails", "#filter"},
		{"e-mail message", fmt.Sprintf("/emails/%d", emailID), "#email-text"},
	}
	return f, anonymous, signedIn
}

// withLang adds ?lang= to a page's address.
func withLang(path, lang string) string {
	u, _ := url.Parse(path)
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

// Every page of the portal, in the four languages, on a laptop and on a
// phone, passes axe-core's default rules with no violation at any impact:
// those reached by link, those behind the login, and the states a form
// leaves them in (errors, a notice).
func TestPortalPagesPassAxe(t *testing.T) {
	t.Parallel()
	f, anonymous, signedIn := accessibleFixture(t)
	b := axetest.New(t)
	base := f.serve()
	checked := 0
	check := func(p portalPage, lang string, width int64) {
		t.Helper()
		b.Open(base+withLang(p.path, lang), width, p.ready)
		b.RequireAccessible(fmt.Sprintf("%s (%s, %d px)", p.name, lang, width))
		checked++
	}
	for _, lang := range []string{"es", "en", "pt", "fr"} {
		for _, width := range axetest.Widths {
			for _, p := range anonymous {
				check(p, lang, width)
			}
		}
	}
	signInBrowser(t, f, b, base)
	// A form refused on the dashboard and answered on the cycle page.
	b.Do("send a cycle with no due date", chromedp.SetValue(chromedp.CSS("#cycle_biennium"), "2017-2018"),
		chromedp.SendKeys(chromedp.CSS("#cycle_name"), "final"))
	b.Then("send it", chromedp.Click(chromedp.CSS("#open-cycle")), "#cycle-errors")
	signedIn = append(signedIn, portalPage{"dashboard, refused", strings.TrimPrefix(b.Location(), base), "#cycle-errors"})
	b.Open(base+"/cycles/2017-2018/mid", 1280, "#close-cycle")
	b.Do("extend a task with no reason", chromedp.Click(chromedp.CSS("#actions-A1-CL summary")),
		chromedp.SetValue(chromedp.CSS("#until-A1-CL"), "2026-04-10"))
	b.Then("send it", chromedp.Click(chromedp.CSS("#extend-A1-CL")), "#errors-A1-CL")
	signedIn = append(signedIn, portalPage{"cycle, refused", strings.TrimPrefix(b.Location(), base), "#errors-A1-CL"})
	for _, lang := range []string{"es", "en", "pt", "fr"} {
		for _, width := range axetest.Widths {
			for _, p := range signedIn {
				check(p, lang, width)
			}
		}
	}
	t.Logf("axe-core passed %d pages (%d addresses in 4 languages at %v px)", checked, len(anonymous)+len(signedIn), axetest.Widths)
}

// On a phone, the rows of a table stack, and each cell still says which
// column it is.
func TestStackedCellsKeepTheirHeaders(t *testing.T) {
	t.Parallel()
	f, _, _ := accessibleFixture(t)
	b := axetest.New(t)
	base := f.serve()
	signInBrowser(t, f, b, base)
	for _, path := range []string{"/cycles/2017-2018/mid?lang=en", "/emails?lang=en", "/goals/2017-2018/1?lang=en", "/?lang=en"} {
		b.Open(base+path, 390, "main")
		labels := axetest.Eval[[]string](b, `[...document.querySelectorAll("main td")].filter(td => td.offsetParent !== null && td.colSpan === 1)
			.map(td => getComputedStyle(td, "::before").content)`)
		require.NotEmpty(t, labels, path)
		for _, l := range labels {
			require.NotEqual(t, "none", l, "%s: a stacked cell without its header", path)
		}
		require.Equal(t, "block", axetest.Eval[string](b, `getComputedStyle(document.querySelector("main td")).display`), "%s: stacked", path)
	}
	b.Open(base+"/cycles/2017-2018/mid?lang=en", 390, "main")
	require.Equal(t, `"Country: "`, axetest.Eval[string](b, `getComputedStyle(document.querySelector("#row-A1-CL td:nth-child(2)"), "::before").content`))
	require.LessOrEqual(t, axetest.Eval[float64](b, `document.documentElement.scrollWidth`), 390.0, "nothing widens the page on a phone")
}

// The focus ring a keyboard user follows contrasts at least 3:1 with what
// surrounds it (WCAG 2.2, 1.4.11), on the page and on a form.
func TestFocusRingContrast(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := axetest.New(t)
	base := f.serve()
	b.Open(base+"/login?lang=en", 1280, "#login")
	for i := range 4 {
		b.Do("tab", chromedp.KeyEvent("\t"))
		el := axetest.Eval[string](b, `document.activeElement.id || document.activeElement.tagName`)
		style := axetest.Eval[[]string](b, `(() => { const s = getComputedStyle(document.activeElement);
			return [s.outlineStyle, s.outlineWidth, s.outlineColor, getComputedStyle(document.body).backgroundColor,
				getComputedStyle(document.querySelector("main")).backgroundColor]; })()`)
		require.NotEqual(t, "none", style[0], "focus %d (%s) shows a ring", i, el)
		width, err := strconv.ParseFloat(strings.TrimSuffix(style[1], "px"), 64)
		require.NoError(t, err)
		require.GreaterOrEqual(t, width, 2.0, "%s: the ring is at least 2 px", el)
		for _, bg := range style[3:] {
			c := contrast(t, style[2], bg)
			require.GreaterOrEqual(t, c, 3.0, "%s: ring %s on %s is %.2f:1", el, style[2], bg, c)
		}
	}
}

// contrast is WCAG's contrast ratio of two CSS rgb() colours.
func contrast(t *testing.T, a, b string) float64 {
	t.Helper()
	la, lb := luminance(t, a), luminance(t, b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(t *testing.T, css string) float64 {
	t.Helper()
	var r, g, bl float64
	inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(css, "rgba("), "rgb("), ")")
	parts := strings.Split(inner, ",")
	require.GreaterOrEqual(t, len(parts), 3, "colour %q", css)
	vals := []*float64{&r, &g, &bl}
	for i, p := range parts[:3] {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		require.NoError(t, err, css)
		v /= 255
		if v <= 0.03928 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		*vals[i] = v
	}
	return 0.2126*r + 0.7152*g + 0.0722*bl
}
