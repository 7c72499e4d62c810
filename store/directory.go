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

// The directory as the secretariat keeps it from the portal: countries,
// their focal points, the committee's seats and their delegates. Every
// change here is checked under the programme file's rules, audited with
// who made it, and refused, changing nothing, with a *cooperation.FieldError
// naming the field at fault. A programme import applies its file over
// these edits (the file wins for what it lists).

// DirectoryCountry is one country with its people in a biennium.
type DirectoryCountry struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Active      bool     `json:"active"`
	FocalPoints []Person `json:"focal_points"`
	// Seat is the country's committee seat, nil when it has none.
	Seat *Seat `json:"seat,omitempty"`
}

// Directory is what the portal's directory page shows.
type Directory struct {
	Biennium    string             `json:"biennium"`
	Countries   []DirectoryCountry `json:"countries"`
	Delegations []Delegation       `json:"delegations"`
	// Scheduled are the replacements waiting for their day, and those
	// refused on it lately.
	Scheduled []ScheduledReplacement `json:"scheduled"`
}

// Directory reads the countries, their focal points and seats (with their
// delegates on day), and the delegations not yet over.
func (s *Store) Directory(ctx context.Context, biennium string, day time.Time) (Directory, error) {
	d := Directory{Biennium: biennium}
	rows, err := s.db.Query(ctx, `SELECT code, name, active FROM country ORDER BY code`)
	if err != nil {
		return Directory{}, fmt.Errorf("read countries: %w", err)
	}
	d.Countries, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (DirectoryCountry, error) {
		var c DirectoryCountry
		err := row.Scan(&c.Code, &c.Name, &c.Active)
		return c, err
	})
	if err != nil {
		return Directory{}, fmt.Errorf("read countries: %w", err)
	}
	fps, err := collectByName[struct {
		Country string `db:"fp_country"`
		Person
	}](ctx, s, `SELECT f.country AS fp_country, `+personCols+` FROM focal_point f JOIN person p USING (email)
		WHERE f.biennium = $1 ORDER BY f.country, p.email`, biennium)
	if err != nil {
		return Directory{}, fmt.Errorf("read focal points: %w", err)
	}
	seats, err := s.CommitteeSeats(ctx, biennium, day)
	if err != nil {
		return Directory{}, err
	}
	byCode := map[string]*DirectoryCountry{}
	for i := range d.Countries {
		byCode[d.Countries[i].Code] = &d.Countries[i]
	}
	for _, fp := range fps {
		if c := byCode[fp.Country]; c != nil {
			c.FocalPoints = append(c.FocalPoints, fp.Person)
		}
	}
	for i := range seats {
		if c := byCode[seats[i].Country]; c != nil {
			c.Seat = &seats[i]
		}
	}
	if d.Delegations, err = s.Delegations(ctx, day); err != nil {
		return Directory{}, err
	}
	d.Scheduled, err = s.scheduledToShow(ctx, biennium, day)
	return d, err
}

