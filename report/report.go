// Package report builds the consolidated biennial report of a reporting
// cycle - the document the secretariat takes to the Conference session - and
// writes it as one printable HTML file, as Markdown and as CSV. It reads
// nothing itself: store.LoadReportData gives it the rows.
package report

import (
	"fmt"
	"io"
	"sort"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// Formats are the renderings a report is stored and served in.
var Formats = []string{"html", "md", "csv"}

// Write writes the report in format: html, md or csv.
func Write(w io.Writer, r Report, format string) error {
	switch format {
	case "html":
		return HTML(w, r)
	case "md":
		return Markdown(w, r)
	case "csv":
		return CSV(w, r)
	}
	return fmt.Errorf("report format %q: want html, md or csv", format)
}

// NotReported is the execution status of an activity whose lead country has
// not reported on it in the cycle.
const NotReported = "not_reported"

// ExecutionStatuses are the columns of the summary table, in the order an
// activity moves through them.
var ExecutionStatuses = append(cooperation.Words(cooperation.ExecutionStatuses), NotReported)

// Report is the consolidated report of one cycle, with its figures computed.
type Report struct {
	Biennium       string
	ProgrammeTitle string
	Cycle          store.ReportCycle
	Goals          []Goal
	// Missing lists, by country, the tasks neither submitted nor waived.
	Missing []CountryMissing
	Summary Summary
	// Evidence is the annex: every file the countries attached, by activity.
	Evidence []ActivityEvidence
}

// ActivityEvidence is one activity's files in the annex, by country, the
// lead country's first.
type ActivityEvidence struct {
	Goal  int
	Code  string
	Title string
	Files []Evidence
}

// Evidence is one file of the annex.
type Evidence struct {
	Country store.ReportCountry
	store.EvidenceFile
}

// Kind is the file's kind as people know it: PDF, DOCX, ...
func (e Evidence) Kind() string { return e.Type.Label() }

// SizeText is the file's size as people read it.
func (e Evidence) SizeText() string { return cooperation.Bytes(e.Size) }

// ShortSHA is the start of the file's SHA-256, enough to tell a copy of it
// apart from another file.
func (e Evidence) ShortSHA() string { return e.SHA256[:min(12, len(e.SHA256))] }

// Goal is a strategic goal with its activities in code order.
type Goal struct {
	Number     int
	Title      string
	Activities []Activity
}

// Activity is an activity with the status the report gives it.
type Activity struct {
	store.ReportActivity
	// ExecutionStatus is the registry's status once the activity is completed
	// or cancelled; before that, what its lead country last reported.
	ExecutionStatus string
}

// CountryMissing is one country's outstanding tasks.
type CountryMissing struct {
	Country store.ReportCountry
	Tasks   []MissingTask
}

// MissingTask is a task a country has neither submitted nor been released from.
type MissingTask struct {
	Goal   int
	Code   string
	Title  string
	Role   string
	Status string // open | overdue | missing
}

// Summary holds the figures of the summary tables.
type Summary struct {
	Goals     []GoalCount
	Total     GoalCount
	Countries []CountryRate
	AllTasks  CountryRate
}

// GoalCount counts a goal's activities by execution status, in the order of
// ExecutionStatuses.
type GoalCount struct {
	Number int
	Title  string
	Counts []int
	Total  int
}

// CountryRate counts one country's tasks by outcome.
type CountryRate struct {
	Country   store.ReportCountry
	Tasks     int
	Submitted int
	OnTime    int
	Late      int
	Waived    int
	Missing   int
}

// Rate is the share of a country's tasks submitted, waived tasks left out of
// the count because the secretariat released the country from them. It is
// "-" when nothing was due.
func (c CountryRate) Rate() string {
	due := c.Tasks - c.Waived
	if due == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", float64(c.Submitted)*100/float64(due))
}

// Build turns the rows of a cycle into the report with its figures.
func Build(d store.ReportData) Report {
	r := Report{Biennium: d.Biennium, ProgrammeTitle: d.ProgrammeTitle, Cycle: d.Cycle}
	r.Summary.Total = GoalCount{Title: "Total", Counts: make([]int, len(ExecutionStatuses))}
	r.Summary.AllTasks.Country = store.ReportCountry{Name: "All countries"}
	missing := map[string]*CountryMissing{}
	rates := map[string]*CountryRate{}
	for _, g := range d.Goals {
		goal := Goal{Number: g.Number, Title: g.Title}
		count := GoalCount{Number: g.Number, Title: g.Title, Counts: make([]int, len(ExecutionStatuses))}
		for _, a := range g.Activities {
			act := Activity{ReportActivity: a, ExecutionStatus: executionStatus(a)}
			goal.Activities = append(goal.Activities, act)
			i := statusColumn(act.ExecutionStatus)
			count.Counts[i]++
			count.Total++
			r.Summary.Total.Counts[i]++
			r.Summary.Total.Total++
			ev := ActivityEvidence{Goal: g.Number, Code: a.Code, Title: a.Title}
			for _, t := range a.Tasks {
				countTask(rates, &r.Summary.AllTasks, t)
				if outstanding(t.Status) {
					addMissing(missing, g.Number, a, t)
				}
				for _, f := range t.Evidence {
					ev.Files = append(ev.Files, Evidence{Country: t.Country, EvidenceFile: f})
				}
			}
			if len(ev.Files) > 0 {
				r.Evidence = append(r.Evidence, ev)
			}
		}
		r.Goals = append(r.Goals, goal)
		r.Summary.Goals = append(r.Summary.Goals, count)
	}
	for _, m := range missing {
		r.Missing = append(r.Missing, *m)
	}
	sort.Slice(r.Missing, func(i, j int) bool { return r.Missing[i].Country.Code < r.Missing[j].Country.Code })
	for _, c := range rates {
		r.Summary.Countries = append(r.Summary.Countries, *c)
	}
	sort.Slice(r.Summary.Countries, func(i, j int) bool {
		return r.Summary.Countries[i].Country.Code < r.Summary.Countries[j].Country.Code
	})
	return r
}

func executionStatus(a store.ReportActivity) string {
	if a.Status == cooperation.ActivityCompleted || a.Status == cooperation.ActivityCancelled {
		return string(a.Status)
	}
	for _, t := range a.Tasks {
		if t.Role == "lead" && t.Submission != nil {
			return t.Submission.Status
		}
	}
	return NotReported
}

func statusColumn(status string) int {
	for i, s := range ExecutionStatuses {
		if s == status {
			return i
		}
	}
	return len(ExecutionStatuses) - 1
}

func outstanding(taskStatus cooperation.TaskStatus) bool {
	return taskStatus == cooperation.TaskOpen || taskStatus == cooperation.TaskOverdue || taskStatus == cooperation.TaskMissing
}

func countTask(rates map[string]*CountryRate, all *CountryRate, t store.ReportTask) {
	c, ok := rates[t.Country.Code]
	if !ok {
		c = &CountryRate{Country: t.Country}
		rates[t.Country.Code] = c
	}
	for _, r := range []*CountryRate{c, all} {
		r.Tasks++
		switch t.Status {
		case cooperation.TaskSubmitted:
			r.Submitted++
			if t.Late {
				r.Late++
			} else {
				r.OnTime++
			}
		case cooperation.TaskWaived:
			r.Waived++
		default:
			r.Missing++
		}
	}
}

func addMissing(missing map[string]*CountryMissing, goal int, a store.ReportActivity, t store.ReportTask) {
	m, ok := missing[t.Country.Code]
	if !ok {
		m = &CountryMissing{Country: t.Country}
		missing[t.Country.Code] = m
	}
	m.Tasks = append(m.Tasks, MissingTask{Goal: goal, Code: a.Code, Title: a.Title, Role: t.Role, Status: string(t.Status)})
}

// Mark says in a few words where a task stands: on time, late, waived, or why it is missing.
func Mark(t store.ReportTask) string {
	switch t.Status {
	case cooperation.TaskSubmitted:
		if t.Late {
			return "late"
		}
		return "on time"
	case cooperation.TaskWaived, cooperation.TaskMissing:
		return string(t.Status)
	case cooperation.TaskOverdue:
		return "overdue, not submitted"
	default:
		return "not yet submitted"
	}
}

var labels = map[string]string{
	"not_started": "Not started", "on_track": "On track", "delayed": "Delayed",
	string(cooperation.ExecutionCompleted): "Completed", string(cooperation.ExecutionCancelled): "Cancelled", NotReported: "Not reported",
	string(cooperation.ActivityApproved): "Approved", string(cooperation.ActivityInExecution): "In execution",
	string(cooperation.TaskOpen): "Open", string(cooperation.TaskOverdue): "Overdue", string(cooperation.TaskSubmitted): "Submitted",
	string(cooperation.TaskWaived): "Waived", string(cooperation.TaskMissing): "Missing",
	string(cooperation.CycleClosed): "Closed", "lead": "Lead", "participant": "Participant",
}

// Label is the words a reader sees for a status or a role.
func Label(code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}

func countryNames(cs []store.ReportCountry) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = countryName(c)
	}
	return names
}

func countryName(c store.ReportCountry) string {
	if c.Code == "" {
		return c.Name
	}
	return fmt.Sprintf("%s (%s)", c.Name, c.Code)
}

func cycleTitle(r Report) string {
	if r.Cycle.Title != "" {
		return r.Cycle.Title
	}
	return r.Biennium + "/" + r.Cycle.Name
}
