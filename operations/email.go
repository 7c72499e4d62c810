package operations

import (
	"context"
	"errors"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// ResendRequest sends an invitation again, with a fresh link, such as when
// a focal point cannot find it or it went to spam.
type ResendRequest struct {
	ID int64
	By string
}

// ResendEmail writes a new copy of invitation r.ID with a fresh personal
// link, audited (email_resent). A message that is no invitation, or whose
// task, round or call is over, is Refused (not_resendable) and nothing is
// written; an unknown message is store.ErrNotFound.
func (s *Service) ResendEmail(ctx context.Context, r ResendRequest) (store.Resent, error) {
	if err := invalid(cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return store.Resent{}, err
	}
	out, err := s.Store.ResendEmail(ctx, r.ID, r.By, s.now())
	if errors.Is(err, store.ErrResendRefused) {
		return store.Resent{}, &Refused{Reason: "not_resendable", Detail: err.Error()}
	}
	if err != nil {
		return store.Resent{}, err
	}
	s.log().Info("e-mail resent", "email_id", r.ID, "new_email_id", out.ID, "by", r.By)
	return out, nil
}
