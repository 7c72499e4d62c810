package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// createCycle opens a reporting cycle and starts its workflow, which creates
// the report tasks and e-mails them.
func (s *server) createCycle(w http.ResponseWriter, r *http.Request) {
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	biennium := f.choice(r, "cycle_biennium", s.bienniums(r))
	name := f.line(r, "cycle_name", 32, true)
	if f.errors["cycle_name"] == "" && !store.ValidCycleName(name) {
		f.errors["cycle_name"] = translate(f.lang, "err_cycle_name")
	}
	title := f.line(r, "cycle_title", cooperation.MaxCycleTitle, false)
	due := f.date(r, "cycle_due", true)
	closes := f.date(r, "cycle_closes", false)
	if !due.IsZero() && f.errors["cycle_closes"] == "" {
		if closes.IsZero() {
			closes = cooperation.DefaultCycleClosing(due)
		}
		for _, e := range cooperation.CycleDates(due, closes, s.now().UTC()) {
			f.refuse("cycle_"+e.Field, e)
		}
		if b, err := cooperation.ParseBiennium("cycle_biennium", biennium); err == nil {
			f.within(due, b.Starts(), due, "cycle_due")
		}
	}
	if !f.ok() {
		s.renderDashboard(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	id := workflows.CycleID(biennium, name)
	_, err := s.store.OpenCycle(r.Context(), biennium, name, title, due, closes)
	if errors.Is(err, store.ErrCycleExists) {
		// A row without its workflow (a request cut short between the two)
		// is finished now; a cycle that runs is refused.
		if workflows.StartCycle(r.Context(), s.temporal, biennium, name) == nil {
			s.log.Info("cycle workflow started for a stored cycle", "workflow_id", id)
			http.Redirect(w, r, cyclePath(biennium, name), http.StatusSeeOther)
			return
		}
		f.errors["cycle_name"] = translate(f.lang, "err_cycle_exists")
		s.renderDashboard(w, r, http.StatusUnprocessableEntity, f)
		return
	} else if err != nil {
		s.internal(w, r, "open cycle", err)
		return
	}
	err = workflows.StartCycle(r.Context(), s.temporal, biennium, name)
	if err != nil {
		s.log.Error("start cycle workflow", "workflow_id", id, "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_signal", f.lang)
		return
	}
	s.log.Info("cycle opened", "workflow_id", id, "by", currentUser(r).user.Email, "form", nonce[:6])
	http.Redirect(w, r, cyclePath(biennium, name), http.StatusSeeOther)
}

// bienniums lists the programmes a form may name.
func (s *server) bienniums(r *http.Request) []string {
	ps, err := s.store.ListProgrammes(r.Context())
	if err != nil {
		s.log.Error("list programmes", "error", err)
		return nil
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Biennium)
	}
	return out
}
