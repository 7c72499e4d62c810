package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/bienal/bienal/cooperation"
)

// Markdown writes the report as Markdown. Text from people is escaped: it
// cannot open a table cell, start a heading or carry raw HTML, and its line
// breaks stay inside the paragraph or cell they belong to.
func Markdown(w io.Writer, r Report) error {
	m := &mdWriter{w: w}
	m.printf("# %s\n\n", md(r.ProgrammeTitle))
	m.printf("Consolidated biennial report · Biennium %s · %s\n\n", r.Biennium, md(cycleTitle(r)))
	m.printf("Reports due %s · cycle closes %s · status: %s\n\n", day(r.Cycle.DueOn), day(r.Cycle.ClosesOn), Label(string(r.Cycle.Status)))
	m.summary(r.Summary)
	for _, g := range r.Goals {
		m.printf("## Goal %d. %s\n\n", g.Number, md(g.Title))
		if len(g.Activities) == 0 {
			m.printf("No activity under this goal.\n\n")
		}
		for _, a := range g.Activities {
			m.activity(a)
		}
	}
	m.missing(r.Missing)
	m.evidence(r.Evidence)
	if m.err != nil {
		return fmt.Errorf("write markdown report of %s/%s: %w", r.Biennium, r.Cycle.Name, m.err)
	}
	return nil
}

type mdWriter struct {
	w   io.Writer
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

func (m *mdWriter) summary(s Summary) {
	m.printf("## Summary\n\n### Activities by status, per goal\n\n")
	head := []string{"Goal"}
	sep := "|---|"
	for _, st := range ExecutionStatuses {
		head = append(head, Label(st))
		sep += "---:|"
	}
	m.row(append(head, "Total")...)
	m.printf("%s---:|\n", sep)
	for _, g := range append(s.Goals, s.Total) {
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
	m.printf("\n### Submission rate, by country\n\n")
	m.row("Country", "Tasks", "Submitted", "On time", "Late", "Waived", "Missing", "Rate")
	m.printf("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range append(s.Countries, s.AllTasks) {
		m.row(countryName(c.Country), fmt.Sprint(c.Tasks), fmt.Sprint(c.Submitted), fmt.Sprint(c.OnTime),
			fmt.Sprint(c.Late), fmt.Sprint(c.Waived), fmt.Sprint(c.Missing), c.Rate())
	}
	m.printf("\nThe rate counts submitted tasks against tasks due; waived tasks are not due.\n\n")
}

func (m *mdWriter) activity(a Activity) {
	m.printf("### %s · %s\n\n", md(a.Code), md(a.Title))
	m.printf("- Lead: %s\n", md(countryName(a.Lead)))
	if len(a.Participants) > 0 {
		m.printf("- Participants: %s\n", md(strings.Join(countryNames(a.Participants), ", ")))
	}
	m.printf("- Status: %s · Reported: %s\n", Label(string(a.Status)), Label(a.ExecutionStatus))
	for _, o := range a.ExpectedOutputs {
		m.printf("- Expected output: %s\n", md(o))
	}
	m.printf("\n")
	if len(a.Tasks) == 0 {
		m.printf("No report task in this cycle.\n\n")
	}
	for _, t := range a.Tasks {
		m.printf("#### %s (%s) - %s\n\n", md(countryName(t.Country)), Label(t.Role), Mark(t))
		if t.Status == cooperation.TaskWaived && t.WaiveReason != "" {
			m.printf("Waived: %s\n\n", md(t.WaiveReason))
		}
		if s := t.Submission; s != nil {
			m.printf("- **Status:** %s · version %d · submitted %s by %s\n", Label(s.Status), s.Version, day(s.SubmittedAt), md(s.SubmittedBy))
			m.printf("- **Progress:** %s\n", md(s.Progress))
			m.printf("- **Results:** %s\n", md(s.Results))
			m.printf("- **Difficulties:** %s\n", md(s.Difficulties))
			m.printf("- **Next steps:** %s\n\n", md(s.NextSteps))
		}
	}
}

func (m *mdWriter) missing(ms []CountryMissing) {
	m.printf("## What is missing, by country\n\n")
	if len(ms) == 0 {
		m.printf("Nothing is missing: every task was submitted or waived.\n")
	}
	for _, c := range ms {
		m.printf("### %s\n\n", md(countryName(c.Country)))
		for _, t := range c.Tasks {
			m.printf("- Goal %d, activity %s %s (%s): %s\n", t.Goal, md(t.Code), md(t.Title), Label(t.Role), Label(t.Status))
		}
		m.printf("\n")
	}
}

func (m *mdWriter) evidence(acts []ActivityEvidence) {
	m.printf("\n## Evidence\n\n")
	if len(acts) == 0 {
		m.printf("No file was attached to a report in this cycle.\n")
		return
	}
	m.printf("Files the countries attached to their reports; the cycle's archive holds each under goal/activity/country/.\n\n")
	for _, a := range acts {
		m.printf("### %s · %s\n\n", md(a.Code), md(a.Title))
		m.row("Country", "File", "Type", "Size", "SHA-256")
		m.printf("|---|---|---|---:|---|\n")
		for _, f := range a.Files {
			m.row(countryName(f.Country), f.Name, f.Kind(), f.SizeText(), f.ShortSHA())
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
