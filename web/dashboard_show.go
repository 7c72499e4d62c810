package web

import (
	"net/http"

	"github.com/bienal/bienal/store"
)

type goalGroup struct {
	Biennium   string
	Number     int
	Title      string
	Activities []store.DashboardActivity
}

type dashboardData struct {
	Goals  []goalGroup
	Cycles []store.DashboardCycle
}

// showDashboard shows the programme by goal, the open cycles and what is overdue.
func (s *server) showDashboard(w http.ResponseWriter, r *http.Request) {
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
	p := s.userPage(r, "dashboard_title")
	p.Data = data
	s.render(w, r, http.StatusOK, "dashboard", p)
}
