package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// dayIn is how a page in lang writes a day: its words for people inside a
// <time> element carrying the ISO day for machines.
func dayIn(lang, iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		panic(err)
	}
	months := map[string][]string{
		"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	}
	m := months[lang][d.Month()-1]
	words := fmt.Sprintf("%d %s %d", d.Day(), m, d.Year())
	if lang == "es" || lang == "pt" {
		words = fmt.Sprintf("%d de %s de %d", d.Day(), m, d.Year())
	}
	return `<time datetime="` + iso + `">` + words + `</time>`
}

// Every day a person types is shown on every portal page as that day, in
// the reader's language, whatever the reader's time zone (here UTC-11,
// where midnight UTC is still the day before, and UTC+14): the cycle's due
// and closing days, a task's due day, an extension asked for, a
// clarification's due day, a proposal's period and a delegation's days.
func TestTypedDaysShowAsTheSameDayOnEveryPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `
		UPDATE reporting_cycle SET due_on = '2026-12-20', closes_on = '2027-01-20';
		UPDATE report_task SET due_on = '2026-12-20';
		UPDATE report_task SET status = 'clarification_requested' WHERE country = 'MX';
		WITH s AS (INSERT INTO submission (biennium, cycle, code, country, version, status, submitted_by, submitted_at)
			VALUES ('2017-2018', 'mid', 'A1', 'MX', 1, 'on_track', 'fp.mx@example.org', '2026-03-02 09:00Z') RETURNING id)
		INSERT INTO task_review (biennium, cycle, code, country, submission_id, decision, comment, due_on, reviewed_by)
			SELECT '2017-2018', 'mid', 'A1', 'MX', id, 'clarification_requested', 'Add output 2.', '2026-12-20', 'ana@example.org' FROM s;
		INSERT INTO extension_request (biennium, cycle, code, country, until_date, reason, requested_by)
			VALUES ('2017-2018', 'mid', 'A1', 'CL', '2026-12-20', 'elections', 'fp.cl@example.org');
		UPDATE activity SET starts_on = '2017-12-20', ends_on = '2018-12-20';
		INSERT INTO delegation (person, delegate, starts_on, ends_on, created_by)
			VALUES ('fp.cl@example.org', 'fp.mx@example.org', '2026-12-20', '2027-01-20', 'ana@example.org');`)
	require.NoError(t, err)
	cookie := f.signIn()
	cl := f.link(store.PurposeReport, "task/2017-2018/mid/A1/CL", "fp.cl@example.org", now.Add(30*24*time.Hour))
	mx := f.link(store.PurposeReport, "task/2017-2018/mid/A1/MX", "fp.mx@example.org", now.Add(30*24*time.Hour))

	type want struct {
		path  string
		days  []string
		count int // the least number of times the page shows 2026-12-20
	}
	pages := []want{
		{"/", []string{"2026-12-20", "2027-01-20"}, 2},                     // the cycle's days, the extension asked
		{"/cycles/2017-2018/mid", []string{"2026-12-20", "2027-01-20"}, 4}, // the cycle's days, each task's, the request
		{"/cycles/2017-2018/mid/tasks/A1/CL", []string{"2026-12-20"}, 2},   // due, the request
		{"/cycles/2017-2018/mid/tasks/A1/MX", []string{"2026-12-20"}, 2},   // due, the clarification's
		{"/activities/2017-2018/A1", []string{"2017-12-20", "2018-12-20"}, 0},
		{"/directory", []string{"2026-12-20", "2027-01-20"}, 1},
		{"/l/" + cl, []string{"2026-12-20"}, 2}, // due, the extension asked
		{"/l/" + mx, []string{"2026-12-20"}, 2}, // due, the clarification's
	}
	for _, zone := range []string{"Pacific/Pago_Pago", "Pacific/Kiritimati"} {
		_, err := f.pool.Exec(ctx, `UPDATE person SET time_zone = $1`, zone)
		require.NoError(t, err)
		for _, lang := range []string{"es", "en", "pt", "fr"} {
			for _, p := range pages {
				r := f.get(p.path+"?lang="+lang, cookie)
				require.Equal(t, http.StatusOK, r.status, "%s: %s", p.path, r.body)
				for _, d := range p.days {
					require.Contains(t, r.body, dayIn(lang, d), "%s in %s (%s) shows %s", p.path, lang, zone, d)
				}
				if p.count > 0 {
					n := len(regexp.MustCompile(regexp.QuoteMeta(dayIn(lang, "2026-12-20"))).FindAllString(r.body, -1))
					require.GreaterOrEqual(t, n, p.count, "%s in %s shows the day everywhere it is named", p.path, lang)
				}
				for _, wrong := range []string{"2026-12-19", "2026-12-21", "2017-12-19", "2017-12-21", "2018-12-21", "2027-01-21"} {
					require.NotContains(t, r.body, `datetime="`+wrong+`"`, "%s in %s (%s): not a day off", p.path, lang, zone)
				}
			}
		}
	}
}

