package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
)

// Brazil wrote its report on A1.2 in Portuguese: every format of the
// Spanish report marks it "(escrito en portugués)" and, where the format
// can, declares its texts Portuguese; the Portuguese report marks nothing.
// A snapshot kept before languages were recorded renders as it did.
func TestReportMarksInputWrittenInAnotherLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)

	// Kept while no language was said: the snapshot holds none.
	require.NoError(t, s.SaveReportSnapshot(ctx, reporttest.Biennium, reporttest.Cycle))
	var raw string
	require.NoError(t, pool.QueryRow(ctx, `SELECT data::text FROM report_snapshot`).Scan(&raw))
	require.NotContains(t, raw, `"language"`, "a snapshot without the field, as every one kept before it existed")
	_, err := pool.Exec(ctx, `UPDATE submission SET language = 'pt' WHERE code = 'A1.2' AND country = 'BR'`)
	require.NoError(t, err)
	d, err := s.ReportDocument(ctx, reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	old := report.Build(d)
	require.Contains(t, write(t, old, "es", "html"), "Charter signed by four parks", "the old snapshot still renders")
	require.NotContains(t, write(t, old, "es", "html"), "escrito en", "as it was kept")

	d, err = s.LoadReportData(ctx, reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	r := report.Build(d)

	html := write(t, r, "es", "html")
	require.Contains(t, html, `<span class="written">(escrito en portugués)</span>`)
	require.Contains(t, html, `<span lang="pt">Charter signed by four parks</span>`)
	require.Equal(t, 1, strings.Count(html, "(escrito en"), "only Brazil's input is marked")
	require.NotContains(t, html, `<span lang="pt">Joined the network`)
	pt := write(t, r, "pt", "html")
	require.NotContains(t, pt, "(escrito em", "in its own language it is not marked")
	require.NotContains(t, pt, `<span lang="pt">`)
	require.Contains(t, write(t, r, "en", "html"), "(written in Portuguese)")

	md := write(t, r, "es", "md")
	require.Contains(t, md, "br@gov.br (escrito en portugués)\n")
	require.NotContains(t, write(t, r, "pt", "md"), "(escrito em")

	rows := readCSV(t, write(t, r, "es", "csv"))
	lang := -1
	for i, h := range rows[0] {
		if h == "Idioma" {
			lang = i
		}
	}
	require.Equal(t, len(rows[0])-2, lang, "the language column, in the report's language, before the evidence")
	byTask := map[string]string{}
	for _, row := range rows[1:] {
		byTask[row[3]+"/"+row[6]] = row[lang]
	}
	require.Equal(t, "pt", byTask["A1.2/BR"])
	require.Equal(t, "", byTask["A1.2/UY"], "not said")

	docx := readDOCX(t, write(t, r, "es", "docx"))
	require.Contains(t, docx.text, "br@gov.br (escrito en portugués)")
	doc := docx.parts["word/document.xml"]
	require.Contains(t, doc, `<w:r><w:rPr><w:lang w:val="pt-BR"/></w:rPr><w:t xml:space="preserve">Charter signed by four parks</w:t></w:r>`)
	require.Equal(t, 4, strings.Count(doc, `<w:lang w:val="pt-BR"/>`), "its four texts, nothing else")
	require.NotContains(t, readDOCX(t, write(t, r, "pt", "docx")).parts["word/document.xml"], `<w:rPr><w:lang w:val="pt-BR"/>`)

	pdftotext := tool(t, "pdftotext", "poppler-utils")
	file := filepath.Join(t.TempDir(), "report.pdf")
	require.NoError(t, os.WriteFile(file, []byte(write(t, r, "es", "pdf")), 0o600))
	out, err := exec.Command(pdftotext, file, "-").CombinedOutput()
	require.NoError(t, err, string(out))
	require.Contains(t, string(out), "(escrito en portugués)")
}
