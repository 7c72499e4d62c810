package operations

import (
	"context"
	"errors"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// ReplaceRequest replaces one person in a country's role: its focal point,
// or its committee seat's principal or one of its alternates. The portal's
// directory and `bienal focal-point replace` / `bienal committee replace`
// send the same request.
type ReplaceRequest struct {
	Biennium string
	Country  string
	// Role is cooperation.RoleFocalPoint, RolePrincipal or RoleAlternate.
	Role string
	// From is the address of the person replaced: needed only when the
	// country has several in the role.
	From string
	// To is the person who takes the role over: a new person, or one the
	// directory knows (whose name, language and time zone are updated).
	To cooperation.PersonFields
	// Effective is the day the change took effect, YYYY-MM-DD: within the
	// biennium, not after today; empty means today.
	Effective string
	// Reference is kept in the audit log: the note verbale that announced
	// the change, say.
	Reference string
	By        string
}

// Replace replaces a person as one dated, audited change (store.Replace):
// the new person takes the role from the effective day, every open item of
// the role (report tasks of the country, votes of the seat) is re-addressed
// to them with a fresh link each, sent in one message in their language,
// and the old person's links to those items stop working. What the old
// person did stays theirs: their votes count for the seat until the new
// person votes again, their reports stay as sent. Bad input is Invalid,
// naming each field, and changes nothing.
func (s *Service) Replace(ctx context.Context, r ReplaceRequest) (store.Replaced, error) {
	to := r.To.Normalized()
	b, berr := cooperation.ParseBiennium("biennium", r.Biennium)
	errs := append([]error{berr, cooperation.CountryCode("country", r.Country),
		cooperation.OneOf("role", r.Role, cooperation.RoleFocalPoint, cooperation.RolePrincipal, cooperation.RoleAlternate),
		cooperation.Text("reference", r.Reference, cooperation.MaxReference, false),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)}, to.Check()...)
	if r.From != "" {
		errs = append(errs, cooperation.PersonEmail("from", r.From))
	}
	var effective error
	day := s.now().UTC()
	if berr == nil {
		day, effective = cooperation.Effective("effective", r.Effective, b, s.now().UTC())
	}
	if err := invalid(append(errs, effective)...); err != nil {
		return store.Replaced{}, err
	}
	out, err := s.Store.Replace(ctx, store.Replacement{Biennium: r.Biennium, Country: r.Country, Role: r.Role, From: r.From,
		To: to, Effective: day, Reference: r.Reference, By: r.By, Now: s.now()}, mail.HandoverMail(s.BaseURL))
	var fe *cooperation.FieldError
	if errors.As(err, &fe) {
		return store.Replaced{}, invalid(fe)
	}
	if err != nil {
		return store.Replaced{}, err
	}
	s.log().Info("person replaced", "country", r.Country, "role", r.Role, "items", len(out.Items),
		"links_revoked", out.LinksRevoked, "by", r.By)
	return out, nil
}
