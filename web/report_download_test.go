package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// closeFinal adds a closed cycle "final" to the small programme, with
// Chile's report in and Mexico's missing, and its report's rows kept.
func (f *fixture) closeFinal() {
	f.t.Helper()
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `
		INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status, closed_at) VALUES
			('2017-2018', 'final', 'Final report', '2018-06-30', '2018-07-31', 'closed', '2018-07-31T12:00:00Z');
		INSERT INTO report_task (biennium, cycle, code, country, due_on, status) VALUES
			('2017-2018', 'final', 'A1', 'CL', '2018-06-30', 'accepted'),
			('2017-2018', 'final', 'A1', 'MX', '2018-06-30', 'missing');
		INSERT INTO submission (biennium, cycle, code, country, version, status, progress, submitted_by, counted, submitted_at)
			VALUES ('2017-2018', 'final', 'A1', 'CL', 1, 'on_track', 'Agenda adoptada por el comité', 'fp.cl@example.org', true, '2018-06-20T10:00:00Z');`)
	require.NoError(f.t, err)
	require.NoError(f.t, f.store.SaveReportSnapshot(ctx, "2017-2018", "final"))
}

// TestReportDownloads serves the report of a closed cycle in every
// language and format from the dashboard's links, and refuses a language
// or a format it is not written in with a page saying so.
func TestReportDownloads(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.closeFinal()
	cookie := f.signIn()

	// The dashboard lists every cycle, the closed one too, each with its
	// downloads; the report-ready e-mail links to its entry.
	r := f.get("/?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<h2 id="cycles">Reporting cycles</h2>`)
	require.Contains(t, r.body, `<h3 id="cycle-2017-2018-final"><a href="/cycles/2017-2018/final">`)
	require.Contains(t, r.body, `<h3 id="cycle-2017-2018-mid">`)
	require.Contains(t, r.body, "Status: closed")
	links := regexp.MustCompile(`href="(/cycles/2017-2018/final/report\.[a-z]{2}\.[a-z]+)"`).FindAllStringSubmatch(r.body, -1)
	require.Len(t, links, 4*5, "every language and format")

	types := map[string]string{"html": "text/html", "md": "text/markdown", "csv": "text/csv",
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}
	for _, l := range links {
		path := l[1]
		name := strings.TrimPrefix(path, "/cycles/2017-2018/final/report.")
		lang, format, _ := strings.Cut(name, ".")
		if format == "pdf" && lang != "es" {
			continue // printing takes seconds; one PDF shows the route, report/ tests them all
		}
		r := f.get(path, cookie)
		require.Equal(t, http.StatusOK, r.status, path)
		require.Equal(t, types[format], strings.Split(r.header.Get("Content-Type"), ";")[0], path)
		require.Equal(t, `attachment; filename="report-2017-2018-final-`+lang+`.`+format+`"`, r.header.Get("Content-Disposition"), path)
		switch format {
		case "docx":
			require.True(t, strings.HasPrefix(r.body, "PK"), path)
		case "pdf":
			require.True(t, strings.HasPrefix(r.body, "%PDF-"), path)
		case "csv":
			require.True(t, strings.HasPrefix(r.body, "\uFEFF"), path)
		default:
			require.Contains(t, r.body, "Agenda adoptada por el comité", path)
		}
	}
	r = f.get("/cycles/2017-2018/final/report.es.html", cookie)
	require.Contains(t, r.body, `<html lang="es">`)
	require.Contains(t, r.body, "Informe bienal consolidado")
	r = f.get("/cycles/2017-2018/final/report.fr.md", cookie)
	require.Contains(t, r.body, "Rapport biennal consolidé")
	require.Contains(t, r.body, "Mexique (MX)")

	// Without a language: the cycle's original one, the secretariat's.
	r = f.get("/cycles/2017-2018/final/report.html", cookie)
	require.Equal(t, http.StatusOK, r.status)
	require.Contains(t, r.header.Get("Content-Disposition"), "report-2017-2018-final-")

	r = f.get("/cycles/2017-2018/final/report.de.html?lang=en", cookie)
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.body, "The report is written in Spanish, English, Portuguese and French only.")
	r = f.get("/cycles/2017-2018/final/report.es.odt?lang=es", cookie)
	require.Equal(t, http.StatusNotFound, r.status)
	require.Contains(t, r.body, "El informe se descarga solo en HTML, Markdown, CSV, DOCX o PDF.")
	r = f.get("/cycles/2017-2018/nope/report.es.html", cookie)
	require.Equal(t, http.StatusNotFound, r.status)
	r = f.get("/cycles/2017-2018/final/report.es.docx")
	require.Equal(t, http.StatusSeeOther, r.status, "reports are behind the login")
}

