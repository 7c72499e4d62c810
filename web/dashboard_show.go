package web

import (
	"net/http"
	"slices"

	"github.com/bienal/bienal/store"
)

type goalGroup struct {
	Biennium   string
	Number     int
	Title      string
	Activities []store.DashboardActivity
}

type dashboardData struct {
	Goals      []goalGroup
	Cycles     []store.DashboardCycle
	Bienniums  []string
	CallOpened string
}

// showDashboard shows the programme by goal, the open cycles and what is overdue.
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
	var data dashboardData
	for _, a := range d.Activities {
		n := len(data.Goals)
		if n == 0 || data.Goals[n-1].Biennium != a.Biennium || data.Goals[n-1].Number != a.Goal {
			data.Goals = append(data.Goals, goalGroup{Biennium: a.Biennium, Number: a.Goal, Title: a.GoalTitle})
			n++
		}
		data.Goals[n-1].Activities = append(data.Goals[n-1].Activities, a)
	}
	data.Cycles = d.Cycles
	data.Bienniums = s.bienniums(r)
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
