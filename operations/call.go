package operations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// CallRequest opens a call for proposals. Closes is the last day to send
// proposals, written YYYY-MM-DD: the call's links work until it ends (UTC).
type CallRequest struct {
	Biennium string
	Closes   string
	By       string
}

// OpenedCall is the call an OpenCall left open. Existing tells that this
// very call was open already (a double click, a command run twice): the
// request invited no one again.
type OpenedCall struct {
	store.Call
	Existing bool
}

// OpenCall opens a call for proposals: every focal point of the biennium
// is e-mailed a personal link to the proposal form, valid until the call
// closes. Opening the same call again (same biennium and closing day) while
// it is open returns it and mails no one; one that closes on another day is
// Refused (call_open), since a second call would invite everyone again.
func (s *Service) OpenCall(ctx context.Context, r CallRequest) (OpenedCall, error) {
	_, berr := cooperation.ParseBiennium("biennium", r.Biennium)
	day, cerr := cooperation.CallClosing("closes", r.Closes, s.now().UTC())
	if err := invalid(berr, cerr, cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return OpenedCall{}, err
	}
	closes := store.DayEnd(day)
	c, err := s.Store.OpenCall(ctx, r.Biennium, closes, r.By, s.now(), mail.CallInvitation(s.BaseURL))
	switch {
	case errors.Is(err, store.ErrCallOpen) && c.ClosesAt.Equal(closes):
		return OpenedCall{Call: c, Existing: true}, nil
	case errors.Is(err, store.ErrCallOpen):
		last := c.ClosesAt.AddDate(0, 0, -1).Format(time.DateOnly)
		return OpenedCall{}, &Refused{Reason: "call_open",
			Detail: fmt.Sprintf("the call for proposals %s is open until %s", r.Biennium, last)}
	case errors.Is(err, store.ErrNotFound):
		return OpenedCall{}, invalid(&cooperation.FieldError{Field: "biennium", Key: "err_no_programme",
			Detail: fmt.Sprintf("%q: no programme of this biennium is imported", r.Biennium)})
	case err != nil:
		return OpenedCall{}, err
	}
	s.log().Info("call for proposals opened", "biennium", c.Biennium, "invited", c.Invited, "by", r.By)
	return OpenedCall{Call: c}, nil
}
