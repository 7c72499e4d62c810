package web_test

import (
	"context"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// activityTexts are an activity's rows of programme_text, each as
// "field lang" to "original_language: body".
func (f *fixture) activityTexts(code string) map[string]string {
	f.t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT field, language, original_language, body FROM programme_text
		WHERE biennium = '2017-2018' AND subject = 'activity/' || $1`, code)
	require.NoError(f.t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var field, lang, original, body string
		require.NoError(f.t, rows.Scan(&field, &lang, &original, &body))
		out[field+" "+lang] = original + ": " + body
	}
	require.NoError(f.t, rows.Err())
	return out
}

// translatedProposal is goodProposal written in Portuguese, with its
// translations into English (every text) and Spanish (the title only).
func translatedProposal(csrf string) url.Values {
	form := goodProposal(csrf)
	form.Set("title", "Dados abertos")
	form.Set("description", "Portal compartilhado")
	form.Set("expected_outputs", "Portal\n\nGuia")
	form.Set("texts_language", "pt")
	form.Set("title_en", "Open data")
	form.Set("description_en", "Shared portal")
	form.Set("expected_outputs_en", "Portal\nGuide\n")
	form.Set("title_es", "Datos abiertos")
	return form
}

// proposedInPortuguese is what translatedProposal stores beside the
// activity's row.
var proposedInPortuguese = map[string]string{
	"title pt": "pt: Dados abertos", "title en": "pt: Open data", "title es": "pt: Datos abiertos",
	"description pt": "pt: Portal compartilhado", "description en": "pt: Shared portal",
	"expected_outputs/0 pt": "pt: Portal", "expected_outputs/0 en": "pt: Portal",
	"expected_outputs/1 pt": "pt: Guia", "expected_outputs/1 en": "pt: Guide",
}

// The proposal form offers the texts' language, the page's by default, and
// a fieldset in its own language for each other working language; what it
// is sent is kept, the activity's row in the original language.
func TestProposeWithTranslations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	page := f.get(path + "?lang=pt")
	require.Contains(t, page.body, `<option value="pt" lang="pt" selected>Português</option>`, "the page's language first")
	require.Contains(t, page.body, `<label for="texts_language">Idioma em que estes textos estão escritos</label>`)
	require.Contains(t, page.body, `<summary>Traduções (opcional)</summary>`)
	for _, l := range []string{"es", "en", "fr"} {
		require.Contains(t, page.body, `<fieldset lang="`+l+`" id="translation-`+l+`"`)
		for _, field := range []string{"title", "description", "expected_outputs"} {
			require.Contains(t, page.body, `<label for="`+field+"_"+l+`" lang="pt">`, "every field has its label")
		}
	}
	require.NotContains(t, page.body, `id="translation-pt"`, "no translation into the original's language")
	require.Contains(t, page.body, `<legend lang="pt">Em inglês</legend>`)

	csrf := f.formToken(path)
	r := f.answered(f.post(path+"/propose?lang=en", translatedProposal(csrf)))
	require.Contains(t, r.body, `id="confirmation"`, r.body)
	require.Equal(t, proposedInPortuguese, f.activityTexts("G1P1"))
	var title string
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT title FROM activity WHERE code = 'G1P1'`).Scan(&title))
	require.Equal(t, "Dados abertos", title, "the row holds the original")

	// A proposal without translations keeps its texts' language.
	form := goodProposal(f.formToken(path))
	form.Set("texts_language", "fr")
	form.Set("title", "Données ouvertes")
	r = f.answered(f.post(path+"/propose?lang=en", form))
	require.Contains(t, r.body, `id="confirmation"`, r.body)
	require.Equal(t, "fr: Données ouvertes", f.activityTexts("G1P2")["title fr"])
	require.Len(t, f.activityTexts("G1P2"), 4, "title, description and two outputs, in French only")
}

// reviseLink sends G1P1 back for changes and returns its revise link.
func (f *fixture) reviseLink() string {
	f.t.Helper()
	_, err := f.pool.Exec(context.Background(), `UPDATE activity SET status = 'changes_requested', round = 1 WHERE code = 'G1P1'`)
	require.NoError(f.t, err)
	return "/l/" + f.link(store.PurposeRevise, store.ActivityRef("2017-2018", "G1P1"), "fp.cl@example.org", now.Add(240*time.Hour))
}

