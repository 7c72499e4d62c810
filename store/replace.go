package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Replacement is one person replaced by another in a country's role: its
// focal point, or its seat's principal or an alternate.
type Replacement struct {
	Biennium string
	Country  string
	// Role is cooperation.RoleFocalPoint, RolePrincipal or RoleAlternate.
	Role string
	// From is the address of whom To replaces; it may be left empty when
	// the country has one person in the role.
	From      string
	To        cooperation.PersonFields
	Effective time.Time
	// Reference is kept in the audit log: the note verbale that announced
	// the change, say.
	Reference string
	By        string
	Now       time.Time
}

// Replaced is what a replacement did.
type Replaced struct {
	From  Person         `json:"from"`
	To    Person         `json:"to"`
	Items []HandoverItem `json:"items"`
	// LinksRevoked counts the links of From's that stopped working.
	LinksRevoked int64 `json:"links_revoked"`
	// Scheduled is the change kept for its effective day, when that day
	// is still to come; nothing else has happened yet.
	Scheduled *ScheduledReplacement `json:"scheduled,omitempty"`
}

func fieldErr(field, key, format string, args ...any) error {
	return &cooperation.FieldError{Field: field, Key: key, Detail: fmt.Sprintf(format, args...)}
}

// Replace makes To hold From's role in one transaction: To is written to
// the directory (or updated there), takes From's place, and each open item
// of the role (the country's report tasks still taking a report in open
// cycles, for a focal point; the seat's votes of undecided rounds, for a
// delegate) is re-addressed: From's links to it stop working (revoked,
// cause "replaced"), and To is sent one message, in To's language, with a
// fresh link to each. Votes and reports already in stay as they are, with
// who gave them. The audit log keeps the replacement, with its reference,
// on the country and on each item. A refusal is a *cooperation.FieldError
// naming the field at fault and changes nothing.
func (s *Store) Replace(ctx context.Context, r Replacement, compose HandoverMailFunc) (Replaced, error) {
	var out Replaced
	err := s.InTx(ctx, func(tx *Store) error {
		var err error
		out, err = tx.replace(ctx, r, compose)
		return err
	})
	if err != nil {
		return Replaced{}, err
	}
	return out, nil
}

func (s *Store) replace(ctx context.Context, r Replacement, compose HandoverMailFunc) (Replaced, error) {
	to := r.To.Normalized()
	if err := s.checkCountry(ctx, r.Biennium, r.Country); err != nil {
		return Replaced{}, err
	}
	holders, err := s.roleHolders(ctx, r.Biennium, r.Country, r.Role)
	if err != nil {
		return Replaced{}, err
	}
	from, err := pickReplaced(r, holders)
	if err != nil {
		return Replaced{}, err
	}
	if from == to.Email {
		return Replaced{}, fieldErr("email", cooperation.ErrSamePerson,
			"%s is the %s already: a replacement names someone else", to.Email, roleWords(r.Role, r.Country))
	}
	if err := s.checkOtherRoles(ctx, r.Biennium, r.Country, r.Role, to.Email); err != nil {
		return Replaced{}, err
	}
	old, err := s.PersonByEmail(ctx, from)
	if err != nil {
		return Replaced{}, err
	}
	person, err := s.putPerson(ctx, to, r.Country, r.By)
	if err != nil {
		return Replaced{}, err
	}
	if err := s.swapHolder(ctx, r, from, to.Email); err != nil {
		return Replaced{}, err
	}
	out := Replaced{From: old, To: person}
	if r.Role == cooperation.RoleFocalPoint {
		var tasks []HandoverItem
		if tasks, err = s.openTasksOf(ctx, r.Biennium, r.Country); err == nil {
			out.Items, err = s.focalPointItems(ctx, r.Biennium, r.Country, from, tasks, r.Now)
		}
	} else {
		out.Items, err = s.openVotesOf(ctx, r.Biennium, r.Country, r.Now)
	}
	if err != nil {
		return Replaced{}, err
	}
	if out.LinksRevoked, err = s.revokeItemLinks(ctx, out.Items, from, RevokedReplaced); err != nil {
		return Replaced{}, err
	}
	h := Handover{DedupKey: fmt.Sprintf("handover/%s/%s/%s/%s/from/%s", r.Role, r.Biennium, r.Country, person.Email, from),
		To: person, From: old, Role: r.Role, Biennium: r.Biennium, Country: r.Country, Effective: r.Effective, Items: out.Items}
	if _, err := s.writeHandover(ctx, h, compose); err != nil {
		return Replaced{}, err
	}
	return out, s.auditReplacement(ctx, r, out)
}

