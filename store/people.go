package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Person is someone the directory knows. ID is stable and opaque: it is
// what workflows carry, so that no address travels in a payload or sits in
// a workflow's history; the address, the name and the rest stay here.
type Person struct {
	ID       string `json:"id" db:"id"`
	Email    string `json:"email" db:"email"`
	Name     string `json:"name" db:"name"`
	Language string `json:"language" db:"language"`
	TimeZone string `json:"time_zone" db:"time_zone"`
	Country  string `json:"country,omitempty" db:"country"`
}

const personCols = `p.id, p.email, p.name, p.language, p.time_zone, COALESCE(p.country, '') AS country`

// PersonByEmail returns the person with this address, or ErrNotFound.
func (s *Store) PersonByEmail(ctx context.Context, email string) (Person, error) {
	return s.onePerson(ctx, `p.email = $1`, email)
}

// PersonByID returns the person with this ID, or ErrNotFound.
func (s *Store) PersonByID(ctx context.Context, id string) (Person, error) {
	return s.onePerson(ctx, `p.id = $1`, id)
}

func (s *Store) onePerson(ctx context.Context, cond, arg string) (Person, error) {
	rows, err := s.db.Query(ctx, `SELECT `+personCols+` FROM person p WHERE `+cond, arg)
	if err != nil {
		return Person{}, fmt.Errorf("load person %s: %w", arg, err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Person])
	if err != nil {
		return Person{}, fmt.Errorf("load person %s: %w", arg, notFound(err))
	}
	return p, nil
}

// PeopleByID returns the people with these IDs, by ID; unknown IDs are
// left out.
func (s *Store) PeopleByID(ctx context.Context, ids []string) (map[string]Person, error) {
	out := map[string]Person{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `SELECT `+personCols+` FROM person p WHERE p.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("load %d people: %w", len(ids), err)
	}
	people, err := pgx.CollectRows(rows, pgx.RowToStructByName[Person])
	if err != nil {
		return nil, fmt.Errorf("load %d people: %w", len(ids), err)
	}
	for _, p := range people {
		out[p.ID] = p
	}
	return out, nil
}

// ActorEmail is who an audit line names for actor: the address of the
// person whose ID a workflow carried, or actor itself when it is no ID (an
// address sent by a client of the released payloads, "system", a name).
func (s *Store) ActorEmail(ctx context.Context, actor string) (string, error) {
	if !cooperation.IsPersonID(actor) {
		return actor, nil
	}
	p, err := s.PersonByID(ctx, actor)
	if err != nil {
		return "", err
	}
	return p.Email, nil
}

// PersonRef is what a workflow payload says for who acted: the person's ID
// when the address is in the directory, else the text as given (a name, or
// "secretariat"). It never returns an address it does not know: an unknown
// address is ErrNotFound, so that no address is sent to a workflow.
func (s *Store) PersonRef(ctx context.Context, who string) (string, error) {
	if !strings.Contains(who, "@") {
		return who, nil
	}
	p, err := s.PersonByEmail(ctx, strings.ToLower(strings.TrimSpace(who)))
	if err != nil {
		return "", fmt.Errorf("%s: %w (not in the directory)", who, err)
	}
	return p.ID, nil
}