// AddCountry adds a country to the directory.
func (s *Store) AddCountry(ctx context.Context, code, name, by string) error {
	return s.InTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `INSERT INTO country (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, code, name)
		if err != nil {
			return fmt.Errorf("add country %s: %w", code, err)
		}
		if tag.RowsAffected() == 0 {
			return fieldErr("code", cooperation.ErrExists, "%s is in the directory already", code)
		}
		return tx.Audit(ctx, "", by, "country/"+code, "country_created", map[string]any{"name": name})
	})
}

// RenameCountry changes a country's name.
func (s *Store) RenameCountry(ctx context.Context, code, name, by string) error {
	return s.InTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `UPDATE country SET name = $2 WHERE code = $1`, code, name)
		if err != nil {
			return fmt.Errorf("rename country %s: %w", code, err)
		}
		if tag.RowsAffected() == 0 {
			return fieldErr("country", cooperation.ErrUnknown, "%s is not a country of the directory", code)
		}
		return tx.Audit(ctx, "", by, "country/"+code, "country_renamed", map[string]any{"name": name})
	})
}

// SetCountryActive deactivates a country (or makes it active again). A
// country with report tasks still waiting for a report, or votes its seat
// still has to cast, is not deactivated: the refusal lists them, to be
// waived, handed to another focal point or decided first.
func (s *Store) SetCountryActive(ctx context.Context, code string, active bool, by string, now time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		var was bool
		err := tx.db.QueryRow(ctx, `SELECT active FROM country WHERE code = $1 FOR UPDATE`, code).Scan(&was)
		if errors.Is(err, pgx.ErrNoRows) {
			return fieldErr("country", cooperation.ErrUnknown, "%s is not a country of the directory", code)
		} else if err != nil {
			return fmt.Errorf("load country %s: %w", code, err)
		}
		if was == active {
			return nil
		}
		if !active {
			open, err := tx.OpenItemsOfCountry(ctx, code, now)
			if err != nil {
				return err
			}
			if len(open) > 0 {
				return fieldErr("country", cooperation.ErrOpenTasks,
					"%s has %d open items (%s): waive or close them, or hand them to another person, first",
					code, len(open), strings.Join(open, ", "))
			}
		}
		if _, err := tx.db.Exec(ctx, `UPDATE country SET active = $2 WHERE code = $1`, code, active); err != nil {
			return fmt.Errorf("change country %s: %w", code, err)
		}
		action := "country_activated"
		if !active {
			action = "country_deactivated"
		}
		return tx.Audit(ctx, "", by, "country/"+code, action, nil)
	})
}

// OpenItemsOfCountry lists the country's report tasks that still take a
// report, in every biennium, and the undecided votes of its seats.
func (s *Store) OpenItemsOfCountry(ctx context.Context, code string, now time.Time) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT biennium FROM programme ORDER BY biennium`)
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	bienniums, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	var out []string
	for _, b := range bienniums {
		tasks, err := s.openTasksOf(ctx, b, code)
		if err != nil {
			return nil, err
		}
		votes, err := s.openVotesOf(ctx, b, code, now)
		if err != nil {
			return nil, err
		}
		for _, it := range append(tasks, votes...) {
			out = append(out, it.Subject)
		}
	}
	return out, nil
}

