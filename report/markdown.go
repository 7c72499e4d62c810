package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// writeMarkdown writes the report as Markdown. Text from people is
// escaped: it cannot open a table cell, start a heading or carry raw HTML,
// and its line breaks stay inside the paragraph or cell they belong to.
func writeMarkdown(w io.Writer, v view) error {
	m := &mdWriter{w: w, v: v}
	m.front()
	m.summary()
	for _, g := range v.Goals {
		m.printf("## %s %d. %s\n\n", v.T("goal"), g.Number, md(g.Title))
		if len(g.Activities) == 0 {
			m.printf("%s\n\n", v.T("no_activity"))
		}
		for _, a := range g.Activities {
			m.activity(a)
		}
	}
	m.missing()
	m.evidence()
	return m.err
}

type mdWriter struct {
	w   io.Writer
	v   view
	err error
}

func (m *mdWriter) printf(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

func (m *mdWriter) row(cells ...string) {
	for i := range cells {
		cells[i] = md(cells[i])
	}
	m.printf("| %s |\n", strings.Join(cells, " | "))
}

// front is the front matter, one line each, as the printed document's
// top right corner reads.
func (m *mdWriter) front() {
	v := m.v
	lines := []string{v.T("body_short"), v.T("distr") + " " + v.Distribution(v.Cycle.Distribution)}
	if s := v.Symbol(); s != "" {
		lines = append(lines, s)
	}
	if !v.Date.IsZero() {
		lines = append(lines, v.Day(v.Date))
	}
	if l := v.LanguageLine(); l != "" {
		lines = append(lines, l)
	}
	lines = append(lines, v.OriginalLine())
	for _, l := range lines {
		m.printf("%s  \n", md(l))
	}
	m.printf("\n%s\n\n# %s\n\n%s\n\n", md(v.T("body")), md(v.T("report_title")), md(v.ProgrammeTitle))
	m.printf("%s %s · %s\n\n", v.T("biennium"), v.Biennium, md(v.CycleTitle()))
	m.printf("%s %s · %s %s · %s: %s", v.T("due"), v.Day(v.Cycle.DueOn), v.T("closes"), v.Day(v.Cycle.ClosesOn),
		v.T("status"), v.CycleStatus(v.Cycle.Status))
	if c := v.Cycle.ClosedAt; c != nil {
		m.printf(" (%s %s)", v.T("closed_on"), v.Day(*c))
	}
	m.printf("\n\n")
	if v.Open() {
		m.printf("**%s**\n\n", md(v.T("provisional")))
	}
}

func (m *mdWriter) summary() {
	v := m.v
	m.printf("## %s\n\n### %s\n\n", v.T("summary"), v.T("by_goal"))
	head := []string{v.T("goal")}
	sep := "|---|"
	for _, st := range ExecutionStatuses {
		head = append(head, v.Execution(st))
		sep += "---:|"
	}
	m.row(append(head, v.T("total"))...)
	m.printf("%s---:|\n", sep)
	for _, g := range append(v.Summary.Goals, v.TotalRow()) {
		name := g.Title
		if g.Number > 0 {
			name = fmt.Sprintf("%d. %s", g.Number, g.Title)
		}
		cells := []string{name}
		for _, c := range g.Counts {
			cells = append(cells, fmt.Sprint(c))
		}
		m.row(append(cells, fmt.Sprint(g.Total))...)
	}
	m.printf("\n### %s\n\n", v.T("by_country"))
	m.row(countryHeader(v.words)...)
	m.printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range append(v.Summary.Countries, v.AllCountries()) {
		m.row(countryCells(v.words, c)...)
	}
	m.printf("\n%s\n\n", v.T("rate_note"))
}

// countryHeader and countryCells are the table by country, as every
// format but HTML writes it.
func countryHeader(w words) []string {
	return []string{w.T("country"), w.T("tasks"), w.T("reported"), w.Cap("ts_accepted"), w.Cap("awaiting_review"),
		w.Cap("ts_clarification_requested"), w.Cap("late"), w.Cap("ts_waived"), w.Cap("ts_missing"), w.T("rate")}
}

func countryCells(w words, c CountryRate) []string {
	return []string{w.Country(c.Country), fmt.Sprint(c.Tasks), fmt.Sprint(c.Reported), fmt.Sprint(c.Accepted),
		fmt.Sprint(c.AwaitingReview), fmt.Sprint(c.Clarification), fmt.Sprint(c.Late), fmt.Sprint(c.Waived),
		fmt.Sprint(c.Missing), w.Percent(c)}
}

// countryReportsLine is what each country reported of an activity.
func countryReportsLine(w words, a Activity) string {
	parts := make([]string, len(a.Reports))
	for i, r := range a.Reports {
		parts[i] = w.CountryName(r.Country) + ": " + w.CountryReport(r)
	}
	return strings.Join(parts, "; ")
}

func (m *mdWriter) activity(a Activity) {
	v := m.v
	m.printf("### %s · %s\n\n", md(a.Code), md(a.Title))
	m.printf("- %s: %s\n", v.T("lead"), md(v.Country(a.Lead)))
	if len(a.Participants) > 0 {
		m.printf("- %s: %s\n", v.T("participants"), md(v.Countries(a.Participants)))
	}
	m.printf("- %s: %s · %s: %s\n", v.T("status"), v.ActivityStatus(a.Status), v.T("summary_status"), v.Execution(a.ExecutionStatus))
	m.printf("- %s: %s\n", v.T("country_reports"), md(countryReportsLine(v.words, a)))
	for _, o := range a.ExpectedOutputs {
		m.printf("- %s: %s\n", v.T("expected_outputs"), md(o))
	}
	m.printf("\n")
	if len(a.Tasks) == 0 {
		m.printf("%s\n\n", v.T("no_task"))
	}
	for _, t := range a.Tasks {
		m.printf("#### %s (%s) - %s\n\n", md(v.Country(t.Country)), v.Role(t.Role), v.Mark(t))
		if t.Status == cooperation.TaskWaived && t.WaiveReason != "" {
			m.printf("%s: %s\n\n", v.Cap("ts_waived"), md(t.WaiveReason))
		}
		if s := t.Submission; s != nil {
			m.printf("- **%s:** %s · %s %d · %s %s %s %s%s\n", v.T("status"), v.Execution(s.Status), v.T("version"), s.Version,
				v.T("submitted_on"), v.Day(s.SubmittedAt), v.T("by"), md(s.SubmittedBy), v.WrittenAfter(s))
			m.printf("- **%s:** %s\n", v.T("f_progress"), md(s.Progress))
			m.printf("- **%s:** %s\n", v.T("f_results"), md(s.Results))
			m.printf("- **%s:** %s\n", v.T("f_difficulties"), md(s.Difficulties))
			m.printf("- **%s:** %s\n\n", v.T("f_next_steps"), md(s.NextSteps))
		}
		if len(t.Versions) > 0 {
			m.printf("%s:\n\n", v.T("versions"))
			m.row(v.Cap("version"), v.T("submitted_on"), v.T("status"), v.T("review"))
			m.printf("|---:|---|---|---|\n")
			for _, ver := range t.Versions {
				m.row(versionCells(v.words, t, ver)...)
			}
			m.printf("\n")
		}
	}
}

// versionCells is one line of a task's history, as text.
func versionCells(w words, t store.ReportTask, ver store.ReportVersion) []string {
	return versionRowOf(w, t, ver).cells()
}

func (m *mdWriter) missing() {
	v := m.v
	m.printf("## %s\n\n", v.T("missing_title"))
	if len(v.Missing) == 0 {
		m.printf("%s\n", v.T("nothing_missing"))
	}
	for _, c := range v.Missing {
		m.printf("### %s\n\n", md(v.Country(c.Country)))
		for _, t := range c.Tasks {
			m.printf("- %s %d, %s %s %s (%s): %s\n", v.T("goal"), t.Goal, v.T("activity"), md(t.Code), md(t.Title),
				v.Role(t.Role), v.TaskStatus(t.Status))
		}
		m.printf("\n")
	}
}

func (m *mdWriter) evidence() {
	v := m.v
	m.printf("\n## %s\n\n", v.T("evidence"))
	if len(v.Evidence) == 0 {
		m.printf("%s\n", v.T("no_evidence"))
		return
	}
	m.printf("%s\n\n", md(v.T("evidence_note")))
	for _, a := range v.Evidence {
		m.printf("### %s · %s\n\n", md(a.Code), md(a.Title))
		m.row(v.T("country"), v.T("file"), v.T("type"), v.T("size"), "SHA-256")
		m.printf("|---|---|---|---:|---|\n")
		for _, f := range a.Files {
			m.row(v.Country(f.Country), f.Name, f.Kind(), f.SizeText(), f.ShortSHA())
		}
		m.printf("\n")
	}
}

// mdEscaper puts a backslash before every character Markdown may read as
// markup, and turns HTML's own specials into entities so no raw HTML survives.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "#", `\#`,
	"|", `\|`, "~", `\~`, "!", `\!`, "<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// md escapes text for a paragraph, a list item or a table cell; its line
// breaks become <br>, so a narrative never ends the item or row it sits in.
func md(s string) string {
	s = mdEscaper.Replace(strings.TrimSpace(s))
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.ReplaceAll(s, "\n", "<br>")
}
