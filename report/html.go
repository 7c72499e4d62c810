package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

//go:embed templates/report.html.tmpl
var templateFiles embed.FS

// html/template escapes every narrative a focal point typed: a report is
// read by the secretariat and passed on, so it must never run what it quotes.
var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"cycleTitle": cycleTitle,
	"statuses":   func() []string { return ExecutionStatuses },
	"label":      func(v any) string { return Label(fmt.Sprint(v)) },
	"mark":       Mark,
	"markClass":  markClass,
	"country":    countryName,
	"countries":  countryNames,
	"join":       strings.Join,
	"day":        day,
}).ParseFS(templateFiles, "templates/report.html.tmpl"))

// HTML writes the report as one printable HTML file, its styles inline.
func HTML(w io.Writer, r Report) error {
	if err := htmlTemplate.Execute(w, r); err != nil {
		return fmt.Errorf("write html report of %s/%s: %w", r.Biennium, r.Cycle.Name, err)
	}
	return nil
}

// markClass is the style class of a task's mark: on-time, late, waived or
// missing (anything not answered).
func markClass(t store.ReportTask) string {
	switch {
	case t.Status == cooperation.TaskSubmitted && t.Late:
		return "late"
	case t.Status == cooperation.TaskSubmitted:
		return "on-time"
	case t.Status == cooperation.TaskWaived:
		return string(cooperation.TaskWaived)
	}
	return string(cooperation.TaskMissing)
}

func day(t time.Time) string { return t.Format("2006-01-02") }
