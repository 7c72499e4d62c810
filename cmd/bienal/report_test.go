package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
)

// exampleApp is the command line over a database holding the example
// programme with its closed cycle "final" (reporttest.ExampleCycle), and
// no Temporal: reports and front matter need none.
func exampleApp(t *testing.T) *app {
	t.Helper()
	ctx := context.Background()
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t), TemporalAddress: "127.0.0.1:1"}, logger: slog.New(slog.DiscardHandler)}
	t.Cleanup(a.close)
	s, err := a.store(ctx)
	require.NoError(t, err)
	reporttest.ExampleCycle(t, s, a.pool, "../../examples/programme-2017-2018.yaml")
	return a
}

func lookTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install it with .ci/install-document-tools (apt-get install %s)", name, pkg)
	}
	return p
}

// docxText is a DOCX as LibreOffice reads it.
func docxText(t *testing.T, file string) string {
	t.Helper()
	dir := filepath.Dir(file)
	out, err := exec.Command(lookTool(t, "soffice", "libreoffice-writer-nogui"), "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, file).CombinedOutput()
	require.NoError(t, err, "soffice: %s", out)
	b, err := os.ReadFile(strings.TrimSuffix(file, ".docx") + ".txt")
	require.NoError(t, err, "soffice: %s", out)
	return string(b)
}

// inOrder checks that each of parts occurs in s after the previous one.
func inOrder(t *testing.T, s string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		require.GreaterOrEqual(t, i, 0, "%q not found after offset %d", p, at)
		at += i + len(p)
	}
}

// TestReportOfTheExampleProgramme writes the closed cycle's report as the
// secretariat would take it to the Conference - DOCX in Spanish, PDF in
// English - and reads both back: the front matter, every activity under its
// goal, every country's input, the missing reports, and no English heading
// in the Spanish one.
func TestReportOfTheExampleProgramme(t *testing.T) {
	ctx := context.Background()
	a := exampleApp(t)
	dir := t.TempDir()
	require.NoError(t, (&cycleSetCmd{Cycle: "2017-2018/final", document: document{Symbol: strp("LC/L.4221(CCITIC.2/4)"),
		Distribution: strp("limited"), OriginalLanguage: strp("es")}, By: "secretariat@example.org"}).Run(ctx, a))

	type task struct{ goal, code, country, status string }
	rows, err := a.pool.Query(ctx, `SELECT a.goal::text, t.code, t.country, t.status FROM report_task t
		JOIN activity a ON a.biennium = t.biennium AND a.code = t.code WHERE t.cycle = 'final' ORDER BY a.goal, t.code, t.country`)
	require.NoError(t, err)
	var tasks []task
	for rows.Next() {
		var k task
		require.NoError(t, rows.Scan(&k.goal, &k.code, &k.country, &k.status))
		tasks = append(tasks, k)
	}
	require.NoError(t, rows.Err())
	require.Greater(t, len(tasks), 9)

	docx := filepath.Join(dir, "informe.docx")
	require.NoError(t, (&reportCmd{Cycle: "2017-2018/final", Lang: "es", Format: "docx", Output: docx}).Run(ctx, a))
	es := docxText(t, docx)
	inOrder(t, es, "Distr.", "LIMITADA", "LC/L.4221(CCITIC.2/4)", "30 de noviembre de 2018", "ORIGINAL: ESPAÑOL",
		"Informe bienal consolidado", "Resumen")
	goal := ""
	var order []string
	for _, k := range tasks {
		if k.goal != goal {
			order = append(order, "Objetivo "+k.goal+".")
			goal = k.goal
		}
		if k.status != "missing" {
			require.Contains(t, es, "Progress of "+k.code+" in "+k.country, "every country's input")
		}
	}
	inOrder(t, es, order...)
	missing := []string{"Lo que falta, por país"}
	for _, k := range tasks {
		if k.status == "missing" {
			missing = append(missing, k.code)
		}
	}
	require.Len(t, missing, 3)
	inOrder(t, es, missing...)
	for _, english := range []string{"Summary", "Consolidated biennial report", "What is missing", "Reports by country",
		"Lead country", "Goal 1", "Evidence files", "Countries’ reports", "In the summary", "ENGLISH"} {
		require.NotContains(t, es, english, "no English heading in the Spanish report")
	}
	require.Contains(t, es, "Brasil", "country names in Spanish")
	require.Contains(t, es, "Objetivo 1. Promover la formación para programas de cooperación regional",
		"the programme's texts in Spanish, where the file gives them")
	require.NotContains(t, es, "Promote training")

	pdf := filepath.Join(dir, "report.pdf")
	require.NoError(t, (&reportCmd{Cycle: "2017-2018/final", Lang: "en", Format: "pdf", Output: pdf}).Run(ctx, a))
	out, err := exec.Command(lookTool(t, "pdftotext", "poppler-utils"), pdf, "-").CombinedOutput()
	require.NoError(t, err, "%s", out)
	en := string(out)
	inOrder(t, en, "Distr.", "LIMITED", "LC/L.4221(CCITIC.2/4)", "30 November 2018", "ENGLISH", "ORIGINAL: SPANISH",
		"Consolidated biennial report", "Summary", "Goal 1.", "Goal 2.", "Goal 3.", "What is missing, by country")
	for _, k := range tasks {
		require.Contains(t, en, k.code)
	}
	require.Contains(t, strings.Join(strings.Fields(en), " "), "Goal 1. Promote training for regional and international cooperation programmes")
	require.NotContains(t, en, "Promover la formación")
	info, err := exec.Command(lookTool(t, "pdfinfo", "poppler-utils"), pdf).CombinedOutput()
	require.NoError(t, err, "%s", info)
	require.Regexp(t, `(?m)^Tagged:\s+yes$`, string(info))
}

