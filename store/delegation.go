package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Delegation is a person away who named someone to act for them from
// StartsOn to EndsOn (UTC days): reminders and new tasks or votes go to the
// delegate with a copy to the person, and either may answer. It ends by
// itself after EndsOn, or earlier when ended (EndedAt).
type Delegation struct {
	ID           int64      `json:"id"`
	Person       string     `json:"person"`
	PersonName   string     `json:"person_name"`
	Delegate     string     `json:"delegate"`
	DelegateName string     `json:"delegate_name"`
	StartsOn     time.Time  `json:"starts_on"`
	EndsOn       time.Time  `json:"ends_on"`
	Reason       string     `json:"reason"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	EndedAt      *time.Time `json:"ended_at,omitempty"`
}

const delegationCols = `g.id, g.person, pp.name, g.delegate, pd.name, g.starts_on, g.ends_on, g.reason, g.created_by, g.created_at, g.ended_at`

func scanDelegation(row pgx.CollectableRow) (Delegation, error) {
	var d Delegation
	err := row.Scan(&d.ID, &d.Person, &d.PersonName, &d.Delegate, &d.DelegateName, &d.StartsOn, &d.EndsOn, &d.Reason,
		&d.CreatedBy, &d.CreatedAt, &d.EndedAt)
	return d, err
}

// delegationOnSQL holds when delegation g covers the instant at (an SQL
// timestamptz): its first and last days are the calendar days of the
// person away, in their own time zone, so that a delegation "until the
// 14th" runs to the end of the 14th where they are.
func delegationOnSQL(at string) string {
	return `(` + at + ` AT TIME ZONE (SELECT pz.time_zone FROM person pz WHERE pz.email = g.person))::date
		BETWEEN g.starts_on AND g.ends_on`
}

// Delegations lists the delegations not over on day (running or to come),
// by first day.
func (s *Store) Delegations(ctx context.Context, day time.Time) ([]Delegation, error) {
	rows, err := s.db.Query(ctx, `SELECT `+delegationCols+` FROM delegation g
		JOIN person pp ON pp.email = g.person JOIN person pd ON pd.email = g.delegate
		WHERE g.ended_at IS NULL AND g.ends_on >= ($1::timestamptz AT TIME ZONE pp.time_zone)::date
		ORDER BY g.starts_on, g.id`, day)
	if err != nil {
		return nil, fmt.Errorf("list delegations: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanDelegation)
	if err != nil {
		return nil, fmt.Errorf("list delegations: %w", err)
	}
	if out == nil {
		out = []Delegation{}
	}
	return out, nil
}

// NewDelegation is a delegation as the secretariat or the person away asks for it.
type NewDelegation struct {
	Person   string
	Delegate cooperation.PersonFields
	From     time.Time
	Until    time.Time
	Reason   string
	By       string
	Now      time.Time
}

// AddDelegation writes a delegation and hands the delegate the open items
// of the person away (their country's report tasks, their seat's votes),
// each with a link of their own; the person's links keep working. The
// delegate may be a new person of the directory. Refused: a person not in
// the directory or holding no role, a delegate who speaks for another
// country or is a secretariat user, and a range that overlaps another
// delegation of the person.
func (s *Store) AddDelegation(ctx context.Context, d NewDelegation, compose HandoverMailFunc) (Delegation, error) {
	var out Delegation
	err := s.InTx(ctx, func(tx *Store) error {
		person, err := tx.PersonByEmail(ctx, d.Person)
		if errors.Is(err, ErrNotFound) {
			return fieldErr("person", cooperation.ErrUnknown, "%s is not in the directory", d.Person)
		} else if err != nil {
			return err
		}
		if d.Delegate.Email == person.Email {
			return fieldErr("email", cooperation.ErrSamePerson, "%s cannot act for themselves", d.Person)
		}
		roles, err := tx.rolesOf(ctx, person.Email)
		if err != nil {
			return err
		}
		if len(roles) == 0 {
			return fieldErr("person", cooperation.ErrUnknown, "%s is no focal point or committee delegate", d.Person)
		}
		if err := tx.checkDelegate(ctx, roles, d.Delegate.Email); err != nil {
			return err
		}
		var overlap int64
		err = tx.db.QueryRow(ctx, `SELECT COALESCE((SELECT id FROM delegation WHERE person = $1 AND ended_at IS NULL
			AND starts_on <= $3::date AND ends_on >= $2::date LIMIT 1), 0)`, person.Email, d.From, d.Until).Scan(&overlap)
		if err != nil {
			return fmt.Errorf("check the delegations of %s: %w", person.Email, err)
		}
		if overlap != 0 {
			return fieldErr("from", cooperation.ErrOverlap, "%s has a delegation for these days already (number %d): end it first", person.Email, overlap)
		}
		country := person.Country
		if len(roles) > 0 {
			country = roles[0].country
		}
		delegate, err := tx.putPerson(ctx, d.Delegate, country, d.By)
		if err != nil {
			return err
		}
		err = tx.db.QueryRow(ctx, `INSERT INTO delegation (person, delegate, starts_on, ends_on, reason, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`, person.Email, delegate.Email, d.From, d.Until, d.Reason, d.By).
			Scan(&out.ID, &out.CreatedAt)
		if err != nil {
			return fmt.Errorf("write the delegation of %s: %w", person.Email, err)
		}
		out = Delegation{ID: out.ID, Person: person.Email, PersonName: person.Name, Delegate: delegate.Email,
			DelegateName: delegate.Name, StartsOn: d.From, EndsOn: d.Until, Reason: d.Reason, CreatedBy: d.By, CreatedAt: out.CreatedAt}
		if err := tx.Audit(ctx, "", d.By, "person/"+person.Email, "delegation_created", map[string]any{"id": out.ID,
			"delegate": delegate.Email, "from": d.From.Format(time.DateOnly), "until": d.Until.Format(time.DateOnly),
			"reason": d.Reason}); err != nil {
			return err
		}
		var items []HandoverItem
		for _, r := range roles {
			var more []HandoverItem
			if r.role == cooperation.RoleFocalPoint {
				more, err = tx.openTasksOf(ctx, r.biennium, r.country)
			} else {
				more, err = tx.openVotesOf(ctx, r.biennium, r.country, d.Now)
			}
			if err != nil {
				return err
			}
			items = append(items, more...)
		}
		if compose == nil {
			return nil
		}
		_, err = tx.writeHandover(ctx, Handover{DedupKey: fmt.Sprintf("handover/delegation/%d", out.ID), To: delegate,
			From: person, Role: cooperation.RoleDelegate, Country: country, Effective: d.From, Until: d.Until, Items: items}, compose)
		return err
	})
	return out, err
}

// EndDelegation ends a delegation before its last day.
func (s *Store) EndDelegation(ctx context.Context, id int64, by string) error {
	return s.InTx(ctx, func(tx *Store) error {
		var person string
		err := tx.db.QueryRow(ctx, `UPDATE delegation SET ended_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING person`, id).Scan(&person)
		if errors.Is(err, pgx.ErrNoRows) {
			return fieldErr("id", cooperation.ErrUnknown, "no running delegation number %d", id)
		} else if err != nil {
			return fmt.Errorf("end delegation %d: %w", id, err)
		}
		return tx.Audit(ctx, "", by, "person/"+person, "delegation_ended", map[string]any{"id": id})
	})
}

// heldRole is a role a person holds in a biennium.
type heldRole struct{ biennium, country, role string }

// rolesOf lists the roles a person holds: focal point of a country, or a
// seat's principal or alternate.
func (s *Store) rolesOf(ctx context.Context, email string) ([]heldRole, error) {
	rows, err := s.db.Query(ctx, `SELECT biennium, country, 'focal_point' FROM focal_point WHERE email = $1
		UNION ALL SELECT biennium, country, kind FROM seat_delegate WHERE email = $1 ORDER BY 1 DESC, 3, 2`, email)
	if err != nil {
		return nil, fmt.Errorf("list the roles of %s: %w", email, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (heldRole, error) {
		var r heldRole
		err := row.Scan(&r.biennium, &r.country, &r.role)
		return r, err
	})
}

// checkDelegate refuses, as the delegate of someone holding roles, a
// secretariat user or someone who speaks for another country.
func (s *Store) checkDelegate(ctx context.Context, roles []heldRole, email string) error {
	for _, r := range roles {
		var secretariat bool
		var fpOf, seatOf string
		err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM secretariat_user WHERE email = $2),
			COALESCE((SELECT string_agg(country, ', ') FROM focal_point WHERE biennium = $1 AND email = $2 AND country <> $3), ''),
			COALESCE((SELECT country FROM seat_delegate WHERE biennium = $1 AND email = $2 AND country <> $3), '')`,
			r.biennium, email, r.country).Scan(&secretariat, &fpOf, &seatOf)
		if err != nil {
			return fmt.Errorf("check the roles of %s: %w", email, err)
		}
		switch {
		case secretariat:
			return fieldErr("email", cooperation.ErrOtherRole, "%s is a secretariat user, who speaks for no country", email)
		case fpOf != "":
			return fieldErr("email", cooperation.ErrOtherRole, "%s is the focal point of %s; a person speaks for one country", email, fpOf)
		case seatOf != "":
			return fieldErr("email", cooperation.ErrOtherRole, "%s is on the committee for %s; a person speaks for one country", email, seatOf)
		}
	}
	return nil
}