// AddFocalPoint makes p a focal point of country in biennium: they get a
// handover of the country's open report tasks, with a link to each.
func (s *Store) AddFocalPoint(ctx context.Context, biennium, country string, p cooperation.PersonFields, by string,
	now time.Time, compose HandoverMailFunc) (Person, error) {
	var out Person
	err := s.InTx(ctx, func(tx *Store) error {
		if err := tx.checkCountry(ctx, biennium, country); err != nil {
			return err
		}
		if err := tx.checkOtherRoles(ctx, biennium, country, cooperation.RoleFocalPoint, p.Email); err != nil {
			return err
		}
		var err error
		if out, err = tx.putPerson(ctx, p, country, by); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO focal_point (biennium, country, email, since) VALUES ($1, $2, $3, $4)`,
			biennium, country, p.Email, civilDate(now.UTC())); err != nil {
			return fmt.Errorf("add focal point %s of %s: %w", p.Email, country, err)
		}
		if err := tx.Audit(ctx, "", by, "country/"+country, "focal_point_added",
			map[string]any{"biennium": biennium, "email": p.Email}); err != nil {
			return err
		}
		return tx.handOverRole(ctx, biennium, country, cooperation.RoleFocalPoint, out, now, compose)
	})
	return out, err
}

// handOverRole sends whoever took up a role of country the open items it
// answers, with a link each.
func (s *Store) handOverRole(ctx context.Context, biennium, country, role string, to Person, now time.Time, compose HandoverMailFunc) error {
	var items []HandoverItem
	var err error
	if role == cooperation.RoleFocalPoint {
		items, err = s.openTasksOf(ctx, biennium, country)
	} else {
		items, err = s.openVotesOf(ctx, biennium, country, now)
	}
	if err != nil || compose == nil {
		return err
	}
	h := Handover{DedupKey: fmt.Sprintf("handover/%s/%s/%s/%s/added/%d", role, biennium, country, to.Email, now.Unix()),
		To: to, Role: role, Biennium: biennium, Country: country, Effective: civilDate(now.UTC()), Items: items}
	_, err = s.writeHandover(ctx, h, compose)
	return err
}

// RemoveFocalPoint takes email off country's focal points; their links to
// the country's open tasks stop working. The last focal point of a country
// with open tasks is not removed (replace them instead): the refusal lists
// the tasks.
func (s *Store) RemoveFocalPoint(ctx context.Context, biennium, country, email, by string) error {
	return s.InTx(ctx, func(tx *Store) error {
		holders, err := tx.roleHolders(ctx, biennium, country, cooperation.RoleFocalPoint)
		if err != nil {
			return err
		}
		if !slices.Contains(holders, email) {
			return fieldErr("email", cooperation.ErrUnknown, "%s is not a focal point of %s", email, country)
		}
		tasks, err := tx.openTasksOf(ctx, biennium, country)
		if err != nil {
			return err
		}
		if len(holders) == 1 && len(tasks) > 0 {
			return fieldErr("email", cooperation.ErrOpenTasks, "%s is the only focal point of %s, which has %d open tasks (%s): replace them instead",
				email, country, len(tasks), subjectsOf(tasks))
		}
		if _, err := tx.db.Exec(ctx, `DELETE FROM focal_point WHERE biennium = $1 AND country = $2 AND email = $3`,
			biennium, country, email); err != nil {
			return fmt.Errorf("remove focal point %s of %s: %w", email, country, err)
		}
		n, err := tx.revokeItemLinks(ctx, tasks, email, RevokedBySecretariat)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, "", by, "country/"+country, "focal_point_removed",
			map[string]any{"biennium": biennium, "email": email, "links_revoked": n})
	})
}

// UpdatePerson changes a person's name, language and time zone.
func (s *Store) UpdatePerson(ctx context.Context, p cooperation.PersonFields, by string) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.PersonByEmail(ctx, p.Email); errors.Is(err, ErrNotFound) {
			return fieldErr("email", cooperation.ErrUnknown, "%s is not in the directory", p.Email)
		} else if err != nil {
			return err
		}
		_, err := tx.putPerson(ctx, p, "", by)
		return err
	})
}

// SeatFields are a committee seat as the directory's form gives it.
type SeatFields struct {
	Country            string
	Role               string
	TermStart, TermEnd time.Time
	Principal          cooperation.PersonFields
}

// AddSeat gives country a seat on biennium's committee with its principal
// delegate: one chair per committee, one seat per country, and a seat
// always has a principal.
func (s *Store) AddSeat(ctx context.Context, biennium string, f SeatFields, by string, now time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.checkCountry(ctx, biennium, f.Country); err != nil {
			return err
		}
		var seat, chair string
		err := tx.db.QueryRow(ctx, `SELECT COALESCE((SELECT country FROM committee_seat WHERE biennium = $1 AND country = $2), ''),
			COALESCE((SELECT country FROM committee_seat WHERE biennium = $1 AND role = 'chair'), '')`, biennium, f.Country).Scan(&seat, &chair)
		if err != nil {
			return fmt.Errorf("read the committee of %s: %w", biennium, err)
		}
		switch {
		case seat != "":
			return fieldErr("country", cooperation.ErrExists, "%s has a seat already", f.Country)
		case f.Role == string(cooperation.Chair) && chair != "":
			return fieldErr("role", cooperation.ErrOneChair, "the committee has a Chair already (%s)", chair)
		}
		if err := tx.checkOtherRoles(ctx, biennium, f.Country, cooperation.RolePrincipal, f.Principal.Email); err != nil {
			return err
		}
		p, err := tx.putPerson(ctx, f.Principal, f.Country, by)
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO committee_seat (biennium, country, role, term_start, term_end)
			VALUES ($1, $2, $3, $4, $5)`, biennium, f.Country, f.Role, nullDate(f.TermStart), nullDate(f.TermEnd)); err != nil {
			return fmt.Errorf("add seat %s: %w", f.Country, err)
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO seat_delegate (biennium, country, email, kind, since) VALUES ($1, $2, $3, 'principal', $4)`,
			biennium, f.Country, p.Email, civilDate(now.UTC())); err != nil {
			return fmt.Errorf("add seat %s: %w", f.Country, err)
		}
		return tx.Audit(ctx, "", by, "country/"+f.Country, "seat_created", map[string]any{"biennium": biennium,
			"role": f.Role, "principal": p.Email, "term_start": dateText(f.TermStart), "term_end": dateText(f.TermEnd)})
	})
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// RemoveSeat takes country's seat off the committee, with its delegates.
// A seat with votes still to cast in undecided rounds stays: the refusal
// lists them.
func (s *Store) RemoveSeat(ctx context.Context, biennium, country, by string, now time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		votes, err := tx.openVotesOf(ctx, biennium, country, now)
		if err != nil {
			return err
		}
		if len(votes) > 0 {
			return fieldErr("country", cooperation.ErrOpenTasks, "the seat of %s has %d open votes (%s): they are decided first",
				country, len(votes), subjectsOf(votes))
		}
		tag, err := tx.db.Exec(ctx, `DELETE FROM committee_seat WHERE biennium = $1 AND country = $2`, biennium, country)
		if err != nil {
			return fmt.Errorf("remove seat %s: %w", country, err)
		}
		if tag.RowsAffected() == 0 {
			return fieldErr("country", cooperation.ErrUnknown, "%s has no seat on the committee of %s", country, biennium)
		}
		return tx.Audit(ctx, "", by, "country/"+country, "seat_removed", map[string]any{"biennium": biennium})
	})
}

// AddAlternate gives country's seat an alternate delegate, who is handed
// the seat's open votes.
func (s *Store) AddAlternate(ctx context.Context, biennium, country string, p cooperation.PersonFields, by string,
	now time.Time, compose HandoverMailFunc) error {
	return s.InTx(ctx, func(tx *Store) error {
		if err := tx.checkCountry(ctx, biennium, country); err != nil {
			return err
		}
		if _, err := tx.roleHolders(ctx, biennium, country, cooperation.RoleAlternate); err != nil {
			return err
		}
		if err := tx.checkOtherRoles(ctx, biennium, country, cooperation.RoleAlternate, p.Email); err != nil {
			return err
		}
		person, err := tx.putPerson(ctx, p, country, by)
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO seat_delegate (biennium, country, email, kind, since) VALUES ($1, $2, $3, 'alternate', $4)`,
			biennium, country, p.Email, civilDate(now.UTC())); err != nil {
			return fmt.Errorf("add alternate %s of %s: %w", p.Email, country, err)
		}
		if err := tx.Audit(ctx, "", by, "country/"+country, "alternate_added",
			map[string]any{"biennium": biennium, "email": p.Email}); err != nil {
			return err
		}
		return tx.handOverRole(ctx, biennium, country, cooperation.RoleAlternate, person, now, compose)
	})
}

