package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

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

func TestBuildFigures(t *testing.T) {
	t.Parallel()
	r := seeded(t)

	// Columns: not_started, on_track, delayed, completed, cancelled, not_reported.
	require.Equal(t, []int{0, 1, 1, 0, 0, 0}, r.Summary.Goals[0].Counts)
	require.Equal(t, []int{0, 0, 0, 2, 0, 0}, r.Summary.Goals[1].Counts)
	require.Equal(t, []int{0, 0, 0, 0, 0, 1}, r.Summary.Goals[2].Counts)
	require.Equal(t, []int{0, 1, 1, 2, 0, 1}, r.Summary.Total.Counts)
	require.Equal(t, 5, r.Summary.Total.Total)

	rates := map[string]report.CountryRate{}
	for _, c := range r.Summary.Countries {
		rates[c.Country.Code] = c
	}
	require.Len(t, rates, 5)
	require.Equal(t, report.CountryRate{Country: rates["AR"].Country, Tasks: 2, Submitted: 1, OnTime: 1, Missing: 1}, rates["AR"])
	require.Equal(t, report.CountryRate{Country: rates["BR"].Country, Tasks: 2, Submitted: 2, Late: 2}, rates["BR"])
	require.Equal(t, report.CountryRate{Country: rates["CL"].Country, Tasks: 2, Submitted: 1, OnTime: 1, Waived: 1}, rates["CL"])
	require.Equal(t, "50%", rates["AR"].Rate())
	require.Equal(t, "100%", rates["BR"].Rate())
	require.Equal(t, "100%", rates["CL"].Rate(), "a waived task is not due")
	all := r.Summary.AllTasks
	require.Equal(t, []int{10, 6, 4, 2, 1, 3}, []int{all.Tasks, all.Submitted, all.OnTime, all.Late, all.Waived, all.Missing})
	require.Equal(t, "67%", all.Rate())

	var missing []string
	for _, m := range r.Missing {
		for _, task := range m.Tasks {
			missing = append(missing, m.Country.Code+":"+task.Code)
		}
	}
	require.Equal(t, []string{"AR:A1.10", "MX:A2.2", "UY:A3.1"}, missing)
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
	var b bytes.Buffer
	require.NoError(t, report.HTML(&b, r))
	h := b.String()

	require.True(t, strings.HasPrefix(h, "<!DOCTYPE html>"))
	require.Contains(t, h, "<style>")
	require.NotContains(t, h, "<link", "styles are inline: one file prints alone")
	inOrder(t, h,
		"Goal 1. Strengthen innovation policies", "A1.2 · Network of science parks", "A1.10 · Regional innovation survey",
		"Goal 2. Promote the digital economy", "A2.1 · Digital agenda eLAC", "A2.2 · Broadband observatory",
		"Goal 3. Build capacities", "A3.1 · Training in &lt;b&gt;data&lt;/b&gt; science",
		"What is missing, by country", "Argentina (AR)", "A1.10", "Mexico (MX)", "A2.2", "Uruguay (UY)", "A3.1")
	require.NotContains(t, h, "Rejected idea")
	inOrder(t, h, "Lead: Brazil (BR)", "Participants: Chile (CL), Uruguay (UY)", "Network charter", "Two workshops",
		"Brazil (BR) (Lead)", ">late<", "Charter signed by four parks", "One workshop held", "Funding cut", "Second workshop in 2019",
		"Chile (CL) (Participant)", ">waived<", "No activity in Chile in 2018",
		"Uruguay (UY) (Participant)", ">on time<", "Joined the network")
	require.NotContains(t, h, "Old progress text", "only the latest version counts")
	for _, text := range []string{"Survey fielded in 18 countries", "Agenda adopted", "Observatory online", "Postponed"} {
		require.Contains(t, h, text)
	}

	require.NotContains(t, h, reporttest.Script)
	require.Contains(t, h, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	require.NotContains(t, h, "<b>data</b>")

	// Summary figures: goal 1 has one on-track and one delayed activity; all countries 6 of 9 due.
	require.Contains(t, h, `<td>1. Strengthen innovation policies</td><td class="n">0</td><td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">0</td><td class="n">2</td>`)
	require.Contains(t, h, `<th>All countries</th><th class="n">10</th><th class="n">6</th><th class="n">4</th><th class="n">2</th><th class="n">1</th><th class="n">3</th><th class="n">67%</th>`)
	require.Contains(t, h, `<td>Argentina (AR)</td><td class="n">2</td><td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">1</td><td class="n">50%</td>`)
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	var b bytes.Buffer
	require.NoError(t, report.Markdown(&b, r))
	m := b.String()

	inOrder(t, m,
		"## Summary", "## Goal 1. Strengthen innovation policies", "### A1.2 · Network of science parks", "### A1.10 · Regional innovation survey",
		"## Goal 2. Promote the digital economy", "### A2.1", "### A2.2",
		"## Goal 3. Build capacities", "### A3.1 · Training in &lt;b&gt;data&lt;/b&gt; science",
		"## What is missing, by country", "### Argentina (AR)", "A1.10", "### Mexico (MX)", "A2.2", "### Uruguay (UY)", "A3.1")
	inOrder(t, m, "#### Brazil (BR) (Lead) - late", "Charter signed by four parks", "Funding cut",
		"#### Chile (CL) (Participant) - waived", "Waived: No activity in Chile in 2018",
		"#### Uruguay (UY) (Participant) - on time", "Joined the network")
	require.Contains(t, m, "| 1. Strengthen innovation policies | 0 | 1 | 1 | 0 | 0 | 0 | 2 |\n")
	require.Contains(t, m, "| All countries | 10 | 6 | 4 | 2 | 1 | 3 | 67% |\n")
	require.Contains(t, m, "| Argentina (AR) | 2 | 1 | 1 | 0 | 0 | 1 | 50% |\n")

	// A pipe and a line break stay inside their item; raw HTML is not passed through.
	require.Contains(t, m, `- **Results:** Parks \| incubators<br>second line`+"\n")
	require.NotContains(t, m, "<script>")
	require.Contains(t, m, "&lt;script&gt;")
	for _, line := range strings.Split(m, "\n") {
		if strings.HasPrefix(line, "|") {
			require.True(t, strings.HasSuffix(line, "|"), "table row %q", line)
		}
	}
}

func TestCSV(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	var b bytes.Buffer
	require.NoError(t, report.CSV(&b, r))

	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	require.Equal(t, report.CSVHeader, rows[0])
	require.Len(t, rows, 1+10, "one row per task")

	byTask := map[string][]string{}
	var order []string
	for _, row := range rows[1:] {
		require.Len(t, row, len(report.CSVHeader))
		require.Equal(t, []string{"2017-2018", "final"}, row[:2])
		byTask[row[3]+"/"+row[5]] = row
		order = append(order, row[3]+"/"+row[5])
	}
	require.Equal(t, []string{"A1.2/BR", "A1.2/CL", "A1.2/UY", "A1.10/MX", "A1.10/AR", "A2.1/CL", "A2.2/AR", "A2.2/MX", "A3.1/UY", "A3.1/BR"}, order)
	require.Equal(t, []string{"2017-2018", "final", "1", "A1.2", "Network of science parks", "BR", "lead", "submitted", "true",
		"delayed", "Charter signed by four parks", "One workshop held", "Funding cut", "Second workshop in 2019", "2018-07-05T10:00:00Z", ""},
		byTask["A1.2/BR"])
	require.Equal(t, "Parks | incubators\nsecond line", byTask["A1.2/UY"][11])
	require.Equal(t, "Joined the network "+reporttest.Script, byTask["A1.2/UY"][10])
	require.Equal(t, "'=SUM(A1:A2)", byTask["A2.1/CL"][11], "a formula is not run by a spreadsheet")
	require.Equal(t, []string{"participant", "missing", "false", "", "", "", "", "", "", ""}, byTask["A1.10/AR"][6:])
	require.Equal(t, "waived", byTask["A1.2/CL"][7])
}

func TestEmptyGoalAndNothingMissing(t *testing.T) {
	t.Parallel()
	d := store.ReportData{Biennium: "2019-2020", ProgrammeTitle: "P", Cycle: store.ReportCycle{Name: "midterm", Status: "open"},
		Goals: []store.ReportGoal{{Number: 1, Title: "Only goal"}}}
	r := report.Build(d)
	require.Equal(t, "-", r.Summary.AllTasks.Rate(), "nothing was due")
	for format, want := range map[string][]string{
		"html": {"No activity under this goal.", "Nothing is missing", "2019-2020/midterm", "No file was attached to a report in this cycle."},
		"md":   {"No activity under this goal.", "Nothing is missing", "2019-2020/midterm", "No file was attached to a report in this cycle."},
		"csv":  {`"` + strings.Join(report.CSVHeader, `","`) + `"` + "\n"},
	} {
		var b bytes.Buffer
		require.NoError(t, report.Write(&b, r, format))
		for _, w := range want {
			require.Contains(t, b.String(), w, format)
		}
	}
	require.ErrorContains(t, report.Write(&bytes.Buffer{}, r, "pdf"), `report format "pdf"`)
}

// TestEvidenceAnnex lists every file by activity and country in the three
// formats, escaped as every other text a focal point chose.
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

	var h, m, c bytes.Buffer
	require.NoError(t, report.HTML(&h, r))
	require.NoError(t, report.Markdown(&m, r))
	require.NoError(t, report.CSV(&c, r))

	inOrder(t, h.String(), "What is missing, by country", `<h2 id="evidence">Evidence</h2>`,
		"<h3>A1.2 · Network of science parks</h3>",
		`<td>Brazil (BR)</td><td>Carta firmada.pdf</td><td>PDF</td><td class="n">121 KB</td><td><code>a1a1a1a1a1a1</code></td>`,
		`<td>Brazil (BR)</td><td>=foto.png</td><td>PNG</td><td class="n">2 KB</td><td><code>b2b2b2b2b2b2</code></td>`,
		"<h3>A2.1 · Digital agenda eLAC</h3>",
		`<td>Chile (CL)</td><td>R&amp;D plan.docx</td><td>DOCX</td><td class="n">29 MB</td><td><code>c3c3c3c3c3c3</code></td>`)

	inOrder(t, m.String(), "## What is missing, by country", "## Evidence", "### A1.2 · Network of science parks",
		"| Country | File | Type | Size | SHA-256 |",
		"| Brazil (BR) | Carta firmada.pdf | PDF | 121 KB | a1a1a1a1a1a1 |",
		"| Brazil (BR) | =foto.png | PNG | 2 KB | b2b2b2b2b2b2 |",
		"### A2.1 · Digital agenda eLAC", "| Chile (CL) | R&amp;D plan.docx | DOCX | 29 MB | c3c3c3c3c3c3 |")

	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	byTask := map[string]string{}
	for _, row := range rows[1:] {
		byTask[row[3]+"/"+row[5]] = row[len(row)-1]
	}
	require.Equal(t, "Carta firmada.pdf (PDF, 121 KB, SHA-256 a1a1a1a1a1a1)\n'=foto.png (PNG, 2 KB, SHA-256 b2b2b2b2b2b2)",
		byTask["A1.2/BR"], "a name a spreadsheet would run is made inert")
	require.Equal(t, "R&D plan.docx (DOCX, 29 MB, SHA-256 c3c3c3c3c3c3)", byTask["A2.1/CL"])
	require.Empty(t, byTask["A1.2/UY"])
}
