package web

import (
	"net/http"

	"github.com/bienal/bienal/store"
)

// createCall opens a call for proposals: every focal point of the biennium
// is e-mailed a personal link to the proposal form, valid until the call
// closes (the end of its closing day).
func (s *server) createCall(w http.ResponseWriter, r *http.Request) {
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	biennium := f.choice(r, "call_biennium", s.bienniums(r))
	closes := f.date(r, "call_closes", true)
	if !closes.IsZero() && !store.DayEnd(closes).After(s.now()) {
		f.errors["call_closes"] = translate(f.lang, "err_date_past")
	}
	if !f.ok() {
		s.renderDashboard(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	by := currentUser(r).user.Email
	// The form's nonce is claimed with the call, so a double click opens one
	// call and e-mails each focal point once.
	var c store.Call
	first := false
	err := s.store.InTx(r.Context(), func(tx *store.Store) error {
		var err error
		if first, err = tx.ClaimForm(r.Context(), nonce, "call", store.CallRef(biennium), by); err != nil || !first {
			return err
		}
		c, err = tx.OpenCall(r.Context(), biennium, store.DayEnd(closes), by, s.now(), CallInvitation(s.baseURL))
		return err
	})
	if err != nil {
		s.internal(w, r, "open call for proposals", err)
		return
	}
	if first {
		s.log.Info("call for proposals opened", "biennium", biennium, "invited", c.Invited, "by", by)
	}
	http.Redirect(w, r, "/?call="+biennium, http.StatusSeeOther)
}
