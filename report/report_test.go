package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func seeded(t *testing.T) report.Report {
	t.Helper()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	d, err := s.LoadReportData(context.Background(), reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	return report.Build(d)
}

// write renders r in lang and format.
func write(t *testing.T, r report.Report, lang, format string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, report.Write(context.Background(), &b, r, lang, format))
	return b.String()
}

func TestBuildFigures(t *testing.T) {
	t.Parallel()
	r := seeded(t)

	// Columns: not_started, on_track, delayed, completed, cancelled, not_reported.
	require.Equal(t, []int{0, 1, 1, 0, 0, 0}, r.Summary.Goals[0].Counts)
	require.Equal(t, []int{0, 0, 0, 2, 0, 0}, r.Summary.Goals[1].Counts)
	require.Equal(t, []int{1, 0, 0, 0, 0, 0}, r.Summary.Goals[2].Counts, "A3.1's participant reported: not started")
	require.Equal(t, []int{1, 1, 1, 2, 0, 0}, r.Summary.Total.Counts)
	require.Equal(t, 5, r.Summary.Total.Total)

	rates := map[string]report.CountryRate{}
	for _, c := range r.Summary.Countries {
		rates[c.Country.Code] = c
	}
	require.Len(t, rates, 5)
	require.Equal(t, report.CountryRate{Country: rates["AR"].Country, Tasks: 2, Reported: 1, AwaitingReview: 1, OnTime: 1, Missing: 1}, rates["AR"])
	require.Equal(t, report.CountryRate{Country: rates["BR"].Country, Tasks: 2, Reported: 2, Accepted: 1, AwaitingReview: 1, Late: 2}, rates["BR"])
	require.Equal(t, report.CountryRate{Country: rates["CL"].Country, Tasks: 2, Reported: 1, AwaitingReview: 1, OnTime: 1, Waived: 1}, rates["CL"])
	require.Equal(t, report.CountryRate{Country: rates["MX"].Country, Tasks: 2, Reported: 1, Clarification: 1, OnTime: 1, Missing: 1}, rates["MX"])
	require.Equal(t, "50%", rates["AR"].Rate())
	require.Equal(t, "100%", rates["BR"].Rate())
	require.Equal(t, "100%", rates["CL"].Rate(), "a waived task is not due")
	all := r.Summary.AllTasks
	require.Equal(t, []int{10, 6, 1, 4, 1, 4, 2, 1, 3},
		[]int{all.Tasks, all.Reported, all.Accepted, all.AwaitingReview, all.Clarification, all.OnTime, all.Late, all.Waived, all.Missing})
	require.Equal(t, "67%", all.Rate())

	var missing []string
	for _, m := range r.Missing {
		for _, task := range m.Tasks {
			missing = append(missing, m.Country.Code+":"+task.Code+":"+string(task.Status))
		}
	}
	require.Equal(t, []string{"AR:A1.10:missing", "MX:A1.10:clarification_requested", "MX:A2.2:missing", "UY:A3.1:missing"}, missing,
		"a report sent back for clarification is still owed")
	require.Equal(t, time.Date(2018, 7, 31, 23, 59, 0, 0, time.UTC), r.Date.UTC(), "dated the day the cycle closed")
}