// RemoveDelegate takes an alternate off country's seat; their links to the
// seat's open votes stop working. A principal is replaced, never removed:
// a seat is not left without one.
func (s *Store) RemoveDelegate(ctx context.Context, biennium, country, email, by string, now time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		var kind string
		err := tx.db.QueryRow(ctx, `SELECT kind FROM seat_delegate WHERE biennium = $1 AND country = $2 AND email = $3`,
			biennium, country, email).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return fieldErr("email", cooperation.ErrUnknown, "%s is not a delegate of the seat of %s", email, country)
		} else if err != nil {
			return fmt.Errorf("load delegate %s: %w", email, err)
		}
		if kind == cooperation.RolePrincipal {
			return fieldErr("email", cooperation.ErrNoPrincipal, "%s is the seat's principal: a seat keeps one, so replace them instead", email)
		}
		votes, err := tx.openVotesOf(ctx, biennium, country, now)
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `DELETE FROM seat_delegate WHERE biennium = $1 AND country = $2 AND email = $3`,
			biennium, country, email); err != nil {
			return fmt.Errorf("remove alternate %s of %s: %w", email, country, err)
		}
		n, err := tx.revokeItemLinks(ctx, votes, email, RevokedBySecretariat)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, "", by, "country/"+country, "alternate_removed",
			map[string]any{"biennium": biennium, "email": email, "links_revoked": n})
	})
}
