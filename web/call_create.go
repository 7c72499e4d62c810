package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/operations"
)

// callFields are the dashboard's names of a call's fields.
var callFields = map[string]string{"biennium": "call_biennium", "closes": "call_closes"}

// createCall opens a call for proposals through operations.OpenCall: every
// focal point of the biennium is e-mailed a personal link to the proposal
// form, valid until the call closes. A double click lands on the same page
// and opens one call. Every answer goes back to the dashboard's call form.
func (s *server) createCall(w http.ResponseWriter, r *http.Request) {
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	req := operations.CallRequest{Biennium: f.value(r, "call_biennium"), Closes: f.value(r, "call_closes"),
		By: currentUser(r).user.Email}
	c, err := s.ops.OpenCall(r.Context(), req)
	var refused *operations.Refused
	switch {
	case err == nil:
	case f.refuseOperation(err, callFields):
		s.answerDashboard(w, r, "call", f, "err_invalid")
		return
	case errors.As(err, &refused):
		f.errors["call_closes"] = translate(f.lang, refused.Key())
		s.answerDashboard(w, r, "call", f, "err_invalid")
		return
	default:
		s.internal(w, r, "open call for proposals", err)
		return
	}
	s.log.Info("call for proposals", "biennium", c.Biennium, "existing", c.Existing, "invited", c.Invited, "by", req.By)
	s.answerDashboard(w, r, "call", &form{}, "call_opened", c.Biennium, mail.FormatDate(f.lang, mail.LastDay(c.ClosesAt)))
}
