package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// revokeTaskLinks revokes every personal link to a task through
// operations.RevokeLinks, such as when a focal point leaves office or a
// message went to the wrong address; an invitation sent again gives a fresh
// one, and reminders leave the task out until then. It acts once confirmed
// on the page confirmTaskChange shows.
func (s *server) revokeTaskLinks(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	if !confirmed(r) {
		s.askConfirmation(w, r, "revoke", f.multiline(r, "revoke_reason"))
		return
	}
	by := currentUser(r).user.Email
	n, err := s.ops.RevokeLinks(r.Context(), operations.RevokeRequest{
		Subject: cooperation.TaskID(t.Biennium, t.Cycle, t.Code, t.Country), By: by,
		Reason: f.multiline(r, "revoke_reason")})
	var refused *operations.Refused
	c, task := taskCycle(t), taskName(t)
	switch {
	case err == nil:
	case f.refuseOperation(err, map[string]string{"reason": "revoke_reason"}):
		s.answerCycle(w, r, c, task, f, true, "")
		return
	case errors.As(err, &refused):
		// Nothing to revoke: say so beside the field rather than as if
		// links had stopped working.
		f.errors["revoke_reason"] = translate(f.lang, refused.Key())
		s.answerCycle(w, r, c, task, f, true, "")
		return
	default:
		s.internal(w, r, "revoke task links", err)
		return
	}
	s.log.Info("task links revoked", "task", t.Key().String(), "links", n, "by", by)
	s.answerCycle(w, r, c, task, nil, false, "revoked_notice", strconv.FormatInt(n, 10))
}