// roleWords names a role for a message: "focal point of AR".
func roleWords(role, country string) string {
	return strings.ReplaceAll(role, "_", " ") + " of " + country
}

// checkCountry refuses a country the programme does not know or the
// secretariat deactivated, and locks its row so that two changes to the
// same country's people run one after the other.
func (s *Store) checkCountry(ctx context.Context, biennium, country string) error {
	var active bool
	err := s.db.QueryRow(ctx, `SELECT active FROM country WHERE code = $1 FOR UPDATE`, country).Scan(&active)
	if errors.Is(err, pgx.ErrNoRows) {
		return fieldErr("country", cooperation.ErrUnknown, "%s is not a country of the directory", country)
	} else if err != nil {
		return fmt.Errorf("load country %s: %w", country, err)
	}
	if !active {
		return fieldErr("country", cooperation.ErrNotActive, "%s is deactivated", country)
	}
	if _, err := s.GetProgramme(ctx, biennium); err != nil {
		if errors.Is(err, ErrNotFound) {
			return fieldErr("biennium", cooperation.ErrUnknown, "no programme %s is imported", biennium)
		}
		return err
	}
	return nil
}

// roleHolders lists the addresses holding role for country in biennium.
func (s *Store) roleHolders(ctx context.Context, biennium, country, role string) ([]string, error) {
	var sql string
	switch role {
	case cooperation.RoleFocalPoint:
		sql = `SELECT email FROM focal_point WHERE biennium = $1 AND country = $2 AND $3 <> '' ORDER BY email`
	case cooperation.RolePrincipal, cooperation.RoleAlternate:
		var seat bool
		if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM committee_seat WHERE biennium = $1 AND country = $2)`,
			biennium, country).Scan(&seat); err != nil {
			return nil, fmt.Errorf("load seat %s: %w", country, err)
		}
		if !seat {
			return nil, fieldErr("country", cooperation.ErrUnknown, "%s has no seat on the committee of %s", country, biennium)
		}
		sql = `SELECT email FROM seat_delegate WHERE biennium = $1 AND country = $2 AND kind = $3 ORDER BY email`
	default:
		return nil, fmt.Errorf("replace: unknown role %q", role)
	}
	rows, err := s.db.Query(ctx, sql, biennium, country, role)
	if err != nil {
		return nil, fmt.Errorf("load the %s: %w", roleWords(role, country), err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func pickReplaced(r Replacement, holders []string) (string, error) {
	from := strings.ToLower(strings.TrimSpace(r.From))
	switch {
	case from != "" && !slices.Contains(holders, from):
		return "", fieldErr("from", cooperation.ErrUnknown, "%s is not a %s (the %s: %s)", from,
			roleWords(r.Role, r.Country), plural(r.Role), orNone(holders))
	case from != "":
		return from, nil
	case len(holders) == 0:
		return "", fieldErr("country", cooperation.ErrUnknown, "%s has no %s to replace; add one in the directory",
			r.Country, strings.ReplaceAll(r.Role, "_", " "))
	case len(holders) > 1:
		return "", fieldErr("from", cooperation.ErrRequired, "%s has %d %s (%s): name the one replaced",
			r.Country, len(holders), plural(r.Role), strings.Join(holders, ", "))
	}
	return holders[0], nil
}

func plural(role string) string { return strings.ReplaceAll(role, "_", " ") + "s" }

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// checkOtherRoles refuses an address that may not take the role: a
// secretariat user (who speaks for no country), someone who speaks for
// another country in this biennium, or someone who already holds this role
// for the country. An alternate may become the seat's principal.
func (s *Store) checkOtherRoles(ctx context.Context, biennium, country, role, email string) error {
	var secretariat bool
	var fpOf, seatOf, kind string
	err := s.db.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM secretariat_user WHERE email = $2),
			COALESCE((SELECT string_agg(country, ', ' ORDER BY country) FROM focal_point WHERE biennium = $1 AND email = $2), ''),
			COALESCE((SELECT country FROM seat_delegate WHERE biennium = $1 AND email = $2), ''),
			COALESCE((SELECT kind FROM seat_delegate WHERE biennium = $1 AND email = $2), '')`,
		biennium, email).Scan(&secretariat, &fpOf, &seatOf, &kind)
	if err != nil {
		return fmt.Errorf("check the roles of %s: %w", email, err)
	}
	other := func(what string) error {
		return fieldErr("email", cooperation.ErrOtherRole, "%s is %s; a person speaks for one country", email, what)
	}
	switch {
	case secretariat:
		return fieldErr("email", cooperation.ErrOtherRole, "%s is a secretariat user, who speaks for no country", email)
	case fpOf != "" && fpOf != country:
		return other("the focal point of " + fpOf)
	case seatOf != "" && seatOf != country:
		return other("on the committee for " + seatOf)
	case role == cooperation.RoleFocalPoint && fpOf == country:
		return fieldErr("email", cooperation.ErrSamePerson, "%s is a focal point of %s already", email, country)
	case role == cooperation.RolePrincipal && kind == cooperation.RolePrincipal,
		role == cooperation.RoleAlternate && kind != "":
		return fieldErr("email", cooperation.ErrSamePerson, "%s is the seat's %s already", email, kind)
	}
	return nil
}