// TestCycleDocumentForm edits the front matter from the cycle page: a bad
// symbol, an unknown distribution or a lower revision is refused beside its
// field with nothing changed; a good one is stored, audited, and printed
// on the report.
func TestCycleDocumentForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.closeFinal()
	cookie := f.signIn()
	page := "/cycles/2017-2018/final?lang=en"
	r := f.get(page, cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<h2 id="document">The report as an ECLAC document</h2>`)
	require.Contains(t, r.body, `<option value="limited" selected>Limited</option>`)
	csrf := f.formToken(page, cookie)
	post := func(symbol, dist, rev, lang string) response {
		return f.post("/cycles/2017-2018/final/document?lang=en", url.Values{"csrf": {csrf}, "symbol": {symbol},
			"distribution": {dist}, "revision": {rev}, "original_language": {lang}}, cookie)
	}
	stored := func() string {
		var s string
		require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT symbol || ' ' || distribution || ' ' || revision || ' ' ||
			coalesce(original_language, '-') FROM reporting_cycle WHERE name = 'final'`).Scan(&s))
		return s
	}

	r = f.answered(post("LC/L 4221", "limited", "0", ""), cookie)
	require.Contains(t, r.body, `id="document-errors"`, "the summary is at the front matter's form")
	require.Contains(t, r.body, `id="symbol-error">A document symbol holds letters, digits and / . ( ) - only`)
	require.Contains(t, r.body, `value="LC/L 4221"`, "what was typed is shown again")
	r = f.answered(post("LC/L.4221(CCITIC.2/4)", "secret", "0", "de"), cookie)
	require.Contains(t, r.body, `id="distribution-error">`)
	require.Contains(t, r.body, `id="original_language-error">`)
	require.Equal(t, " limited 0 -", stored(), "nothing was changed")
	require.Zero(t, f.count("audit_log WHERE action = 'cycle_document_set'"))

	r = f.answered(post("LC/L.4221(CCITIC.2/4)", "general", "2", "es"), cookie)
	require.Contains(t, r.body, `id="document-notice">The front matter was saved.`)
	require.Contains(t, r.body, `value="LC/L.4221(CCITIC.2/4)"`)
	require.Equal(t, "LC/L.4221(CCITIC.2/4) general 2 es", stored())
	require.Equal(t, 1, f.count("audit_log WHERE action = 'cycle_document_set' AND actor = 'ana@example.org'"))

	r = f.answered(post("LC/L.4221(CCITIC.2/4)", "general", "1", "es"), cookie)
	require.Contains(t, r.body, `id="revision-error">A revision already issued is never withdrawn`)
	require.Equal(t, "LC/L.4221(CCITIC.2/4) general 2 es", stored(), "nothing was changed")

	r = f.get("/cycles/2017-2018/final/report.en.md", cookie)
	require.Contains(t, r.body, "Distr. GENERAL")
	require.Contains(t, r.body, "LC/L.4221(CCITIC.2/4)/Rev.2")
	require.Contains(t, r.body, "ORIGINAL: SPANISH")
}
