package web

import (
	"net/http"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type dashboardData struct {
	Goals     []store.GoalSummary
	Cycles    []dashboardCycle
	Bienniums []string
	// FormOf names the form ("cycle" or "call") the notice and the
	// errors shown belong to; Notice says what it did or why it was refused.
	FormOf, Notice string
	Failed         bool
	// Stopped are the workflows that should be running and are not.
	Stopped []workflows.Stopped
	// Requests are the focal points' extension requests waiting for an answer.
	Requests []store.ExtensionRequest
}

// dashboardCycle is a cycle, open or closed, with its report's downloads;
// Anchor is where the report-ready e-mail links to.
type dashboardCycle struct {
	store.DashboardCycle
	Anchor    string
	Downloads reportDownloads
}

// showDashboard shows each goal's activities counted by status with those
// that need attention, every cycle with its report and what is overdue,
// and the answer to a form of the dashboard that redirected here.
func (s *server) showDashboard(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.Dashboard(r.Context(), s.now())
	if err != nil {
		s.internal(w, r, "load dashboard", err)
		return
	}
	requests, err := s.store.PendingRequests(r.Context(), "", "")
	if err != nil {
		s.internal(w, r, "list extension requests", err)
		return
	}
	p := s.userPage(r, "dashboard_title")
	data := dashboardData{Goals: d.Goals, Bienniums: s.bienniums(r), Stopped: s.stopped(r.Context()), Requests: requests}
	for _, c := range d.Cycles {
		data.Cycles = append(data.Cycles, dashboardCycle{DashboardCycle: c, Anchor: mail.CycleAnchor(c.Biennium, c.Name),
			Downloads: downloadsOf(p, c.Biennium, c.Name)})
	}
	p.Path = "/"
	p.Form = map[string]string{}
	if fl := s.pageFlash(r, "/"); fl != nil {
		f := flashForm(fl, p.Lang)
		p.Form, p.Errors = f.values, f.errors
		data.FormOf, data.Notice, data.Failed = fl.Target, flashNotice(fl, p.Lang), fl.Failed
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "dashboard", p)
}

// answerDashboard redirects the answer to one of the dashboard's forms
// (of is "cycle" or "call") to the dashboard, at that form.
func (s *server) answerDashboard(w http.ResponseWriter, r *http.Request, of string, f *form, notice string, args ...string) {
	fl := store.FormFlash{Path: "/", Target: of, Values: f.values, Errors: f.errors, Notice: notice, NoticeArgs: args}
	if len(f.errors) > 0 {
		fl.Failed = true
	}
	s.redirectFlash(w, r, fl)
}
