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
	// Effective is the day the change takes effect, YYYY-MM-DD, within the
	// biennium; empty means today. A day still to come (where the new
	// person is) schedules the change for that day.
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
	// Today is today where the new person is: the day they take over.
	today := s.now().In(mail.Zone(to.TimeZone))
	day := today
	if berr == nil {
		day, effective = cooperation.Effective("effective", r.Effective, b, today)
	}
	if err := invalid(append(errs, effective)...); err != nil {
		return store.Replaced{}, err
	}
	change := store.Replacement{Biennium: r.Biennium, Country: r.Country, Role: r.Role, From: r.From,
		To: to, Effective: day, Reference: r.Reference, By: r.By, Now: s.now()}
	var out store.Replaced
	var err error
	if day.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)) {
		var sr store.ScheduledReplacement
		sr, err = s.Store.ScheduleReplacement(ctx, change, mail.HandoverMail(s.BaseURL))
		out = store.Replaced{Scheduled: &sr}
		out.From.Email, out.To.Email, out.To.Name, out.To.Language = sr.From, sr.To.Email, sr.To.Name, sr.To.Language
	} else {
		out, err = s.Store.Replace(ctx, change, mail.HandoverMail(s.BaseURL))
	}
	var fe *cooperation.FieldError
	if errors.As(err, &fe) {
		return store.Replaced{}, invalid(fe)
	}
	if err != nil {
		return store.Replaced{}, err
	}
	if out.Scheduled != nil {
		s.log().Info("replacement scheduled", "id", out.Scheduled.ID, "country", r.Country, "role", r.Role,
			"effective", day.Format(time.DateOnly), "by", r.By)
		return out, nil
	}
	s.log().Info("person replaced", "country", r.Country, "role", r.Role, "items", len(out.Items),
		"links_revoked", out.LinksRevoked, "by", r.By)
	return out, nil
}

// CancelReplacement cancels a replacement scheduled for a day still to
// come; one already made, failed or cancelled is Refused (not_scheduled).
func (s *Service) CancelReplacement(ctx context.Context, id int64, by string) (store.ScheduledReplacement, error) {
	if err := invalid(cooperation.Line("by", by, cooperation.MaxEmail, true)); err != nil {
		return store.ScheduledReplacement{}, err
	}
	sr, err := s.Store.CancelReplacement(ctx, id, by, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return store.ScheduledReplacement{}, &Refused{Reason: "not_scheduled",
			Detail: fmt.Sprintf("no replacement %d is waiting for its day (made, failed or cancelled already)", id)}
	}
	return sr, err
}

// ApplyDueReplacements makes the scheduled replacements whose day has
// come: what the worker's scheduler runs every minute. A replacement the
// rules now refuse is marked failed, with its reason, for the secretariat
// to see in the directory.
func (s *Service) ApplyDueReplacements(ctx context.Context) (int, error) {
	applied, failed, err := s.Store.ApplyDueReplacements(ctx, s.now(), mail.HandoverMail(s.BaseURL))
	for _, sr := range applied {
		s.log().Info("scheduled replacement made", "id", sr.ID, "country", sr.Country, "role", sr.Role, "to", sr.To.Email)
	}
	for _, sr := range failed {
		s.log().Warn("scheduled replacement refused on its day", "id", sr.ID, "country", sr.Country, "role", sr.Role,
			"reason", sr.Outcome)
	}
	return len(applied), err
}
