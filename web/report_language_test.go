package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
)

// A focal point who reads English writes a report in Portuguese: the form
// asks, the draft and the version keep it, and each page and the receipt
// say so and mark the texts lang="pt" for screen readers.
func TestReportWrittenInAnotherLanguage(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, func(o *web.Options) { o.Receipt = activities.ComposeReceipt })
	ctx := context.Background()
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	path := "/l/" + token + "/report"

	page := f.get("/l/" + token)
	require.Contains(t, page.body, `<label for="report_language">Language of this report</label>`)
	require.Contains(t, page.body, `<option value="en" lang="en" selected>English</option>`, "the focal point's language by default")
	require.Contains(t, page.body, `<option value="pt" lang="pt">Português</option>`)

	for _, action := range []string{"submit", "draft"} {
		form := goodReport(f.formToken("/l/" + token))
		form.Set("action", action)
		form.Set("report_language", "de")
		r := f.post(path, form)
		require.Equal(t, http.StatusUnprocessableEntity, r.status, action)
		require.Contains(t, r.body, `id="report_language-error">Choose a language: es, en, pt or fr.`, action)
		require.Contains(t, r.body, "Nothing was saved.", action)
	}
	f.requireUnchanged()
	require.Zero(t, f.count("task_draft"), "no draft saved either")

	form := goodReport(f.formToken("/l/" + token))
	form.Set("action", "draft")
	form.Set("report_language", "pt")
	require.Equal(t, http.StatusSeeOther, f.post(path, form).status)
	d, err := s.GetDraft(ctx, cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid", Code: "A1", Country: "CL"})
	require.NoError(t, err)
	require.Equal(t, "pt", d.Language)
	page = f.get("/l/" + token)
	require.Contains(t, page.body, `<option value="pt" lang="pt" selected>Português</option>`, "the draft's language comes back")

	form = goodReport(f.formToken("/l/" + token))
	form.Set("action", "submit")
	form.Set("report_language", "pt")
	done := f.sent(f.post(path, form))
	require.Equal(t, http.StatusOK, done.status, done.body)
	var lang *string
	require.NoError(t, pool.QueryRow(ctx, `SELECT language FROM submission`).Scan(&lang))
	require.NotNil(t, lang)
	require.Equal(t, "pt", *lang)
	require.Contains(t, done.body, `<p id="written-in">Written in Portuguese</p>`)
	require.Contains(t, done.body, `id="copy-progress" lang="pt">Two workshops held.</p>`)
	require.Contains(t, done.body, `id="copy-next-steps" lang="pt">Publish it.</p>`)

	var text, html string
	require.NoError(t, pool.QueryRow(ctx, `SELECT body_text, body_html FROM email WHERE kind = 'receipt'`).Scan(&text, &html))
	require.Contains(t, text, "\nWritten in Portuguese\n")
	require.Contains(t, html, "<p>Written in Portuguese</p>")
	require.Contains(t, html, `lang="pt">Two workshops held.</p>`)

	// A script's form that does not say leaves it unsaid.
	form = goodReport(f.formToken("/l/" + token))
	require.Equal(t, http.StatusSeeOther, f.post(path, form).status)
	second := f.get("/l/" + token + "/versions/2")
	require.NotContains(t, second.body, `id="written-in"`)
	require.Contains(t, second.body, `id="copy-progress">Two workshops held.</p>`)

	review := f.get("/cycles/2017-2018/mid/tasks/A1/CL?lang=es", f.signIn())
	require.Equal(t, http.StatusOK, review.status, review.body)
	require.Contains(t, review.body, `id="version-1-language">Escrito en portugués</p>`)
	require.Contains(t, review.body, `<p class="text" lang="pt">Two workshops held.</p>`)
	require.Contains(t, review.body, `id="version-2-language">Idioma no indicado</p>`)
}
