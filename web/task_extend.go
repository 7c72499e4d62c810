package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
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

// extendTask asks the task's workflow, which owns the deadline, to move
// it, and shows its answer.
func (s *server) extendTask(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	req := operations.ExtendRequest{Task: t.Key(), Until: f.value(r, "until"), Reason: f.value(r, "reason"),
		By: currentUser(r).user.Email, RequestID: s.derivedID("extend", nonce)}
	_, err := s.ops.Extend(r.Context(), req)
	s.answerTaskChange(w, r, f, t, err, map[string]string{"until": "until", "reason": "reason"})
}

// waiveTask asks the task's workflow to release the country from it.
func (s *server) waiveTask(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	req := operations.WaiveRequest{Task: t.Key(), Reason: f.value(r, "waive_reason"), By: currentUser(r).user.Email,
		RequestID: s.derivedID("waive", nonce)}
	_, err := s.ops.Waive(r.Context(), req)
	s.answerTaskChange(w, r, f, t, err, map[string]string{"reason": "waive_reason"})
}

// refusedBeside are the task refusals shown beside the field at fault.
var refusedBeside = map[string][2]string{
	"not_after_due":    {"until", "err_extend_before"},
	"after_close_date": {"until", "err_extend_after_close"},
}

// answerTaskChange shows the workflow's answer to an extension or waiver:
// back to the cycle when made, the form with the reason beside its field,
// or the refusal.
func (s *server) answerTaskChange(w http.ResponseWriter, r *http.Request, f *form, t store.Task, err error, fields map[string]string) {
	var refused *operations.Refused
	var noAnswer *operations.NoAnswer
	switch {
	case err == nil && r.PostForm.Get("back") == "task":
		http.Redirect(w, r, taskPath(t)+"?done=1", http.StatusSeeOther)
	case err == nil:
		http.Redirect(w, r, cyclePath(t.Biennium, t.Cycle), http.StatusSeeOther)
	case r.PostForm.Get("back") == "task" && f.refuseOperation(err, fields):
		s.renderTaskReview(w, r, http.StatusUnprocessableEntity, f)
	case f.refuseOperation(err, fields):
		s.renderCycle(w, r, http.StatusUnprocessableEntity, f, taskName(t))
	case errors.As(err, &refused) && refusedBeside[refused.Reason][0] != "":
		at := refusedBeside[refused.Reason]
		f.errors[at[0]] = translate(f.lang, at[1])
		s.renderCycle(w, r, http.StatusUnprocessableEntity, f, taskName(t))
	case errors.As(err, &refused):
		s.failIn(w, r, http.StatusConflict, refused.Key(), f.lang)
	case errors.As(err, &noAnswer):
		s.log.Warn("task change unanswered", "task", t.Key().String(), "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_no_answer_change", f.lang)
	default:
		s.internal(w, r, "change task", err)
	}
}

// closeCycle asks the cycle's workflow to close it before its closing date.
func (s *server) closeCycle(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCycle(w, r)
	if !ok {
		return
	}
	biennium, name := c.Biennium, c.Name
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	err := s.ops.CloseCycle(r.Context(), operations.CloseRequest{Biennium: biennium, Name: name, By: currentUser(r).user.Email}, s.temporal)
	var refused *operations.Refused
	switch {
	case err == nil:
		http.Redirect(w, r, cyclePath(biennium, name), http.StatusSeeOther)
	case errors.As(err, &refused):
		s.failIn(w, r, http.StatusConflict, refused.Key(), f.lang)
	default:
		s.log.Error("close cycle", "biennium", biennium, "name", name, "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_cycle_not_closed", f.lang)
	}
}
