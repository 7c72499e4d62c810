package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// getIn opens path as a browser whose languages are acceptLanguage.
func (f *fixture) getIn(path, acceptLanguage string, cookies ...*http.Cookie) response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return f.do(req)
}

// Every way a link can fail has a page of its own: why, in the reader's
// language, with whom to write to, and 404 for an address that never was a
// link or 410 for one that no longer is.
func TestDeadLinksSayWhy(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// The secretariat the pages name.
	require.NoError(t, f.store.SetPassword(ctx, "secretariat@example.org", "ECLAC Secretariat", "secretariat", "correct horse battery"))
	require.NoError(t, f.store.SetPassword(ctx, "zoe@example.org", "Zoe", "secretariat", "correct horse battery"))
	later := now.Add(30 * 24 * time.Hour)
	good := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", later)
	flip := "A"
	if good[20] == 'A' {
		flip = "B"
	}

	// Addresses that never were a link: the reader's browser language, since
	// nothing says whose they are; Spanish only when the browser says nothing.
	r := f.getIn("/l/"+good[:30], "pt-BR,pt;q=0.9,en;q=0.8")
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.body, `<html lang="pt">`)
	require.Contains(t, r.body, "<h1>Este link está incompleto</h1>")
	require.Contains(t, r.body, `<a href="mailto:secretariat@example.org?subject=bienal:%20%2Fl%2F%E2%80%A6">secretariat@example.org</a> (ECLAC Secretariat)`,
		"the first secretariat, the programme's, is whom to write to; the token stays out of the subject")
	r = f.getIn("/tasks/"+good[:20]+flip+good[21:], "fr-CA, en;q=0.5")
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.body, "<h1>Ce lien n&#39;est pas reconnu</h1>")
	r = f.getIn("/l/"+good[:20]+flip+good[21:], "de-DE, en;q=0.8, pt;q=0.5")
	require.Contains(t, r.body, "<h1>This link is not recognised</h1>", "the first of the browser's languages the portal speaks")
	r = f.getIn("/l/%00%ff<script>", "")
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.body, "<h1>Este enlace no se reconoce</h1>")

	// Links that were sent: the recipient's language, why, since when, what for.
	expired := f.link(store.PurposeReport, "task/2017-2018/mid/A1/MX", "fp.mx@example.org", now.Add(-time.Minute))
	r = f.getIn("/l/"+expired, "en")
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "<h1>Este link expirou</h1>", "fp.mx reads Portuguese, whatever the browser")
	require.Contains(t, r.body, "válido até 5 de março de 2026.")
	require.Contains(t, r.body, "o relatório de México sobre a atividade A1, “Digital agenda”, no ciclo de relatórios mid")

	byHand := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", later)
	_, err := f.store.RevokeLinksBy(ctx, taskSubject, "fp.cl@example.org", "secretariat@example.org", "wrong address")
	require.NoError(t, err)
	r = f.get("/l/" + byHand)
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "<h1>This link was withdrawn</h1>")
	require.Contains(t, r.body, "The secretariat withdrew this personal link on ")
	require.Contains(t, r.body, "subject=bienal:%20task%2F2017-2018%2Fmid%2FA1%2FCL", "the mail to the secretariat names the task")

	// The task waived: its links revoked by the workflow, as WaiveTask does.
	waived := f.link(store.PurposeReport, "task/2017-2018/mid/A1/MX", "fp.mx@example.org", later)
	_, err = f.pool.Exec(ctx, `UPDATE report_task SET status = 'waived', waive_reason = 'no activity' WHERE country = 'MX'`)
	require.NoError(t, err)
	_, err = f.store.RevokeLinks(ctx, "task/2017-2018/mid/A1/MX")
	require.NoError(t, err)
	r = f.getIn("/l/"+waived+"?lang=en", "")
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "<h1>This report is no longer asked for</h1>", "?lang= outranks the recipient's language")
	require.Contains(t, r.body, "the secretariat released your country from this report")

	// The cycle closed, nothing received: a report link, and a form sent to it.
	closing := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", later)
	csrf := f.formToken("/l/" + closing)
	_, err = f.pool.Exec(ctx, `UPDATE reporting_cycle SET status = 'closed', closed_at = '2026-03-04 18:00Z';
		UPDATE report_task SET status = 'missing' WHERE country = 'CL'`)
	require.NoError(t, err)
	_, err = f.store.RevokeLinks(ctx, taskSubject)
	require.NoError(t, err)
	r = f.get("/l/" + closing)
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "<h1>This reporting cycle is closed</h1>")
	require.Contains(t, r.body, "closed on 4 March 2026 and takes no more reports. No report was received for this task before the cycle closed.")
	r = f.post("/l/"+closing+"/report", goodReport(csrf))
	require.Equal(t, http.StatusGone, r.status, "a report sent after the close is told the same")
	require.Contains(t, r.body, "<h1>This reporting cycle is closed</h1>")
	require.Zero(t, f.count("submission"))
	_, err = f.pool.Exec(ctx, `INSERT INTO submission (biennium, cycle, code, country, version, status, submitted_by, submitted_at)
		VALUES ('2017-2018', 'mid', 'A1', 'CL', 1, 'on_track', 'fp.cl@example.org', '2026-03-02 09:00Z')`)
	require.NoError(t, err)
	r = f.get("/l/" + closing)
	require.Contains(t, r.body, "Your country&#39;s report was received; its last version came in on 2 March 2026.")

	// A round decided: the vote link of a member says how.
	vote := f.link(store.PurposeVote, "activity/2017-2018/A1", "fp.mx@example.org", later)
	_, err = f.pool.Exec(ctx, `INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at, outcome, decided_by, decided_at)
		VALUES ('2017-2018', 'A1', 1, 1, '2026-02-01Z', '2026-03-01Z', 'approve', 'majority', '2026-02-20 10:00Z')`)
	require.NoError(t, err)
	_, err = f.store.RevokeLinks(ctx, "activity/2017-2018/A1")
	require.NoError(t, err)
	r = f.get("/vote/" + vote)
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "<h1>A votação terminou</h1>")
	require.Contains(t, r.body, "O comitê decidiu a rodada 1 em 20 de fevereiro de 2026: a proposta foi aprovada.")

	// A call for proposals past its last day.
	call := f.link(store.PurposePropose, "call/2017-2018", "fp.cl@example.org", time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC))
	r = f.get("/l/" + call)
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "The call for proposals took its last proposals on 4 March 2026.", "its last day, not the midnight after it")

	// The proposal withdrawn.
	revise := f.link(store.PurposeRevise, "activity/2017-2018/A1", "fp.cl@example.org", later)
	_, err = f.pool.Exec(ctx, `UPDATE activity SET status = 'withdrawn'`)
	require.NoError(t, err)
	_, err = f.store.RevokeLinks(ctx, "activity/2017-2018/A1")
	require.NoError(t, err)
	r = f.get("/revise/" + revise)
	require.Equal(t, http.StatusGone, r.status)
	require.Contains(t, r.body, "<h1>The proposal was withdrawn</h1>")
}

