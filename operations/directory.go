package operations

import (
	"context"
	"errors"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// The directory's changes, as the portal's directory page (and any front
// door) asks for them: each checks its input under the programme file's
// rules, and the store refuses what the directory's state refuses (one
// chair, a seat without a principal, a country with open items...), naming
// the field. Every refusal is Invalid and changes nothing.

// directoryErr turns a store refusal into an Invalid naming its field.
func directoryErr(err error) error {
	var fe *cooperation.FieldError
	if errors.As(err, &fe) {
		return invalid(fe)
	}
	return err
}

func byField(by string) error { return cooperation.Line("by", by, cooperation.MaxEmail, true) }

// AddCountry adds a country to the directory.
func (s *Service) AddCountry(ctx context.Context, code, name, by string) error {
	name = strings.TrimSpace(name)
	if err := invalid(cooperation.CountryCode("code", code), cooperation.Line("name", name, cooperation.MaxName, true), byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.AddCountry(ctx, code, name, by))
}

// RenameCountry changes a country's name.
func (s *Service) RenameCountry(ctx context.Context, code, name, by string) error {
	name = strings.TrimSpace(name)
	if err := invalid(cooperation.CountryCode("country", code), cooperation.Line("name", name, cooperation.MaxName, true), byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.RenameCountry(ctx, code, name, by))
}

// SetCountryActive deactivates a country, or makes it active again; a
// country with open report tasks or votes is not deactivated (the refusal
// lists them).
func (s *Service) SetCountryActive(ctx context.Context, code string, active bool, by string) error {
	if err := invalid(cooperation.CountryCode("country", code), byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.SetCountryActive(ctx, code, active, by, s.now()))
}

// checkPerson checks a person's fields and the biennium and country they
// are given a role in.
func checkPerson(biennium, country string, p cooperation.PersonFields, by string) error {
	_, berr := cooperation.ParseBiennium("biennium", biennium)
	return invalid(append(p.Check(), berr, cooperation.CountryCode("country", country), byField(by))...)
}

// AddFocalPoint makes a person a focal point of a country; they are sent
// the country's open report tasks, with a link each.
func (s *Service) AddFocalPoint(ctx context.Context, biennium, country string, p cooperation.PersonFields, by string) error {
	p = p.Normalized()
	if err := checkPerson(biennium, country, p, by); err != nil {
		return err
	}
	_, err := s.Store.AddFocalPoint(ctx, biennium, country, p, by, s.now(), mail.HandoverMail(s.BaseURL))
	return directoryErr(err)
}

// RemoveFocalPoint takes a person off a country's focal points; the last
// focal point of a country with open tasks is replaced instead.
func (s *Service) RemoveFocalPoint(ctx context.Context, biennium, country, email, by string) error {
	_, berr := cooperation.ParseBiennium("biennium", biennium)
	if err := invalid(berr, cooperation.CountryCode("country", country), cooperation.PersonEmail("email", email), byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.RemoveFocalPoint(ctx, biennium, country, email, by))
}

// UpdatePerson changes a person's name, language and time zone.
func (s *Service) UpdatePerson(ctx context.Context, p cooperation.PersonFields, by string) error {
	p = p.Normalized()
	if err := invalid(append(p.Check(), byField(by))...); err != nil {
		return err
	}
	return directoryErr(s.Store.UpdatePerson(ctx, p, by))
}

// SeatRequest is a committee seat to add: its country, role, term
// (YYYY-MM-DD, optional) and principal delegate.
type SeatRequest struct {
	Biennium, Country, Role string
	TermStart, TermEnd      string
	Principal               cooperation.PersonFields
	By                      string
}

// AddSeat gives a country a seat on the committee, with its principal.
func (s *Service) AddSeat(ctx context.Context, r SeatRequest) error {
	r.Principal = r.Principal.Normalized()
	errs := []error{checkPerson(r.Biennium, r.Country, r.Principal, r.By),
		cooperation.OneOf("role", r.Role, string(cooperation.Chair), string(cooperation.Member))}
	f := store.SeatFields{Country: r.Country, Role: r.Role, Principal: r.Principal}
	var err error
	if r.TermStart != "" {
		f.TermStart, err = cooperation.Day("term_start", r.TermStart)
		errs = append(errs, err)
	}
	if r.TermEnd != "" {
		f.TermEnd, err = cooperation.Day("term_end", r.TermEnd)
		errs = append(errs, err)
		if !f.TermStart.IsZero() && !f.TermEnd.IsZero() && f.TermEnd.Before(f.TermStart) {
			errs = append(errs, &cooperation.FieldError{Field: "term_end", Key: cooperation.ErrOrder, Detail: "before term_start"})
		}
	}
	if err := invalidAll(errs); err != nil {
		return err
	}
	return directoryErr(s.Store.AddSeat(ctx, r.Biennium, f, r.By, s.now()))
}

// invalidAll is invalid over errors some of which are Invalid already.
func invalidAll(errs []error) error {
	var flat []error
	for _, err := range errs {
		var inv *Invalid
		if errors.As(err, &inv) {
			for _, f := range inv.Fields {
				flat = append(flat, f)
			}
			continue
		}
		flat = append(flat, err)
	}
	return invalid(flat...)
}

// RemoveSeat takes a country's seat off the committee; a seat with open
// votes stays.
func (s *Service) RemoveSeat(ctx context.Context, biennium, country, by string) error {
	_, berr := cooperation.ParseBiennium("biennium", biennium)
	if err := invalid(berr, cooperation.CountryCode("country", country), byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.RemoveSeat(ctx, biennium, country, by, s.now()))
}

// AddAlternate gives a seat an alternate delegate, who is sent the seat's
// open votes.
func (s *Service) AddAlternate(ctx context.Context, biennium, country string, p cooperation.PersonFields, by string) error {
	p = p.Normalized()
	if err := checkPerson(biennium, country, p, by); err != nil {
		return err
	}
	return directoryErr(s.Store.AddAlternate(ctx, biennium, country, p, by, s.now(), mail.HandoverMail(s.BaseURL)))
}

// RemoveDelegate takes an alternate off a seat; a principal is replaced.
func (s *Service) RemoveDelegate(ctx context.Context, biennium, country, email, by string) error {
	_, berr := cooperation.ParseBiennium("biennium", biennium)
	if err := invalid(berr, cooperation.CountryCode("country", country), cooperation.PersonEmail("email", email), byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.RemoveDelegate(ctx, biennium, country, email, by, s.now()))
}

// DelegationRequest names a delegate for a person away, from one day to
// another (YYYY-MM-DD), days of the person's own calendar: where they are,
// in their time zone.
type DelegationRequest struct {
	Person      string
	Delegate    cooperation.PersonFields
	From, Until string
	Reason      string
	By          string
}

// Delegate names a delegate for a person away: from the first day to the
// last, reminders and new tasks or votes go to the delegate with a copy to
// the person, either may answer, and the audit log says who did. The
// delegate is sent the person's open items at once, with a link each. It
// ends by itself after the last day.
func (s *Service) Delegate(ctx context.Context, r DelegationRequest) (store.Delegation, error) {
	r.Delegate = r.Delegate.Normalized()
	r.Person = strings.ToLower(strings.TrimSpace(r.Person))
	// The days are the person's: "today" is today where they are.
	today := s.now().UTC()
	if p, err := s.Store.PersonByEmail(ctx, r.Person); err == nil {
		today = s.now().In(mail.Zone(p.TimeZone))
	}
	from, until, rangeErrs := cooperation.DelegationRange(r.From, r.Until, today)
	errs := append(append(r.Delegate.Check(), rangeErrs...), cooperation.PersonEmail("person", r.Person),
		cooperation.Text("reason", r.Reason, cooperation.MaxReason, false), byField(r.By))
	if err := invalid(errs...); err != nil {
		return store.Delegation{}, err
	}
	d, err := s.Store.AddDelegation(ctx, store.NewDelegation{Person: r.Person, Delegate: r.Delegate, From: from, Until: until,
		Reason: r.Reason, By: r.By, Now: s.now()}, mail.HandoverMail(s.BaseURL))
	if err != nil {
		return store.Delegation{}, directoryErr(err)
	}
	s.log().Info("delegation named", "id", d.ID, "from", r.From, "until", r.Until, "by", r.By)
	return d, nil
}

// EndDelegation ends a delegation before its last day.
func (s *Service) EndDelegation(ctx context.Context, id int64, by string) error {
	if err := invalid(byField(by)); err != nil {
		return err
	}
	return directoryErr(s.Store.EndDelegation(ctx, id, by))
}