// A cycle opened from the dashboard's form is stored with the days typed
// and its page shows them, in each language.
func TestCycleOpenedFromTheDashboardKeepsItsDays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	r := f.post("/cycles", url.Values{"csrf": {f.formToken("/", cookie)}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"},
		"cycle_due": {"2026-12-20"}, "cycle_closes": {"2027-01-20"}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	var due, closes string
	require.NoError(t, f.pool.QueryRow(context.Background(),
		`SELECT due_on::text, closes_on::text FROM reporting_cycle WHERE name = 'final'`).Scan(&due, &closes))
	require.Equal(t, []string{"2026-12-20", "2027-01-20"}, []string{due, closes})
	for _, lang := range []string{"es", "en", "pt", "fr"} {
		page := f.get("/cycles/2017-2018/final?lang="+lang, cookie)
		require.Contains(t, page.body, dayIn(lang, "2026-12-20"))
		require.Contains(t, page.body, dayIn(lang, "2027-01-20"))
		dash := f.get("/?lang="+lang, cookie)
		require.Contains(t, dash.body, dayIn(lang, "2026-12-20"))
	}
}

// A proposal's period typed on the propose and revise forms is stored as
// typed and shown so on the activity's page.
func TestProposalPeriodKeepsItsDays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	period := func(code string) string {
		t.Helper()
		var s string
		require.NoError(t, f.pool.QueryRow(ctx, `SELECT starts_on::text || ' ' || ends_on::text FROM activity WHERE code = $1`, code).Scan(&s))
		return s
	}
	call := f.callLink()
	v := goodProposal(f.formToken(call))
	v.Set("starts_on", "2017-12-20")
	v.Set("ends_on", "2018-12-20")
	r := f.post(call+"/propose", v)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "2017-12-20 2018-12-20", period("G1P1"))

	_, err := f.pool.Exec(ctx, `UPDATE activity SET status = 'changes_requested', round = 1, version = 1 WHERE code = 'A1'`)
	require.NoError(t, err)
	token := f.link(store.PurposeRevise, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(240*time.Hour))
	r = f.post("/l/"+token+"/revise", url.Values{"csrf": {f.formToken("/l/" + token)}, "title": {"Digital agenda"}, "description": {"New"},
		"starts_on": {"2017-01-31"}, "ends_on": {"2018-12-31"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "2017-01-31 2018-12-31", period("A1"))
	cookie := f.signIn()
	for _, lang := range []string{"es", "en", "pt", "fr"} {
		page := f.get("/activities/2017-2018/A1?lang="+lang, cookie)
		require.Contains(t, page.body, dayIn(lang, "2017-01-31")+" – "+dayIn(lang, "2018-12-31"))
		page = f.get("/activities/2017-2018/G1P1?lang="+lang, cookie)
		require.Contains(t, page.body, dayIn(lang, "2017-12-20")+" – "+dayIn(lang, "2018-12-20"))
	}
}