// putPerson writes p to the directory, or updates the name, language and
// time zone it has there, and returns it as stored.
func (s *Store) putPerson(ctx context.Context, p cooperation.PersonFields, country, by string) (Person, error) {
	var out Person
	var inserted, changed bool
	err := s.db.QueryRow(ctx, `WITH before AS (SELECT name, language, time_zone FROM person WHERE email = $1)
		INSERT INTO person (email, name, language, time_zone, country) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, language = EXCLUDED.language,
			time_zone = EXCLUDED.time_zone, country = COALESCE(person.country, EXCLUDED.country)
		RETURNING id, email, name, language, time_zone, COALESCE(country, ''), (xmax = 0),
			COALESCE((SELECT (b.name, b.language, b.time_zone) IS DISTINCT FROM ($2, $3, $4) FROM before b), false)`,
		p.Email, p.Name, p.Language, p.TimeZone, country).
		Scan(&out.ID, &out.Email, &out.Name, &out.Language, &out.TimeZone, &out.Country, &inserted, &changed)
	if err != nil {
		return Person{}, fmt.Errorf("write person %s: %w", p.Email, err)
	}
	if inserted || changed {
		action := "person_created"
		if !inserted {
			action = "person_updated"
		}
		if err := s.Audit(ctx, "", by, "person/"+p.Email, action,
			map[string]any{"name": p.Name, "language": p.Language, "time_zone": p.TimeZone}); err != nil {
			return Person{}, err
		}
	}
	return out, nil
}

// swapHolder puts to in from's place in the role.
func (s *Store) swapHolder(ctx context.Context, r Replacement, from, to string) error {
	var err error
	if r.Role == cooperation.RoleFocalPoint {
		if _, err = s.db.Exec(ctx, `DELETE FROM focal_point WHERE biennium = $1 AND country = $2 AND email = $3`,
			r.Biennium, r.Country, from); err == nil {
			_, err = s.db.Exec(ctx, `INSERT INTO focal_point (biennium, country, email, since) VALUES ($1, $2, $3, $4)`,
				r.Biennium, r.Country, to, r.Effective)
		}
	} else {
		// An alternate who becomes the principal leaves the alternates.
		if _, err = s.db.Exec(ctx, `DELETE FROM seat_delegate WHERE biennium = $1 AND country = $2 AND email = $3`,
			r.Biennium, r.Country, to); err == nil {
			_, err = s.db.Exec(ctx, `UPDATE seat_delegate SET email = $4, since = $5
				WHERE biennium = $1 AND country = $2 AND email = $3`, r.Biennium, r.Country, from, to, r.Effective)
		}
	}
	if err != nil {
		return fmt.Errorf("put %s in the place of %s as %s: %w", to, from, roleWords(r.Role, r.Country), err)
	}
	return nil
}

func (s *Store) auditReplacement(ctx context.Context, r Replacement, out Replaced) error {
	subjects := make([]string, len(out.Items))
	for i, it := range out.Items {
		subjects[i] = it.Subject
	}
	detail := map[string]any{"biennium": r.Biennium, "role": r.Role, "from": out.From.Email, "to": out.To.Email,
		"effective": r.Effective.Format(time.DateOnly), "reference": r.Reference, "items": subjects,
		"links_revoked": out.LinksRevoked}
	action := "focal_point_replaced"
	if r.Role != cooperation.RoleFocalPoint {
		action = "delegate_replaced"
	}
	if err := s.Audit(ctx, "", r.By, "country/"+r.Country, action, detail); err != nil {
		return err
	}
	for _, it := range out.Items {
		d := map[string]any{"role": r.Role, "country": r.Country, "from": out.From.Email, "to": out.To.Email,
			"effective": r.Effective.Format(time.DateOnly), "reference": r.Reference}
		if it.Round > 0 {
			d["round"] = it.Round
		}
		if err := s.Audit(ctx, "", r.By, it.Subject, "readdressed", d); err != nil {
			return err
		}
	}
	return nil
}
