package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// revokeTaskLinks revokes every personal link to a task through
// operations.RevokeLinks, such as when a focal point leaves office or a
// message went to the wrong address; the next invitation or reminder sends
// a fresh one.
func (s *server) revokeTaskLinks(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	by := currentUser(r).user.Email
	n, err := s.ops.RevokeLinks(r.Context(), operations.RevokeRequest{
		Subject: cooperation.TaskID(t.Biennium, t.Cycle, t.Code, t.Country), By: by,
		Reason: f.multiline(r, "revoke_reason")})
	var refused *operations.Refused
	switch {
	case err == nil:
	case f.refuseOperation(err, map[string]string{"reason": "revoke_reason"}):
		s.renderCycle(w, r, http.StatusUnprocessableEntity, f, taskName(t))
		return
	case errors.As(err, &refused):
		// Nothing to revoke: say so beside the button rather than
		// redirect as if links had stopped working.
		f.errors["revoke_reason"] = translate(f.lang, refused.Key())
		s.renderCycle(w, r, http.StatusConflict, f, taskName(t))
		return
	default:
		s.internal(w, r, "revoke task links", err)
		return
	}
	s.log.Info("task links revoked", "task", t.Key().String(), "links", n, "by", by)
	http.Redirect(w, r, cyclePath(t.Biennium, t.Cycle), http.StatusSeeOther)
}