// A live link used for what it does not grant is a 404 that says so, in
// its recipient's language, with whom to write to.
func TestUnfitLinkSaysWhomToWriteTo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	require.NoError(t, f.store.SetPassword(context.Background(), "secretariat@example.org", "ECLAC Secretariat", "secretariat", "correct horse battery"))
	other := f.link(store.PurposeReport, taskSubject, "fp.mx@example.org", now.Add(time.Hour))
	r := f.get("/l/" + other)
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.body, "<h1>Este link não abre nada aqui</h1>")
	require.Contains(t, r.body, ">secretariat@example.org</a>")
}

// The language chosen in the switcher is kept by a cookie: the next pages,
// and the answers to forms sent from them, speak it; the login page follows
// the browser until then.
func TestLanguageChoiceIsKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.getIn("/login", "en-GB,en;q=0.9")
	require.Contains(t, r.body, "<h1>Secretariat sign-in</h1>", "the login page follows the browser")
	require.Empty(t, r.header.Values("Set-Cookie"), "no choice, nothing kept")

	r = f.getIn("/login?lang=fr", "en-GB")
	require.Contains(t, r.body, `<html lang="fr">`)
	var lang *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "bienal_lang" {
			lang = c
		}
	}
	require.NotNil(t, lang, "the choice is kept")
	require.Equal(t, "fr", lang.Value)
	require.True(t, lang.HttpOnly)

	r = f.getIn("/login", "en-GB", lang)
	require.Contains(t, r.body, `<html lang="fr">`, "the next page keeps the choice")
	csrf := csrfField.FindStringSubmatch(r.body)[1]
	req := postRequest("/login", url.Values{"csrf": {csrf}, "email": {"nobody@example.org"}, "password": {"a wrong password"}})
	req.AddCookie(lang)
	r = f.do(req)
	require.Equal(t, http.StatusUnauthorized, r.status)
	require.Contains(t, r.body, `<html lang="fr">`, "a form's answer keeps the choice")

	// The language of the page a form came from wins over an older choice.
	req = postRequest("/login", url.Values{"csrf": {csrf}, "page_lang": {"pt"}, "email": {"nobody@example.org"}, "password": {"a wrong password"}})
	req.AddCookie(lang)
	r = f.do(req)
	require.Contains(t, r.body, `<html lang="pt">`)
}
