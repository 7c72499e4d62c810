package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/store"
)

type activityData struct {
	Activity store.Activity
	Timeline []store.AuditEntry
	Votes    []store.Vote
}

// showActivity shows an activity, its timeline from the audit log and the
// committee's votes.
func (s *server) showActivity(w http.ResponseWriter, r *http.Request) {
	biennium, code := r.PathValue("biennium"), r.PathValue("code")
	a, err := s.store.GetActivity(r.Context(), biennium, code)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "load activity", err)
		return
	}
	data := activityData{Activity: a}
	if data.Timeline, err = s.store.AuditLog(r.Context(), store.ActivityRef(biennium, code)); err != nil {
		s.internal(w, r, "load timeline", err)
		return
	}
	if data.Votes, err = s.store.ListVotes(r.Context(), biennium, code); err != nil {
		s.internal(w, r, "load votes", err)
		return
	}
	p := s.userPage(r, "activity_title")
	p.Data = data
	s.render(w, r, http.StatusOK, "activity", p)
}
