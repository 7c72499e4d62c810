package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/bienal/bienal/store"
)

//go:embed templates/report.html.tmpl
var templateFiles embed.FS

// html/template escapes every narrative a focal point typed: a report is
// read by the secretariat and passed on, so it must never run what it quotes.
var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"cycleTitle": cycleTitle,
	"statuses":   func() []string { return ExecutionStatuses },
	"label":      Label,
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

func markClass(t store.ReportTask) string {
	switch Mark(t) {
	case "on time":
		return "on-time"
	case "late":
		return "late"
	case "waived":
		return "waived"
	default:
		return "missing"
	}
}

func day(t time.Time) string { return t.Format("2006-01-02") }
