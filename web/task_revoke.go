package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// revokeTaskLinks revokes every personal link to a task, such as when a
// focal point leaves office or a message went to the wrong address; the
// next invitation or reminder sends a fresh one.
func (s *server) revokeTaskLinks(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	reason := f.text(r, "revoke_reason", MaxReason, true)
	if !f.ok() {
		s.renderCycle(w, r, http.StatusUnprocessableEntity, f, taskName(t))
		return
	}
	n, err := s.store.RevokeLiveLinks(r.Context(), cooperation.TaskID(t.Biennium, t.Cycle, t.Code, t.Country), "", currentUser(r).user.Email, reason)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		// Nothing to revoke: say so beside the button rather than
		// redirect as if links had stopped working.
		f.errors["revoke_reason"] = translate(f.lang, "err_no_live_links")
		s.renderCycle(w, r, http.StatusConflict, f, taskName(t))
		return
	}
	if err != nil {
		s.internal(w, r, "revoke task links", err)
		return
	}
	s.log.Info("task links revoked", "task", t.Key().String(), "links", n, "by", currentUser(r).user.Email)
	http.Redirect(w, r, cyclePath(t.Biennium, t.Cycle), http.StatusSeeOther)
}
