package report

import (
	"embed"
	"html/template"
	"io"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

//go:embed templates/report.html.tmpl
var templateFiles embed.FS

// html/template escapes every narrative a focal point typed: a report is
// read by the secretariat and passed on, so it must never run what it quotes.
var htmlTemplate = template.Must(template.New("report.html.tmpl").ParseFS(templateFiles, "templates/report.html.tmpl"))

// writeHTML writes the report as one printable HTML file, its styles
// inline, its language declared, its tables with header cells: the PDF is
// this file printed.
func writeHTML(w io.Writer, v view) error { return htmlTemplate.Execute(w, v) }

// Statuses are the execution statuses, the summary's columns.
func (view) Statuses() []string { return ExecutionStatuses }

// rateRow is one row of the table by country.
type rateRow struct {
	words
	Rate CountryRate
}

// Rate is the row of c in the table by country.
func (v view) Rate(c CountryRate) rateRow { return rateRow{v.words, c} }

// activityView is one activity's section.
type activityView struct {
	words
	Activity Activity
}

// Activity is the section of a.
func (v view) Activity(a Activity) activityView { return activityView{v.words, a} }

// taskView is one country's part of an activity's section.
type taskView struct {
	words
	Task store.ReportTask
}

// Shown is the version the section shows in full, 0 when none.
func (t taskView) Shown() int {
	if t.Task.Submission == nil {
		return 0
	}
	return t.Task.Submission.Version
}

// Task is the part of t in its activity's section.
func (w words) Task(t store.ReportTask) taskView { return taskView{w, t} }

// MarkClass is the style class of a task's mark: accepted, reported
// (awaiting review or sent back), late, waived or missing (nothing in).
func (t taskView) MarkClass() string {
	switch {
	case t.Task.Status.Reported() && t.Task.Late:
		return "late"
	case t.Task.Status == cooperation.TaskAccepted:
		return "accepted"
	case t.Task.Status.Reported():
		return "reported"
	case t.Task.Status == cooperation.TaskWaived:
		return "waived"
	}
	return "missing"
}

// Review is one decision of the secretariat on a version, in a line:
// "accepted 6 July 2018 by ana@cepal.org: Thank you".
func (w words) Review(r store.ReportReview) string {
	s := w.TaskStatus(r.Decision) + " " + w.Day(r.ReviewedAt) + " " + w.T("by") + " " + r.ReviewedBy
	if r.Comment != "" {
		s += ": " + r.Comment
	}
	if r.DueOn != nil {
		s += " (" + w.T("f_until") + ": " + w.Day(*r.DueOn) + ")"
	}
	return s
}
