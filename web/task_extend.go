package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// cycleTask loads the task a secretariat request names.
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

func taskCycle(t store.Task) store.Cycle { return store.Cycle{Biennium: t.Biennium, Name: t.Cycle} }

// extendTask asks the task's workflow, which owns the deadline, to move
// it, and shows its answer on the task's row.
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
	until := req.Until
	if d, derr := cooperation.Day("until", req.Until); derr == nil {
		until = mail.FormatDate(f.lang, d)
	}
	s.answerTaskChange(w, r, f, t, err, map[string]string{"until": "until", "reason": "reason"}, "extended_notice", until)
}

// waiveTask asks the task's workflow to release the country from it, once
// the secretariat has confirmed it on the page confirmTaskChange shows.
func (s *server) waiveTask(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	if !confirmed(r) {
		s.askConfirmation(w, r, "waive", f.value(r, "waive_reason"))
		return
	}
	req := operations.WaiveRequest{Task: t.Key(), Reason: f.value(r, "waive_reason"), By: currentUser(r).user.Email,
		RequestID: s.derivedID("waive", nonce)}
	_, err := s.ops.Waive(r.Context(), req)
	s.answerTaskChange(w, r, f, t, err, map[string]string{"reason": "waive_reason"}, "waived_notice")
}

// refusedBeside are the task refusals shown beside the field at fault.
var refusedBeside = map[string][2]string{
	"not_after_due":    {"until", "err_extend_before"},
	"after_close_date": {"until", "err_extend_after_close"},
}

// answerTaskChange shows the workflow's answer to an extension or waiver on
// the task's row of the cycle page: what was done (notice), the reason
// beside its field, or the refusal.
func (s *server) answerTaskChange(w http.ResponseWriter, r *http.Request, f *form, t store.Task, err error, fields map[string]string, notice string, args ...string) {
	var refused *operations.Refused
	var noAnswer *operations.NoAnswer
	c, task := taskCycle(t), taskName(t)
	if r.PostForm.Get("back") == "task" {
		// Posted from the task's own page (granting a request): answered there.
		s.answerReview(w, r, f, t, err, fields, refusedBeside)
		return
	}
	switch {
	case err == nil:
		s.answerCycle(w, r, c, task, nil, false, notice, args...)
	case f.refuseOperation(err, fields):
		s.answerCycle(w, r, c, task, f, true, "")
	case errors.As(err, &refused) && refusedBeside[refused.Reason][0] != "":
		at := refusedBeside[refused.Reason]
		f.errors[at[0]] = translate(f.lang, at[1])
		s.answerCycle(w, r, c, task, f, true, "")
	case errors.As(err, &refused):
		s.answerCycle(w, r, c, task, nil, true, refused.Key())
	case errors.As(err, &noAnswer):
		s.log.Warn("task change unanswered", "task", t.Key().String(), "error", err)
		s.answerCycle(w, r, c, task, f, true, "err_no_answer_change")
	default:
		s.internal(w, r, "change task", err)
	}
}

// closeCycle asks the cycle's workflow to close it before its closing
// date, once confirmed on the page confirmCloseCycle shows.
func (s *server) closeCycle(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCycle(w, r)
	if !ok {
		return
	}
	biennium, name := c.Biennium, c.Name
	if _, _, ok := s.sessionForm(w, r); !ok {
		return
	}
	if !confirmed(r) {
		http.Redirect(w, r, cyclePath(biennium, name)+"/close", http.StatusSeeOther)
		return
	}
	err := s.ops.CloseCycle(r.Context(), operations.CloseRequest{Biennium: biennium, Name: name, By: currentUser(r).user.Email}, s.temporal)
	var refused *operations.Refused
	switch {
	case err == nil:
		s.answerCycle(w, r, c, "", nil, false, "cycle_closed_notice")
	case errors.As(err, &refused):
		s.answerCycle(w, r, c, "", nil, true, refused.Key())
	default:
		s.log.Error("close cycle", "biennium", biennium, "name", name, "error", err)
		s.answerCycle(w, r, c, "", nil, true, "err_cycle_not_closed")
	}
}
