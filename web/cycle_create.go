package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// cycleFields are the dashboard's names of a cycle's fields.
var cycleFields = map[string]string{"biennium": "cycle_biennium", "name": "cycle_name", "title": "cycle_title",
	"due": "cycle_due", "closes": "cycle_closes"}

// createCycle opens a reporting cycle through operations.OpenCycle, whose
// workflow creates the report tasks and e-mails them.
func (s *server) createCycle(w http.ResponseWriter, r *http.Request) {
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	req := operations.CycleRequest{
		Biennium: f.value(r, "cycle_biennium"), Name: f.value(r, "cycle_name"), Title: f.value(r, "cycle_title"),
		Due: f.value(r, "cycle_due"), Closes: f.value(r, "cycle_closes"),
	}
	c, err := s.ops.OpenCycle(r.Context(), req)
	var refused *operations.Refused
	switch {
	case err == nil:
	case f.refuseOperation(err, cycleFields):
		s.answerDashboard(w, r, "cycle", f, "err_invalid")
		return
	case errors.As(err, &refused):
		f.errors["cycle_name"] = translate(f.lang, "err_cycle_exists")
		s.answerDashboard(w, r, "cycle", f, "err_invalid")
		return
	default:
		s.log.Error("open cycle", "biennium", req.Biennium, "name", req.Name, "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_cycle_not_started", f.lang)
		return
	}
	s.log.Info("cycle opened", "workflow_id", workflows.CycleID(c.Biennium, c.Name), "resumed", c.Resumed,
		"by", currentUser(r).user.Email, "form", nonce[:6])
	s.redirectFlash(w, r, store.FormFlash{Path: cyclePath(c.Biennium, c.Name), Notice: "cycle_opened"})
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
