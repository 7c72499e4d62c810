package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// awayData is the page where the holder of any personal link names
// someone to act for them while they are away.
type awayData struct {
	Action    string
	Languages []string
	Done      *store.Delegation
}

// showAway shows the form naming a delegate for the link's holder.
func (s *server) showAway(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, "")
	if !ok {
		return
	}
	s.renderAway(w, r, v, http.StatusOK, nil, nil)
}

func (s *server) renderAway(w http.ResponseWriter, r *http.Request, v linkVisit, status int, f *form, done *store.Delegation) {
	p := page{Lang: v.lang, TitleKey: "away_title", Path: linkPath(v.token) + "/away", CSRF: s.formToken("link:" + v.token),
		Data: awayData{Action: linkPath(v.token) + "/away", Languages: cooperation.Languages, Done: done}, Form: map[string]string{}}
	if f != nil {
		p.Form, p.Errors = f.values, f.errors
	}
	s.render(w, r, status, "away", p)
}

// createAway names the delegate (operations.Delegate), the link's holder
// being the person away and the one who asked, as the audit log says.
func (s *server) createAway(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, "")
	if !ok {
		return
	}
	f, nonce, ok := s.linkForm(w, r, v)
	if !ok {
		return
	}
	first, err := s.store.ClaimForm(r.Context(), nonce, "delegation", "person/"+v.link.Recipient, v.link.Recipient)
	if err != nil {
		s.internal(w, r, "claim delegation form", err)
		return
	}
	req := operations.DelegationRequest{Person: v.link.Recipient, Delegate: personFields(r, f),
		From: f.value(r, "from"), Until: f.value(r, "until"), Reason: f.multiline(r, "reason"), By: v.link.Recipient}
	if !first {
		// The same form sent twice: the first one's answer stands. A form
		// whose first sending was refused is shown afresh.
		if result, _, err := s.store.FormResult(r.Context(), nonce); err == nil && result != "" {
			s.renderAway(w, r, v, http.StatusOK, nil, &store.Delegation{Delegate: result})
			return
		}
		f.errors["email"] = translate(v.lang, "err_form")
		s.renderAway(w, r, v, http.StatusConflict, f, nil)
		return
	}
	d, err := s.ops.Delegate(r.Context(), req)
	var inv *operations.Invalid
	switch {
	case err == nil:
	case errors.As(err, &inv):
		f.refuseOperation(err, nil)
		s.renderAway(w, r, v, http.StatusUnprocessableEntity, f, nil)
		return
	default:
		s.internal(w, r, "name a delegate", err)
		return
	}
	if err := s.store.SetFormResult(r.Context(), nonce, d.Delegate); err != nil {
		s.log.Warn("keep the delegation form's result", "error", err)
	}
	s.renderAway(w, r, v, http.StatusOK, nil, &d)
}