// The revise form shows the stored translations and original language;
// the revision sent replaces every text of the activity, so a translation
// emptied is removed.
func TestReviseReplacesTranslations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	f.answered(f.post(path+"/propose", translatedProposal(f.formToken(path))))
	revise := f.reviseLink()

	page := f.get(revise + "?lang=es")
	require.Contains(t, page.body, `<option value="pt" lang="pt" selected>Português</option>`)
	require.Contains(t, page.body, `<details id="translations" open>`, "stored translations open the section")
	require.Contains(t, page.body, `id="title_en" name="title_en" value="Open data"`)
	require.Contains(t, page.body, `id="title_es" name="title_es" value="Datos abiertos"`)
	require.Contains(t, page.body, `name="description_en" maxlength="20000">Shared portal</textarea>`)
	require.Contains(t, page.body, `name="expected_outputs_en" maxlength="20000">Portal`+"\nGuide</textarea>")
	require.Contains(t, page.body, `name="expected_outputs_es" maxlength="20000"></textarea>`)
	require.NotContains(t, page.body, `id="translation-pt"`)

	csrf := f.formToken(revise)
	form := url.Values{"csrf": {csrf}, "title": {"Dados abertos da região"}, "description": {"Portal compartilhado"},
		"expected_outputs": {"Portal\nGuia"}, "starts_on": {"2017-03-01"}, "ends_on": {"2018-06-30"},
		"texts_language": {"pt"}, "title_en": {"Open data of the region"}, "description_en": {"Shared portal"},
		"expected_outputs_en": {"Portal\nGuide"}, "title_es": {""}, "title_fr": {"Données ouvertes de la région"}}
	r := f.answered(f.post(revise+"/revise", form))
	require.Contains(t, r.body, `id="confirmation"`, r.body)
	require.Equal(t, map[string]string{
		"title pt": "pt: Dados abertos da região", "title en": "pt: Open data of the region", "title fr": "pt: Données ouvertes de la région",
		"description pt": "pt: Portal compartilhado", "description en": "pt: Shared portal",
		"expected_outputs/0 pt": "pt: Portal", "expected_outputs/0 en": "pt: Portal",
		"expected_outputs/1 pt": "pt: Guia", "expected_outputs/1 en": "pt: Guide",
	}, f.activityTexts("G1P1"), "the Spanish title emptied is removed")
	require.Len(t, f.temporal.sent(), 1, "the workflow is told")
}

// Each bad translation is refused beside its field, in the page's
// language, and nothing is stored: no proposal, no revision, no text.
func TestTranslationsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	csrf := f.formToken(path)
	f.answered(f.post(path+"/propose", translatedProposal(csrf)))
	revise := f.reviseLink()
	reviseCSRF := f.formToken(revise)

	cases := []struct {
		name, lang string
		set        map[string]string
		field      string
		want       string
	}{
		{"unknown original", "en", map[string]string{"texts_language": "de"}, "texts_language",
			"Choose the language these texts are written in: Spanish, English, Portuguese or French."},
		{"empty original", "pt", map[string]string{"texts_language": ""}, "texts_language",
			"Escolha o idioma em que estes textos estão escritos"},
		{"translation in the original's language", "es", map[string]string{"texts_language": "en"}, "texts_language",
			"Una de las traducciones de abajo está en este mismo idioma."},
		{"more outputs than the original", "fr", map[string]string{"expected_outputs_en": "Portal\nGuide\nCourse"}, "expected_outputs_en",
			"Indiquez autant de produits attendus que ci-dessus (2), un par ligne"},
		{"fewer outputs than the original", "en", map[string]string{"expected_outputs_en": "Portal"}, "expected_outputs_en",
			"Give as many expected outputs as above (2), one per line"},
		{"title too long", "en", map[string]string{"title_en": strings.Repeat("x", 501)}, "title_en",
			"This text is too long (at most 500 characters)."},
		{"description too long", "en", map[string]string{"description_en": strings.Repeat("x", 20001)}, "description_en",
			"This text is too long (at most 20000 characters)."},
		{"outputs too long", "en", map[string]string{"expected_outputs_en": strings.Repeat("x", 5001) + "\nGuide"}, "expected_outputs_en",
			"This text is too long (at most 5000 characters)."},
	}
	before := f.activityTexts("G1P1")
	for _, c := range cases {
		propose := translatedProposal(csrf)
		revision := url.Values{"csrf": {reviseCSRF}, "title": {"Dados abertos"}, "description": {"Portal compartilhado"},
			"expected_outputs": {"Portal\nGuia"}, "starts_on": {"2017-03-01"}, "ends_on": {"2018-06-30"},
			"texts_language": {"pt"}, "title_en": {"Open data"}, "description_en": {"Shared portal"},
			"expected_outputs_en": {"Portal\nGuide"}}
		for k, v := range c.set {
			propose.Set(k, v)
			revision.Set(k, v)
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{{path + "/propose?lang=" + c.lang, propose}, {revise + "/revise?lang=" + c.lang, revision}} {
			r := f.answered(f.post(post.path, post.form))
			require.Contains(t, html.UnescapeString(r.body), `<p class="error"`, c.name)
			require.Regexp(t, `<p class="error"( lang="`+c.lang+`")? id="`+c.field+`-error">`, r.body, "%s: %s", c.name, post.path)
			require.Contains(t, html.UnescapeString(r.body), `id="`+c.field+`-error">`+c.want, "%s: %s", c.name, post.path)
			require.Contains(t, r.body, `href="#`+c.field+`"`, "the summary links to the field")
		}
	}
	require.Equal(t, 1, f.count("activity WHERE code LIKE 'G1P%'"), "no proposal stored")
	require.Equal(t, before, f.activityTexts("G1P1"), "no text changed")
	require.Zero(t, f.count("activity_version WHERE code = 'G1P1' AND version > 1"), "no revision stored")
	require.Empty(t, f.temporal.sent(), "no workflow told")
}

