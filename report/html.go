package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"

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

// activityView is one activity's section, its lines put together once
// (see taskView).
type activityView struct {
	words
	Activity Activity
	// LeadLine names the lead and participating countries, StatusLine the
	// registry's status and the summary's, ReportsLine each country's word.
	LeadLine, StatusLine, ReportsLine string
	Tasks                             []taskView
}

// Activity is the section of a.
func (v view) Activity(a Activity) activityView {
	w := v.words
	av := activityView{words: w, Activity: a, LeadLine: leadLine(w, a),
		StatusLine:  w.T("status") + ": " + w.ActivityStatus(a.Status) + " · " + w.T("summary_status") + ": " + w.Execution(a.ExecutionStatus),
		ReportsLine: w.T("country_reports") + ": " + countryReportsLine(w, a)}
	for _, t := range a.Tasks {
		av.Tasks = append(av.Tasks, w.Task(t))
	}
	return av
}

// leadLine names an activity's lead and participating countries.
func leadLine(w words, a Activity) string {
	s := w.T("lead") + ": " + w.Country(a.Lead)
	if len(a.Participants) > 0 {
		s += " · " + w.T("participants") + ": " + w.Countries(a.Participants)
	}
	return s
}

// taskView is one country's part of an activity's section, its words
// put together once: a report holds thousands of tasks, and each method a
// template calls goes through reflection.
type taskView struct {
	words
	Task store.ReportTask
	// Heading is "Country (CC) (Role)"; Mark says where the task stands and
	// Class styles it; Waived is the waiver and its reason.
	Heading, Mark, Class, Waived string
	// SubmittedLine is the counted version's status, number, day and author,
	// Written the mark of texts in another language and TextLang that language.
	SubmittedLine, Written, TextLang string
	VersionHead                      string
	Versions                         []versionRow
}

// Task is the part of t in its activity's section.
func (w words) Task(t store.ReportTask) taskView {
	v := taskView{words: w, Task: t, Heading: w.Country(t.Country) + " (" + w.Role(t.Role) + ")", Mark: w.Mark(t),
		Class: markClass(t), VersionHead: w.Cap("version")}
	if t.Status == cooperation.TaskWaived {
		v.Waived = w.Cap("ts_waived")
		if t.WaiveReason != "" {
			v.Waived += ": " + t.WaiveReason
		}
	}
	if s := t.Submission; s != nil {
		v.SubmittedLine = fmt.Sprintf("%s · %s %d · %s %s %s %s", w.Execution(s.Status), w.T("version"), s.Version,
			w.T("submitted_on"), w.Day(s.SubmittedAt), w.T("by"), s.SubmittedBy)
		v.Written, v.TextLang = w.Written(s), w.TextLang(s)
	}
	for _, ver := range t.Versions {
		v.Versions = append(v.Versions, versionRowOf(w, t, ver))
	}
	return v
}

// markClass is the style class of a task's mark: accepted, reported
// (awaiting review or sent back), late, waived or missing (nothing in).
func markClass(t store.ReportTask) string {
	switch {
	case t.Status.Reported() && t.Late:
		return "late"
	case t.Status == cooperation.TaskAccepted:
		return "accepted"
	case t.Status.Reported():
		return "reported"
	case t.Status == cooperation.TaskWaived:
		return "waived"
	}
	return "missing"
}

// versionRow is one line of a task's history.
type versionRow struct {
	Version, When, Status string
	Reviews               []string
}

// versionRowOf is a version as its task's history lists it; the version
// the report shows in full is marked.
func versionRowOf(w words, t store.ReportTask, ver store.ReportVersion) versionRow {
	r := versionRow{Version: fmt.Sprint(ver.Version), When: w.Day(ver.SubmittedAt) + " " + w.T("by") + " " + ver.SubmittedBy,
		Status: w.Execution(ver.Status)}
	if t.Submission != nil && t.Submission.Version == ver.Version {
		r.Version += " (" + w.T("shown") + ")"
	}
	if ver.Late {
		r.When += " · " + w.T("late")
	}
	for _, rev := range ver.Reviews {
		r.Reviews = append(r.Reviews, w.Review(rev))
	}
	return r
}

// cells is the row as a table of text writes it, reviews a line each.
func (r versionRow) cells() []string {
	return []string{r.Version, r.When, r.Status, strings.Join(r.Reviews, "\n")}
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
