package web

import (
	"net/http"

	"github.com/bienal/bienal/store"
)

type revisionData struct {
	Activity store.Activity
	Comments []store.Vote
	Action   string
	Version  int
}

// showRevision shows a proposal sent back with changes requested: its
// current fields in a form, the members' comments beside them.
func (s *server) showRevision(w http.ResponseWriter, r *http.Request, v linkVisit) {
	a, ok := s.linkActivity(w, r, v)
	if !ok {
		return
	}
	s.renderRevision(w, r, v, a, http.StatusOK, proposalForm(a), nil)
}

func (s *server) renderRevision(w http.ResponseWriter, r *http.Request, v linkVisit, a store.Activity, status int, form, errs map[string]string) {
	votes, err := s.store.ListVotes(r.Context(), a.Biennium, a.Code)
	if err != nil {
		s.internal(w, r, "load votes", err)
		return
	}
	data := revisionData{Activity: a, Action: linkPath(v.token) + "/revise"}
	for _, vote := range votes {
		if vote.Round == a.Round && vote.Comment != "" {
			data.Comments = append(data.Comments, vote)
		}
	}
	p := page{Lang: v.lang, TitleKey: "revise_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: form, Errors: errs}
	s.render(w, r, status, "revise", p)
}
