package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// cycleTask loads the task a secretariat POST names.
func (s *server) cycleTask(w http.ResponseWriter, r *http.Request) (store.Task, bool) {
	k := cooperation.TaskKey{Biennium: r.PathValue("biennium"), Cycle: r.PathValue("name"),
		Code: r.PathValue("code"), Country: r.PathValue("country")}
	t, err := s.store.GetTask(r.Context(), k)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return store.Task{}, false
	} else if err != nil {
		s.internal(w, r, "load task", err)
		return store.Task{}, false
	}
	return t, true
}

func taskName(t store.Task) string { return t.Code + "/" + t.Country }

// extendTask moves a task's due date: the task's workflow owns the
// deadline, so the portal only signals it.
func (s *server) extendTask(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	until := f.date(r, "until", true)
	if !until.IsZero() && !until.After(t.DueOn) {
		f.errors["until"] = translate(f.lang, "err_extend_before")
	} else if !until.IsZero() {
		c, err := s.store.GetCycle(r.Context(), t.Biennium, t.Cycle)
		if err != nil {
			s.internal(w, r, "load cycle", err)
			return
		}
		if until.After(c.ClosesOn) {
			f.errors["until"] = translate(f.lang, "err_extend_after_close")
		}
	}
	reason := f.text(r, "reason", MaxReason, true)
	if !f.ok() {
		s.renderCycle(w, r, http.StatusUnprocessableEntity, f, taskName(t))
		return
	}
	sig := workflows.ExtendSignal{Until: until.Format("2006-01-02"), Reason: reason, By: currentUser(r).user.Email}
	s.signalTask(w, r, f.lang, nonce, t, workflows.SignalExtend, sig)
}

// waiveTask releases a country from one report task.
func (s *server) waiveTask(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	reason := f.text(r, "waive_reason", MaxReason, true)
	if !f.ok() {
		s.renderCycle(w, r, http.StatusUnprocessableEntity, f, taskName(t))
		return
	}
	sig := workflows.WaiveSignal{Reason: reason, By: currentUser(r).user.Email}
	s.signalTask(w, r, f.lang, nonce, t, workflows.SignalWaive, sig)
}

func (s *server) signalTask(w http.ResponseWriter, r *http.Request, lang, nonce string, t store.Task, name string, arg any) {
	if t.Status != cooperation.TaskOpen && t.Status != cooperation.TaskOverdue {
		s.failIn(w, r, http.StatusConflict, "err_task_closed", lang)
		return
	}
	id := workflows.TaskID(t.Biennium, t.Cycle, t.Code, t.Country)
	if !s.signalFromSession(w, r, lang, nonce, id, name, arg) {
		return
	}
	http.Redirect(w, r, cyclePath(t.Biennium, t.Cycle), http.StatusSeeOther)
}

// closeCycle asks the cycle's workflow to close it before its closing date.
func (s *server) closeCycle(w http.ResponseWriter, r *http.Request) {
	biennium, name := r.PathValue("biennium"), r.PathValue("name")
	c, err := s.store.GetCycle(r.Context(), biennium, name)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "load cycle", err)
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	if c.Status != cooperation.CycleOpen {
		s.failIn(w, r, http.StatusConflict, "err_cycle_closed", f.lang)
		return
	}
	sig := workflows.CloseSignal{By: currentUser(r).user.Email}
	if !s.signalFromSession(w, r, f.lang, nonce, workflows.CycleID(biennium, name), workflows.SignalClose, sig) {
		return
	}
	http.Redirect(w, r, cyclePath(biennium, name), http.StatusSeeOther)
}
