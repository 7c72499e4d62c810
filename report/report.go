// Package report builds the consolidated biennial report of a reporting
// cycle - the document the secretariat takes to the Conference session - and
// writes it in any of the Conference's working languages as printable HTML,
// Markdown, CSV, DOCX and PDF, all from one model: Build computes it from the
// rows store.ReportDocument gives, each writer only lays it out. It reads
// nothing itself.
package report

import (
	"sort"
	"strconv"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// NotReported is the execution status of an activity no country has
// reported on in the cycle.
const NotReported = "not_reported"

// ExecutionStatuses are the columns of the summary table, in the order an
// activity moves through them.
var ExecutionStatuses = append(cooperation.Words(cooperation.ExecutionStatuses), NotReported)

// Report is the consolidated report of one cycle, with its figures computed.
type Report struct {
	Biennium       string
	ProgrammeTitle string
	Cycle          store.ReportCycle
	// Date is the document's date: the day of its latest revision, else the
	// day its cycle closed; the caller gives today's to an open cycle's.
	Date  time.Time
	Goals []Goal
	// Missing lists, by country, the tasks still awaited: never reported,
	// or sent back for clarification.
	Missing []CountryMissing
	Summary Summary
	// Evidence is the annex: every file the countries attached, by activity.
	Evidence []ActivityEvidence
	// Texts are the programme's texts in several languages (store.ReportData.Texts).
	Texts map[string]map[string]store.Text
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
	// ExecutionStatus is the registry's status once the activity is
	// completed or cancelled; before that, what its lead country reported;
	// when the lead has not, the latest of its participants' reports; and
	// NotReported when no country has reported.
	ExecutionStatus string
	// Reports is what each country said, the lead first.
	Reports []CountryReport
}

// CountryReport is one country's word on an activity: the execution
// status it reported, or, when it has not, where its task stands.
type CountryReport struct {
	Country store.ReportCountry
	Status  string // an execution status, or NotReported
	Task    cooperation.TaskStatus
}

// CountryMissing is one country's outstanding tasks.
type CountryMissing struct {
	Country store.ReportCountry
	Tasks   []MissingTask
}

// MissingTask is a task a country still owes a report on.
type MissingTask struct {
	Goal   int
	Code   string
	Title  string
	Role   string
	Status cooperation.TaskStatus // open, overdue, missing or clarification_requested
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

// CountryRate counts one country's tasks by outcome. Reported counts every
// task a version is in for, whatever its review: Accepted, AwaitingReview
// (submitted) and Clarification (sent back) split it, as do OnTime and Late.
type CountryRate struct {
	Country        store.ReportCountry
	Tasks          int
	Reported       int
	Accepted       int
	AwaitingReview int
	Clarification  int
	OnTime         int
	Late           int
	Waived         int
	Missing        int
}

// Percent is the share of a country's tasks reported, rounded, waived
// tasks left out of the count because the secretariat released the country
// from them; false when nothing was due.
func (c CountryRate) Percent() (int, bool) {
	due := c.Tasks - c.Waived
	if due == 0 {
		return 0, false
	}
	return int(float64(c.Reported)*100/float64(due) + 0.5), true
}

// Rate is Percent as the e-mails write it ("67%", "-" when nothing was due).
func (c CountryRate) Rate() string {
	n, ok := c.Percent()
	if !ok {
		return "-"
	}
	return strconv.Itoa(n) + "%"
}

// Build turns the rows of a cycle into the report with its figures.
func Build(d store.ReportData) Report {
	r := Report{Biennium: d.Biennium, ProgrammeTitle: d.ProgrammeTitle, Cycle: d.Cycle, Texts: d.Texts}
	switch {
	case d.Cycle.RevisedAt != nil:
		r.Date = *d.Cycle.RevisedAt
	case d.Cycle.ClosedAt != nil:
		r.Date = *d.Cycle.ClosedAt
	}
	r.Summary.Total = GoalCount{Counts: make([]int, len(ExecutionStatuses))}
	missing := map[string]*CountryMissing{}
	rates := map[string]*CountryRate{}
	for _, g := range d.Goals {
		goal := Goal{Number: g.Number, Title: g.Title}
		count := GoalCount{Number: g.Number, Title: g.Title, Counts: make([]int, len(ExecutionStatuses))}
		for _, a := range g.Activities {
			act := Activity{ReportActivity: a, ExecutionStatus: executionStatus(a), Reports: countryReports(a)}
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

// executionStatus is where the report puts an activity in the summary. The
// lead country speaks for the activity; when it has not reported, the
// participants who have do, the most recent report first, rather than the
// activity being counted as not reported while countries said where it stands.
func executionStatus(a store.ReportActivity) string {
	if a.Status == cooperation.ActivityCompleted || a.Status == cooperation.ActivityCancelled {
		return string(a.Status)
	}
	var latest *store.ReportSubmission
	for _, t := range a.Tasks {
		s := t.Submission
		if s == nil {
			continue
		}
		if t.Role == "lead" {
			return s.Status
		}
		if latest == nil || s.SubmittedAt.After(latest.SubmittedAt) {
			latest = s
		}
	}
	if latest != nil {
		return latest.Status
	}
	return NotReported
}

// countryReports is each country's execution status, in task order (the
// lead first).
func countryReports(a store.ReportActivity) []CountryReport {
	out := make([]CountryReport, 0, len(a.Tasks))
	for _, t := range a.Tasks {
		st := NotReported
		if t.Submission != nil {
			st = t.Submission.Status
		}
		out = append(out, CountryReport{Country: t.Country, Status: st, Task: t.Status})
	}
	return out
}

func statusColumn(status string) int {
	for i, s := range ExecutionStatuses {
		if s == status {
			return i
		}
	}
	return len(ExecutionStatuses) - 1
}

// outstanding tells whether a task still owes a report: never reported
// (open, overdue, missing) or sent back for clarification.
func outstanding(s cooperation.TaskStatus) bool {
	return s.Awaited() || s == cooperation.TaskMissing
}

func countTask(rates map[string]*CountryRate, all *CountryRate, t store.ReportTask) {
	c, ok := rates[t.Country.Code]
	if !ok {
		c = &CountryRate{Country: t.Country}
		rates[t.Country.Code] = c
	}
	for _, r := range []*CountryRate{c, all} {
		r.Tasks++
		switch {
		case t.Status.Reported():
			r.Reported++
			if t.Late {
				r.Late++
			} else {
				r.OnTime++
			}
			switch t.Status {
			case cooperation.TaskAccepted:
				r.Accepted++
			case cooperation.TaskClarification:
				r.Clarification++
			default:
				r.AwaitingReview++
			}
		case t.Status == cooperation.TaskWaived:
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
	m.Tasks = append(m.Tasks, MissingTask{Goal: goal, Code: a.Code, Title: a.Title, Role: t.Role, Status: t.Status})
}

// view is what a writer lays out: the report in one language.
type view struct {
	Report
	words
}

// Symbol is the document symbol with its revision suffix.
func (v view) Symbol() string { return v.Cycle.RevisedSymbol() }

// LanguageLine is the language of this rendering as the front matter
// prints it, empty in the original language (which prints only ORIGINAL).
func (v view) LanguageLine() string {
	if v.Lang == v.Cycle.OriginalLanguage {
		return ""
	}
	return v.Language(v.Lang)
}

// OriginalLine is "ORIGINAL: SPANISH" in the rendering's language.
func (v view) OriginalLine() string {
	return v.T("original") + " " + v.Language(v.Cycle.OriginalLanguage)
}

// CycleTitle is the cycle's title, else biennium/name.
func (v view) CycleTitle() string { return cycleTitle(v.Report) }

// Open tells whether the cycle is still open: the figures are provisional.
func (v view) Open() bool { return v.Cycle.Status == cooperation.CycleOpen }

// AllCountries is the row of every country's tasks together.
func (v view) AllCountries() CountryRate {
	c := v.Summary.AllTasks
	c.Country = store.ReportCountry{Name: v.T("all_countries")}
	return c
}

// TotalRow is the summary's last row, every goal together.
func (v view) TotalRow() GoalCount {
	g := v.Summary.Total
	g.Title = v.T("total")
	return g
}

func cycleTitle(r Report) string {
	if r.Cycle.Title != "" {
		return r.Cycle.Title
	}
	return r.Biennium + "/" + r.Cycle.Name
}
