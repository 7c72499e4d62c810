package report_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
)

// TestProgrammeTextsInTheReportsLanguage writes the report of a programme
// whose file gives its texts in several languages: each reader gets the
// language asked for where the file has it, else the original, marked with
// its language; a plain string reads as written.
func TestProgrammeTextsInTheReportsLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.ExampleCycle(t, s, pool, "testdata/programme-multilingual.yaml")
	d, err := s.ReportDocument(ctx, "2017-2018", "final")
	require.NoError(t, err)
	r := report.Build(d)

	es := write(t, r, "es", "md")
	inOrder(t, es, "Programa bienal de cooperación", "## Objetivo 1. Fortalecer las políticas de innovación",
		"### A1 · Red de parques científicos", "Productos esperados: Carta de la red", "Productos esperados: Two workshops",
		"### A2 · Encuesta regional de innovación")

	en := write(t, r, "en", "md")
	inOrder(t, en, "Biennial programme of cooperation",
		"## Goal 1. Fortalecer las políticas de innovación (original in Spanish)", "### A1 · Network of science parks",
		"Expected outputs: Network charter", "Expected outputs: Two workshops", "### A2 · Encuesta regional de innovación\n")
	require.NotContains(t, en, "Two workshops (original", "a plain string is not marked: its language is not known")

	fr := write(t, r, "fr", "html")
	inOrder(t, fr, "Objectif 1. Renforcer les politiques d&#39;innovation",
		`A1 · <span lang="es">Red de parques científicos</span> (original en espagnol)`)
	require.Contains(t, fr, `<li><span lang="es">Carta de la red</span> (original en espagnol)</li>`,
		"an output in its original language, in an element naming it")
	require.Contains(t, fr, "<li>Two workshops</li>")
	doc := readDOCX(t, write(t, r, "fr", "docx"))
	require.Contains(t, doc.parts["word/document.xml"],
		`<w:r><w:rPr><w:lang w:val="es-CL"/></w:rPr><w:t xml:space="preserve">Red de parques científicos</w:t></w:r>`,
		"in Word too, the original is a run in its language")
	require.Contains(t, doc.text, "A1 · Red de parques científicos (original en espagnol)")
	csv := readCSV(t, write(t, r, "pt", "csv"))
	require.Equal(t, "Rede de parques científicos", csv[1][4], "the CSV's activity column too")

	// The report's model is left as it was: the next language starts afresh.
	require.Equal(t, "Red de parques científicos", r.Goals[0].Activities[0].Title)

	// A title revised since the file was imported shows as revised, not
	// as the translation of what it no longer says.
	_, err = pool.Exec(ctx, `UPDATE activity SET title = 'Red de parques y polos' WHERE code = 'A1'`)
	require.NoError(t, err)
	live, err := s.LoadReportData(ctx, "2017-2018", "final")
	require.NoError(t, err)
	en = write(t, report.Build(live), "en", "md")
	require.Contains(t, en, "### A1 · Red de parques y polos\n")
	require.NotContains(t, en, "Network of science parks")
}