func strp(s string) *string { return &s }

// TestReportAndCycleSetRefuse: a language, format, symbol, distribution or
// revision the report cannot take is refused naming its flag, and nothing
// is written or changed.
func TestReportAndCycleSetRefuse(t *testing.T) {
	ctx := context.Background()
	a := exampleApp(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "r.docx")

	err := (&reportCmd{Cycle: "2017-2018/final", Lang: "de", Format: "docx", Output: out}).Run(ctx, a)
	require.ErrorContains(t, err, `--lang "de" is not a language the report is written in (es, en, pt, fr)`)
	err = (&reportCmd{Cycle: "2017-2018/final", Lang: "es", Format: "odt", Output: out}).Run(ctx, a)
	require.ErrorContains(t, err, `--format report format "odt": want one of html, md, csv, docx, pdf`)
	err = (&reportCmd{Cycle: "2017-2018/nope", Lang: "es", Format: "md", Output: out}).Run(ctx, a)
	require.ErrorContains(t, err, "cycle 2017-2018/nope not found")
	require.NoFileExists(t, out)

	front := func() string {
		var s string
		require.NoError(t, a.pool.QueryRow(ctx, `SELECT symbol || '|' || distribution || '|' || revision FROM reporting_cycle
			WHERE name = 'final'`).Scan(&s))
		return s
	}
	set := func(c cycleSetCmd) error {
		c.Cycle = "2017-2018/final"
		return c.Run(ctx, a)
	}
	require.ErrorContains(t, set(cycleSetCmd{document: document{Symbol: strp("LC/L 4221")}}),
		`--symbol "LC/L 4221": ' ' at character 5 cannot be in a document symbol`)
	require.ErrorContains(t, set(cycleSetCmd{document: document{Distribution: strp("secret")}}),
		`--distribution "secret" is not one of [limited general]`)
	require.ErrorContains(t, set(cycleSetCmd{document: document{OriginalLanguage: strp("de")}}), `--original-language "de" is not one of`)
	require.ErrorContains(t, set(cycleSetCmd{}), "nothing to set")
	require.Equal(t, "|limited|0", front(), "nothing changed")

	require.NoError(t, set(cycleSetCmd{document: document{Symbol: strp("LC/L.4221(CCITIC.2/4)")}, Revision: strp("2")}))
	require.Equal(t, "LC/L.4221(CCITIC.2/4)|limited|2", front())
	require.ErrorContains(t, set(cycleSetCmd{Revision: strp("1"), document: document{Distribution: strp("general")}}),
		"--revision 1 is lower than the revision already issued, 2")
	require.Equal(t, "LC/L.4221(CCITIC.2/4)|limited|2", front(), "nothing of a refused change is kept")

	// Opening a cycle with a bad symbol is refused before Temporal is dialled.
	err = (&cycleOpenCmd{Biennium: "2017-2018", Name: "extra", Due: "2027-01-15", document: document{Symbol: strp("LC/L.1/Rev.1")}}).Run(ctx, a)
	require.ErrorContains(t, err, "--symbol")
	require.ErrorContains(t, err, "leave the revision out of the symbol")
	require.Nil(t, a.tc)
}

// TestActivityShowGivesTheTitleInOtherLanguages: `activity show` names the
// languages the example programme gives an activity's title in.
func TestActivityShowGivesTheTitleInOtherLanguages(t *testing.T) {
	a := exampleApp(t)
	a.tc = &unanswered{}
	out, err := printed(t, func() error { return (&activityShowCmd{Ref: "2017-2018/G1A3"}).Run(context.Background(), a) })
	require.NoError(t, err)
	require.Contains(t, out, "2017-2018/G1A3  Facilitate regional dialogue on best practices in professional training.\n")
	require.Contains(t, out, "  title in es: Facilitar el diálogo regional sobre buenas prácticas en formación profesional.\n")
	require.NotContains(t, out, "title in en", "the stored title is the original, English")
}
