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
	// Notice is why a revision sent was refused.
	Notice string
}

// showRevision shows a proposal sent back with changes requested: its
// current fields, with their translations, in a form, the members'
// comments beside them.
func (s *server) showRevision(w http.ResponseWriter, r *http.Request, v linkVisit) {
	a, ok := s.linkActivity(w, r, v)
	if !ok {
		return
	}
	fl := s.linkFlash(r, v)
	switch {
	case fl == nil:
		form := proposalForm(a)
		translationsForm(form, a, v.lang)
		s.renderRevision(w, r, v, a, http.StatusOK, form, nil, nil)
	case fl.Notice == "revise_done_body":
		s.renderDone(w, r, v, "revise_done_title", fl.Notice, a)
	default:
		s.renderRevision(w, r, v, a, http.StatusOK, fl.Values, fl.Errors, fl)
	}
}

// renderDone shows the confirmation of a form sent through a link.
func (s *server) renderDone(w http.ResponseWriter, r *http.Request, v linkVisit, title, message string, a store.Activity) {
	s.render(w, r, http.StatusOK, "done", page{Lang: v.lang, TitleKey: title, Path: linkPath(v.token),
		Data: doneData{Message: message, Code: a.Code, Title: a.Texts.Title}})
}

func (s *server) renderRevision(w http.ResponseWriter, r *http.Request, v linkVisit, a store.Activity, status int, form, errs map[string]string, fl *store.FormFlash) {
	votes, err := s.store.ListVotes(r.Context(), a.Biennium, a.Code)
	if err != nil {
		s.internal(w, r, "load votes", err)
		return
	}
	data := revisionData{Activity: a, Action: linkPath(v.token) + "/revise", Notice: flashNotice(fl, v.lang)}
	for _, vote := range votes {
		if vote.Round == a.Round && vote.Comment != "" {
			data.Comments = append(data.Comments, vote)
		}
	}
	p := page{Lang: v.lang, TitleKey: "revise_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: form, Errors: errs}
	s.render(w, r, status, "revise", p)
}
