package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
)

// Dangerous actions (closing a cycle early, waiving a report, revoking a
// task's links) are asked on a page of their own before they are done, with
// a form that says what will happen; no script is needed. The forms of the
// cycle page open that page (GET, which changes nothing), and a POST that
// does not come from it is sent there.

// confirmField is the field only a confirmation page's form carries.
const confirmField = "confirm"

// confirmed tells whether a dangerous form was sent from its confirmation page.
func confirmed(r *http.Request) bool { return r.PostForm.Get(confirmField) == "yes" }

// askConfirmation sends a dangerous form not sent from its confirmation page
// there, with the reason typed.
func (s *server) askConfirmation(w http.ResponseWriter, r *http.Request, action, reason string) {
	http.Redirect(w, r, r.URL.Path+"?"+url.Values{action + "_reason": {reason}}.Encode(), http.StatusSeeOther)
}

// confirmData is what a confirmation page shows.
type confirmData struct {
	// What the action is about, and what it will do.
	About, Effect string
	// Action is where the form posts; Cancel the page to go back to.
	Action, Cancel string
	// Reason is the name of the reason field; empty when none is asked.
	Reason, ReasonLabel string
	Button              string
	// Done says why nothing is to be confirmed (a cycle already closed).
	Done string
}

// confirmTaskChange shows the confirmation page of waiving a task or
// revoking its links (action "waive" or "revoke").
func (s *server) confirmTaskChange(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, ok := s.cycleTask(w, r)
		if !ok {
			return
		}
		p := s.userPage(r, "confirm_"+action+"_title")
		p.Path = r.URL.Path
		field := action + "_reason"
		reason := strings.TrimSpace(r.URL.Query().Get(field))
		p.Form = map[string]string{field: shown(reason)}
		// The reason is checked as the action will check it, so that
		// what is confirmed is what will be done.
		bad := false
		if r.URL.Query().Has(field) {
			f := &form{lang: p.Lang, values: map[string]string{}, errors: map[string]string{}}
			f.refuse(field, cooperation.Text(field, reason, MaxReason, true))
			p.Errors, bad = f.errors, !f.ok()
		}
		cancel := cyclePath(t.Biennium, t.Cycle) + "#task-" + t.Code + "-" + t.Country
		p.Data = confirmData{
			About:  fmt.Sprintf(p.T("confirm_about_task"), t.Code, mail.CountryName(p.Lang, t.Country), t.Cycle, p.T("ts_"+string(t.Status)), mail.FormatDate(p.Lang, t.DueOn)),
			Effect: p.T("confirm_" + action + "_effect"), Action: r.URL.Path, Cancel: cancel,
			Reason: field, ReasonLabel: "f_" + action + "_reason", Button: p.T("confirm_" + action + "_button"),
		}
		if t.Status != cooperation.TaskOpen && t.Status != cooperation.TaskOverdue {
			p.Data = confirmData{Cancel: cancel, Done: p.T("refused_task_closed")}
		} else if bad {
			d := p.Data.(confirmData)
			d.Button, d.Action = "", r.URL.Path
			p.Data = d
		}
		s.render(w, r, http.StatusOK, "confirm", p)
	}
}

// confirmCloseCycle shows the confirmation page of closing a cycle now.
func (s *server) confirmCloseCycle(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCycle(w, r)
	if !ok {
		return
	}
	p := s.userPage(r, "confirm_close_title")
	p.Path = r.URL.Path
	data := confirmData{Action: r.URL.Path, Cancel: cyclePath(c.Biennium, c.Name), Button: p.T("confirm_close_button"),
		About: fmt.Sprintf(p.T("confirm_about_cycle"), c.Biennium, c.Name, mail.FormatDate(p.Lang, c.ClosesOn))}
	if c.Status != cooperation.CycleOpen {
		data = confirmData{Cancel: data.Cancel, Done: p.T("refused_cycle_closed")}
	} else {
		counts, err := s.store.CycleCounts(r.Context(), c.Biennium, c.Name)
		if err != nil {
			s.internal(w, r, "count tasks", err)
			return
		}
		awaited := counts[cooperation.TaskOpen] + counts[cooperation.TaskOverdue]
		data.Effect = fmt.Sprintf(p.T("confirm_close_effect"), awaited)
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "confirm", p)
}

// Keys the confirmation pages build from their action, listed for the
// catalogue tests.
var confirmKeys = []string{
	"confirm_waive_title", "confirm_waive_effect", "confirm_waive_button", "f_waive_reason",
	"confirm_revoke_title", "confirm_revoke_effect", "confirm_revoke_button", "f_revoke_reason",
}