// TestActivityLineReflectsEveryCountry is the bug of "Reported: Not
// reported" on an activity whose participants reported while its lead did
// not (A3.1: Uruguay leads and sent nothing, Brazil reported "not
// started"): the activity counts as its participant reported, and its line
// gives every country's word.
func TestActivityLineReflectsEveryCountry(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	a := r.Goals[2].Activities[0]
	require.Equal(t, "A3.1", a.Code)
	require.Equal(t, "not_started", a.ExecutionStatus)
	require.Equal(t, []report.CountryReport{
		{Country: store.ReportCountry{Code: "UY", Name: "Uruguay"}, Status: report.NotReported, Task: "missing"},
		{Country: store.ReportCountry{Code: "BR", Name: "Brazil"}, Status: "not_started", Task: "submitted"},
	}, a.Reports)

	h := write(t, r, "en", "html")
	inOrder(t, h, `<h3>A3.1 · Training in &lt;b&gt;data&lt;/b&gt; science</h3>`,
		"In the summary: Not started", "Countries’ reports: Uruguay: missing; Brazil: Not started")
	require.NotContains(t, h, "In the summary: Not reported")
	inOrder(t, write(t, r, "es", "md"), "### A3.1", "En el resumen: No iniciada", "Informes de los países: Uruguay: faltante; Brasil: No iniciada")

	// When the lead has reported, its word is the activity's; a
	// participant's report shows beside it.
	a = r.Goals[0].Activities[0]
	require.Equal(t, "A1.2", a.Code)
	require.Equal(t, "delayed", a.ExecutionStatus)
	inOrder(t, h, "A1.2 · Network of science parks", "In the summary: Delayed",
		"Countries’ reports: Brazil: Delayed; Chile: waived; Uruguay: On track")

	// With no report at all, the activity is not reported.
	none := report.Build(store.ReportData{Biennium: "2019-2020", Cycle: store.ReportCycle{Name: "mid", Status: "open"},
		Goals: []store.ReportGoal{{Number: 1, Activities: []store.ReportActivity{{Code: "X1", Status: "in_execution",
			Tasks: []store.ReportTask{{Country: store.ReportCountry{Code: "CL"}, Role: "lead", Status: "open"}}}}}}})
	require.Equal(t, report.NotReported, none.Goals[0].Activities[0].ExecutionStatus)
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

func TestHTML(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	h := write(t, r, "en", "html")

	require.True(t, strings.HasPrefix(h, "<!DOCTYPE html>\n<html lang=\"en\">"))
	require.Contains(t, h, "<style>")
	require.NotContains(t, h, "<link", "styles are inline: one file prints alone")
	inOrder(t, h,
		"Goal 1. Strengthen innovation policies", "A1.2 · Network of science parks", "A1.10 · Regional innovation survey",
		"Goal 2. Promote the digital economy", "A2.1 · Digital agenda eLAC", "A2.2 · Broadband observatory",
		"Goal 3. Build capacities", "A3.1 · Training in &lt;b&gt;data&lt;/b&gt; science",
		"What is missing, by country", "Argentina (AR)", "A1.10", "Mexico (MX)", "A1.10", "clarification requested", "A2.2",
		"Uruguay (UY)", "A3.1")
	require.NotContains(t, h, "Rejected idea")
	inOrder(t, h, "Lead country: Brazil (BR)", "Participating countries: Chile (CL), Uruguay (UY)", "Network charter", "Two workshops",
		"Brazil (BR) (Lead)", ">accepted · after the due date<", "Charter signed by four parks", "One workshop held", "Funding cut", "Second workshop in 2019",
		"Chile (CL) (Participant)", ">waived<", "No activity in Chile in 2018",
		"Uruguay (UY) (Participant)", ">submitted (awaiting review) · on time<", "Joined the network")
	inOrder(t, h, "Mexico (MX) (Lead)", ">clarification requested · on time<")
	require.NotContains(t, h, "Old progress text", "only the counted version is shown in full")
	for _, text := range []string{"Survey fielded in 18 countries", "Agenda adopted", "Observatory online", "Postponed"} {
		require.Contains(t, h, text)
	}

	require.NotContains(t, h, reporttest.Script)
	require.Contains(t, h, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	require.NotContains(t, h, "<b>data</b>")

	// Tables have header cells a screen reader can announce.
	require.Contains(t, h, `<tr><th scope="row">1. Strengthen innovation policies</th><td class="n">0</td><td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">0</td><td class="n">2</td></tr>`)
	require.Contains(t, h, `<tr><th scope="row">All countries</th><td class="n">10</td><td class="n">6</td><td class="n">1</td><td class="n">4</td><td class="n">1</td><td class="n">2</td><td class="n">1</td><td class="n">3</td><td class="n">67%</td></tr>`)
	require.Contains(t, h, `<tr><th scope="row">Argentina (AR)</th><td class="n">2</td><td class="n">1</td><td class="n">0</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">0</td><td class="n">1</td><td class="n">50%</td></tr>`)
}

// TestVersionHistory lists every version a country sent with its time and
// the secretariat's reviews; only the counted one is shown in full.
func TestVersionHistory(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	h := write(t, r, "en", "html")
	inOrder(t, h, "Brazil (BR) (Lead)", "<caption>Versions submitted</caption>",
		`<th scope="row">1</th><td>2 July 2018 by br@gov.br · after the due date</td><td>On track</td>`,
		"clarification requested 3 July 2018 by ana@cepal.org: Please give the dates of the workshops (New due date: 4 July 2018)",
		`<th scope="row">2 (the one shown)</th><td>5 July 2018 by br@gov.br · after the due date</td><td>Delayed</td>`,
		"accepted 6 July 2018 by ana@cepal.org: Thank you", "Chile (CL) (Participant)")
	m := write(t, r, "pt", "md")
	inOrder(t, m, "#### Brasil (BR) (Líder) - aceito · depois do prazo", "Versões enviadas:",
		"| 1 | 2 de julho de 2018 por br@gov.br · depois do prazo | Conforme o previsto |",
		"| 2 (a exibida) | 5 de julho de 2018 por br@gov.br · depois do prazo | Atrasada | aceito 6 de julho de 2018 por ana@cepal.org: Thank you |")
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	m := write(t, r, "en", "md")

	inOrder(t, m,
		"## Summary", "## Goal 1. Strengthen innovation policies", "### A1.2 · Network of science parks", "### A1.10 · Regional innovation survey",
		"## Goal 2. Promote the digital economy", "### A2.1", "### A2.2",
		"## Goal 3. Build capacities", "### A3.1 · Training in &lt;b&gt;data&lt;/b&gt; science",
		"## What is missing, by country", "### Argentina (AR)", "A1.10", "### Mexico (MX)", "A2.2", "### Uruguay (UY)", "A3.1")
	inOrder(t, m, "#### Brazil (BR) (Lead) - accepted · after the due date", "Charter signed by four parks", "Funding cut",
		"#### Chile (CL) (Participant) - waived", "Waived: No activity in Chile in 2018",
		"#### Uruguay (UY) (Participant) - submitted (awaiting review) · on time", "Joined the network")
	require.Contains(t, m, "| 1. Strengthen innovation policies | 0 | 1 | 1 | 0 | 0 | 0 | 2 |\n")
	require.Contains(t, m, "| All countries | 10 | 6 | 1 | 4 | 1 | 2 | 1 | 3 | 67% |\n")
	require.Contains(t, m, "| Argentina (AR) | 2 | 1 | 0 | 1 | 0 | 0 | 0 | 1 | 50% |\n")

	// A pipe and a line break stay inside their item; raw HTML is not passed through.
	require.Contains(t, m, `- **Results against expected outputs:** Parks \| incubators<br>second line`+"\n")
	require.NotContains(t, m, "<script>")
	require.Contains(t, m, "&lt;script&gt;")
	for _, line := range strings.Split(m, "\n") {
		if strings.HasPrefix(line, "|") {
			require.True(t, strings.HasSuffix(line, "|"), "table row %q", line)
		}
	}
}

// readCSV reads a CSV report as Excel would: it starts with a byte order
// mark, which says UTF-8.
func readCSV(t *testing.T, file string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(file, "\uFEFF")
	require.True(t, ok, "a UTF-8 byte order mark first, so that Excel keeps the accents")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	return rows
}

func TestCSV(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	rows := readCSV(t, write(t, r, "en", "csv"))
	require.Equal(t, []string{"Biennium", "Cycle", "Goal", "Code", "Activity", "Country", "ISO code", "Role", "Task status",
		"After the due date", "Reported status", "Progress", "Results against expected outputs", "Difficulties", "Next steps",
		"Submitted on", "Language", "Evidence files"}, rows[0])
	require.Len(t, rows, 1+10, "one row per task")

	byTask := map[string][]string{}
	var order []string
	for _, row := range rows[1:] {
		require.Len(t, row, len(report.CSVColumns))
		require.Equal(t, []string{"2017-2018", "final"}, row[:2])
		byTask[row[3]+"/"+row[6]] = row
		order = append(order, row[3]+"/"+row[6])
	}
	require.Equal(t, []string{"A1.2/BR", "A1.2/CL", "A1.2/UY", "A1.10/MX", "A1.10/AR", "A2.1/CL", "A2.2/AR", "A2.2/MX", "A3.1/UY", "A3.1/BR"}, order)
	require.Equal(t, []string{"2017-2018", "final", "1", "A1.2", "Network of science parks", "Brazil", "BR", "Lead", "accepted", "Yes",
		"Delayed", "Charter signed by four parks", "One workshop held", "Funding cut", "Second workshop in 2019", "2018-07-05", "", ""},
		byTask["A1.2/BR"])
	require.Equal(t, "Parks | incubators\nsecond line", byTask["A1.2/UY"][12])
	require.Equal(t, "Joined the network "+reporttest.Script, byTask["A1.2/UY"][11])
	require.Equal(t, "'=SUM(A1:A2)", byTask["A2.1/CL"][12], "a formula is not run by a spreadsheet")
	require.Equal(t, []string{"Participant", "missing", "No", "", "", "", "", "", "", "", ""}, byTask["A1.10/AR"][7:])
	require.Equal(t, "waived", byTask["A1.2/CL"][8])

	// In Spanish: the header, statuses, roles and country names.
	es := readCSV(t, write(t, r, "es", "csv"))
	require.Equal(t, []string{"Bienio", "Ciclo", "Objetivo", "Código", "Actividad", "País"}, es[0][:6])
	require.Equal(t, []string{"México", "MX", "Líder", "aclaración solicitada", "No", "Según lo previsto"}, es[4][5:11])
}

func TestEmptyGoalAndNothingMissing(t *testing.T) {
	t.Parallel()
	d := store.ReportData{Biennium: "2019-2020", ProgrammeTitle: "P", Cycle: store.ReportCycle{Name: "midterm", Status: "open"},
		Goals: []store.ReportGoal{{Number: 1, Title: "Only goal"}}}
	r := report.Build(d)
	require.True(t, r.Date.IsZero(), "an open cycle's report is dated by whoever renders it")
	require.Equal(t, "-", r.Summary.AllTasks.Rate(), "nothing was due")
	for format, want := range map[string][]string{
		"html": {"No activity under this goal.", "Nothing is missing", "2019-2020/midterm", "No file was attached to a report in this cycle.", "Provisional: the cycle is still open"},
		"md":   {"No activity under this goal.", "Nothing is missing", "2019-2020/midterm", "No file was attached to a report in this cycle.", "Provisional: the cycle is still open"},
		"csv":  {"\uFEFF\"Biennium\",\"Cycle\","},
	} {
		for _, w := range want {
			require.Contains(t, write(t, r, "en", format), w, format)
		}
	}
}

// TestBadInput: a language or a format the report is not written in is
// refused, naming what was asked and what may be.
func TestBadInput(t *testing.T) {
	t.Parallel()
	r := report.Build(store.ReportData{Biennium: "2019-2020", Cycle: store.ReportCycle{Name: "mid"}})
	var b bytes.Buffer
	err := report.Write(context.Background(), &b, r, "de", "html")
	require.ErrorContains(t, err, `lang: "de" is not a language the report is written in (es, en, pt, fr)`)
	err = report.Write(context.Background(), &b, r, "es", "odt")
	require.ErrorContains(t, err, `format: report format "odt": want one of html, md, csv, docx, pdf`)
	require.Zero(t, b.Len(), "nothing written")
}

// TestEvidenceAnnex lists every file by activity and country in every
// format, escaped as every other text a focal point chose.
func TestEvidenceAnnex(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	reporttest.SeedEvidence(t, pool)
	d, err := s.LoadReportData(context.Background(), reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	r := report.Build(d)
	require.Len(t, r.Evidence, 2)
	require.Equal(t, "A1.2", r.Evidence[0].Code)
	require.Len(t, r.Evidence[0].Files, 2, "a file sent with two versions is listed once")
	require.Equal(t, 2, r.Evidence[0].Files[0].Version)

	inOrder(t, write(t, r, "en", "html"), "What is missing, by country", `<h2 id="evidence">Evidence files</h2>`,
		"<h3>A1.2 · Network of science parks</h3>",
		`<td>Brazil (BR)</td><td>Carta firmada.pdf</td><td>PDF</td><td class="n">121 KB</td><td><code>a1a1a1a1a1a1</code></td>`,
		`<td>Brazil (BR)</td><td>=foto.png</td><td>PNG</td><td class="n">2 KB</td><td><code>b2b2b2b2b2b2</code></td>`,
		"<h3>A2.1 · Digital agenda eLAC</h3>",
		`<td>Chile (CL)</td><td>R&amp;D plan.docx</td><td>DOCX</td><td class="n">29 MB</td><td><code>c3c3c3c3c3c3</code></td>`)

	inOrder(t, write(t, r, "en", "md"), "## What is missing, by country", "## Evidence files", "### A1.2 · Network of science parks",
		"| Country | File | Type | Size | SHA-256 |",
		"| Brazil (BR) | Carta firmada.pdf | PDF | 121 KB | a1a1a1a1a1a1 |",
		"| Brazil (BR) | =foto.png | PNG | 2 KB | b2b2b2b2b2b2 |",
		"### A2.1 · Digital agenda eLAC", "| Chile (CL) | R&amp;D plan.docx | DOCX | 29 MB | c3c3c3c3c3c3 |")

	inOrder(t, write(t, r, "fr", "md"), "## Pièces justificatives", "| Pays | Fichier | Type | Taille | SHA-256 |",
		"| Brésil (BR) | Carta firmada.pdf | PDF | 121 KB | a1a1a1a1a1a1 |")

	rows := readCSV(t, write(t, r, "en", "csv"))
	byTask := map[string]string{}
	for _, row := range rows[1:] {
		byTask[row[3]+"/"+row[6]] = row[len(row)-1]
	}
	require.Equal(t, "Carta firmada.pdf (PDF, 121 KB, SHA-256 a1a1a1a1a1a1)\n'=foto.png (PNG, 2 KB, SHA-256 b2b2b2b2b2b2)",
		byTask["A1.2/BR"], "a name a spreadsheet would run is made inert")
	require.Equal(t, "R&D plan.docx (DOCX, 29 MB, SHA-256 c3c3c3c3c3c3)", byTask["A2.1/CL"])
	require.Empty(t, byTask["A1.2/UY"])

	docx := readDOCX(t, write(t, r, "en", "docx"))
	inOrder(t, docx.text, "Evidence files", "A1.2 · Network of science parks", "Brazil (BR)", "Carta firmada.pdf", "PDF", "121 KB",
		"a1a1a1a1a1a1", "=foto.png", "A2.1 · Digital agenda eLAC", "Chile (CL)", "R&D plan.docx")
}
