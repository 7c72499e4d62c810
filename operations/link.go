package operations

import (
	"context"
	"errors"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// RevokeRequest revokes the personal links to a subject (task/…, activity/…
// or call/…), everyone's or only Recipient's, such as when a focal point
// leaves office or a message went to the wrong address.
type RevokeRequest struct {
	Subject   string
	Recipient string
	By        string
	// Reason is required: the audit log keeps why links stopped working.
	Reason string
}

// RevokeLinks revokes the live links a request names and returns how many.
// A request that matches no live link (none was sent, or all are revoked)
// is Refused (no_live_links) and writes nothing: revoking nothing is a
// mistaken subject or recipient that "0 links revoked" would hide.
func (s *Service) RevokeLinks(ctx context.Context, r RevokeRequest) (int64, error) {
	errs := []error{store.CheckLinkSubject(r.Subject),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true),
		cooperation.Text("reason", r.Reason, cooperation.MaxReason, true)}
	if r.Recipient != "" {
		errs = append(errs, cooperation.Email("recipient", r.Recipient))
	}
	if err := invalid(errs...); err != nil {
		return 0, err
	}
	n, err := s.Store.RevokeLiveLinks(ctx, r.Subject, r.Recipient, r.By, r.Reason)
	if errors.Is(err, store.ErrNoLiveLinks) {
		return 0, &Refused{Reason: "no_live_links", Detail: err.Error()}
	}
	if err != nil {
		return 0, err
	}
	s.log().Info("links revoked", "subject", r.Subject, "links", n, "by", r.By)
	return n, nil
}
