package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

type proposalData struct {
	Biennium  string
	Country   string
	Choices   store.ProposalChoices
	Proposals []store.Activity
	Selected  map[string]bool
	Action    string
	Sent      string
}

// callVisit is a call-for-proposals link resolved: its biennium and the
// country its focal point proposes for.
type callVisit struct {
	biennium, country string
}

func (s *server) callOf(w http.ResponseWriter, r *http.Request, v linkVisit) (callVisit, bool) {
	biennium, ok := subjectAfter(v.link.Subject, "call")
	if !ok {
		s.refuseLink(w, r, v, "subject is not a call")
		return callVisit{}, false
	}
	country, err := s.store.FocalPointCountry(r.Context(), biennium, v.link.Recipient)
	if errors.Is(err, store.ErrNotFound) {
		s.refuseLink(w, r, v, "recipient is no longer a focal point")
		return callVisit{}, false
	} else if err != nil {
		s.internal(w, r, "load focal point country", err)
		return callVisit{}, false
	}
	return callVisit{biennium: biennium, country: country}, true
}

// showProposal shows the proposals this focal point sent under the call and
// the form for a new one, with the answer to one sent, if any.
func (s *server) showProposal(w http.ResponseWriter, r *http.Request, v linkVisit) {
	c, ok := s.callOf(w, r, v)
	if !ok {
		return
	}
	f, selected, sent := &form{values: map[string]string{"texts_language": v.lang}}, []string(nil), ""
	if fl := s.linkFlash(r, v); fl != nil {
		if fl.Notice == "propose_done_body" && len(fl.NoticeArgs) == 1 {
			sent = fl.NoticeArgs[0]
		} else {
			f = flashForm(fl, v.lang)
			if p := f.values["participants"]; p != "" {
				selected = strings.Split(p, ",")
			}
		}
	}
	s.renderProposal(w, r, v, c, http.StatusOK, f, selected, sent)
}

func (s *server) renderProposal(w http.ResponseWriter, r *http.Request, v linkVisit, c callVisit, status int, f *form, selected []string, sent string) {
	choices, err := s.store.ProposalChoices(r.Context(), c.biennium)
	if err != nil {
		s.internal(w, r, "load proposal choices", err)
		return
	}
	choices = choices.In(v.lang, mail.ShownText)
	mine, err := s.store.ProposalsBy(r.Context(), c.biennium, v.link.Recipient)
	if err != nil {
		s.internal(w, r, "load proposals", err)
		return
	}
	data := proposalData{Biennium: c.biennium, Country: c.country, Choices: choices, Proposals: mine,
		Selected: map[string]bool{}, Action: linkPath(v.token) + "/propose", Sent: sent}
	for _, p := range selected {
		data.Selected[p] = true
	}
	p := page{Lang: v.lang, TitleKey: "propose_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: f.values, Errors: f.errors}
	s.render(w, r, status, "propose", p)
}