// A revision the store refuses (the proposal is no longer waiting for one)
// changes none of the activity's texts.
func TestRefusedRevisionKeepsTexts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	f.answered(f.post(path+"/propose", translatedProposal(f.formToken(path))))
	revise := f.reviseLink()
	csrf := f.formToken(revise)
	_, err := f.pool.Exec(context.Background(), `UPDATE activity SET status = 'proposed' WHERE code = 'G1P1'`)
	require.NoError(t, err)
	r := f.answered(f.post(revise+"/revise?lang=en", url.Values{"csrf": {csrf}, "title": {"Other"}, "description": {"Other"},
		"starts_on": {"2017-03-01"}, "ends_on": {"2018-06-30"}, "texts_language": {"en"}, "title_es": {"Otro"}}))
	require.Contains(t, r.body, "This proposal is not waiting for a revision; nothing was saved.")
	require.Equal(t, proposedInPortuguese, f.activityTexts("G1P1"))
}

// A proposal file may translate some expected outputs into a language and
// not others: the revise form, which lists them one per line, cannot show
// that language's outputs. A revision keeps them while their outputs stay
// as they were, and drops the one whose output it changes.
func TestRevisionKeepsOutputsTheFormCannotShow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	f.answered(f.post(path+"/propose", translatedProposal(f.formToken(path))))
	_, err := f.pool.Exec(context.Background(), `INSERT INTO programme_text (biennium, subject, field, original_language, language, body)
		VALUES ('2017-2018', 'activity/G1P1', 'expected_outputs/0', 'pt', 'fr', 'Portail'),
			('2017-2018', 'activity/G1P1', 'expected_outputs/1', 'pt', 'es', 'Guía')`)
	require.NoError(t, err)
	revise := f.reviseLink()
	page := f.get(revise + "?lang=en")
	require.Contains(t, page.body, `name="expected_outputs_fr" maxlength="20000"></textarea>`, "half of French is not shown")

	form := url.Values{"csrf": {f.formToken(revise)}, "title": {"Dados abertos da região"}, "description": {"Portal compartilhado"},
		"expected_outputs": {"Portal\nGuia do usuário"}, "starts_on": {"2017-03-01"}, "ends_on": {"2018-06-30"},
		"texts_language": {"pt"}, "title_en": {"Open data of the region"}, "expected_outputs_en": {"Portal\nUser guide"}}
	r := f.answered(f.post(revise+"/revise", form))
	require.Contains(t, r.body, `id="confirmation"`, r.body)
	texts := f.activityTexts("G1P1")
	require.Equal(t, "pt: Portail", texts["expected_outputs/0 fr"], "kept: its output is as it was")
	require.NotContains(t, texts, "expected_outputs/1 es", "dropped: its output was revised")
	require.Equal(t, "pt: User guide", texts["expected_outputs/1 en"])
}
