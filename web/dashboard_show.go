package web

import (
	"net/http"
	"slices"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type dashboardData struct {
	Goals      []store.GoalSummary
	Cycles     []store.DashboardCycle
	Bienniums  []string
	CallOpened string
	// Stopped are the workflows that should be running and are not.
	Stopped []workflows.Stopped
	// Requests are the focal points' extension requests waiting for an answer.
	Requests []store.ExtensionRequest
}

// showDashboard shows each goal's activities counted by status with those
// that need attention, the open cycles and what is overdue.
func (s *server) showDashboard(w http.ResponseWriter, r *http.Request) {
	s.renderDashboard(w, r, http.StatusOK, nil)
}

// renderDashboard shows the dashboard, with the errors of its forms when f is set.
func (s *server) renderDashboard(w http.ResponseWriter, r *http.Request, status int, f *form) {
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
	data := dashboardData{Goals: d.Goals, Cycles: d.Cycles, Bienniums: s.bienniums(r), Stopped: s.stopped(r.Context()),
		Requests: requests}
	if b := r.URL.Query().Get("call"); slices.Contains(data.Bienniums, b) {
		data.CallOpened = b
	}
	p := s.userPage(r, "dashboard_title")
	p.Path = "/"
	p.Data = data
	p.Form = map[string]string{}
	if f != nil {
		p.Form, p.Errors = f.values, f.errors
	}
	s.render(w, r, status, "dashboard", p)
}
