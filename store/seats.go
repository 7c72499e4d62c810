package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Seat is a country's seat on a biennium's Executive Committee, with who
// speaks for it: its principal first, then its alternates, then (where
// loaded with a day) whoever they named while away.
type Seat struct {
	Biennium  string  `json:"biennium"`
	Country   string  `json:"country"`
	Role      string  `json:"role"`
	TermStart string  `json:"term_start,omitempty"`
	TermEnd   string  `json:"term_end,omitempty"`
	Voters    []Voter `json:"voters"`
}

// Voter is a person who may cast a seat's vote.
type Voter struct {
	Person
	// Kind is cooperation.RolePrincipal, RoleAlternate or RoleDelegate.
	Kind string `json:"kind"`
	// For is, for a delegate, the address of the person they act for.
	For string `json:"for,omitempty"`
}

// Principal is the seat's principal delegate; ok is false for a seat left
// without one.
func (s Seat) Principal() (Voter, bool) {
	for _, v := range s.Voters {
		if v.Kind == cooperation.RolePrincipal {
			return v, true
		}
	}
	return Voter{}, false
}

// RoundSeat is one seat on a review round's roster, with who may cast its
// vote now.
type RoundSeat struct {
	Country string  `json:"country"`
	Role    string  `json:"role"`
	Recused bool    `json:"recused"`
	Voters  []Voter `json:"voters"`
}

// Voter returns the seat's voter with this address.
func (s RoundSeat) Voter(email string) (Voter, bool) {
	for _, v := range s.Voters {
		if v.Email == email {
			return v, true
		}
	}
	return Voter{}, false
}

// votersSQL lists who may cast each seat's vote at instant $2: its
// principal and alternates, and whoever any of them named for a delegation
// covering it; seats of biennium $1 whose country is in $3 (all when NULL).
var votersSQL = `SELECT v.country, v.kind, v.for_email, ` + personCols + `
FROM (SELECT d.biennium, d.country, d.email, d.kind, '' AS for_email,
		CASE d.kind WHEN 'principal' THEN 0 ELSE 1 END AS ord
	FROM seat_delegate d
	UNION ALL
	SELECT d.biennium, d.country, g.delegate, 'delegate', d.email, 2
	FROM seat_delegate d JOIN delegation g ON g.person = d.email
		AND g.ended_at IS NULL AND ` + delegationOnSQL("$2::timestamptz") + `) v
JOIN person p ON p.email = v.email
WHERE v.biennium = $1 AND ($3::text[] IS NULL OR v.country = ANY($3))
ORDER BY v.country, v.ord, p.email`

// seatVoters returns the voters of the seats, by country; a person is
// listed once per seat, under the first way they hold it.
func (s *Store) seatVoters(ctx context.Context, biennium string, day time.Time, countries []string) (map[string][]Voter, error) {
	rows, err := s.db.Query(ctx, votersSQL, biennium, day, countries)
	if err != nil {
		return nil, fmt.Errorf("load the committee's delegates of %s: %w", biennium, err)
	}
	out := map[string][]Voter{}
	seen := map[[2]string]bool{}
	var country string
	var v Voter
	_, err = pgx.ForEachRow(rows, []any{&country, &v.Kind, &v.For, &v.ID, &v.Email, &v.Name, &v.Language, &v.TimeZone, &v.Country}, func() error {
		if k := [2]string{country, v.Email}; !seen[k] {
			seen[k] = true
			out[country] = append(out[country], v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load the committee's delegates of %s: %w", biennium, err)
	}
	return out, nil
}

// CommitteeSeats returns the programme's committee as it is on day, Chair
// first, then by country, each seat with its voters that day.
func (s *Store) CommitteeSeats(ctx context.Context, biennium string, day time.Time) ([]Seat, error) {
	rows, err := s.db.Query(ctx, `SELECT biennium, country, role, COALESCE(to_char(term_start, 'YYYY-MM-DD'), ''),
			COALESCE(to_char(term_end, 'YYYY-MM-DD'), '')
		FROM committee_seat WHERE biennium = $1 ORDER BY role = 'chair' DESC, country`, biennium)
	if err != nil {
		return nil, fmt.Errorf("load committee of %s: %w", biennium, err)
	}
	seats, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Seat, error) {
		var st Seat
		err := row.Scan(&st.Biennium, &st.Country, &st.Role, &st.TermStart, &st.TermEnd)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("load committee of %s: %w", biennium, err)
	}
	voters, err := s.seatVoters(ctx, biennium, day, nil)
	if err != nil {
		return nil, err
	}
	for i := range seats {
		seats[i].Voters = voters[seats[i].Country]
	}
	return seats, nil
}

// RoundVoter finds the seat on round's roster whose vote email may cast on
// day (seat, when given; else the one they hold before one they act for as
// a delegate), and how they hold it: ErrNotFound when they may cast none.
func (s *Store) RoundVoter(ctx context.Context, biennium, code string, round int, email, seat string, day time.Time) (RoundSeat, Voter, error) {
	r, err := s.loadRound(ctx, biennium, code, round, day)
	if err != nil {
		return RoundSeat{}, Voter{}, err
	}
	var found *RoundSeat
	var how Voter
	for i, st := range r.Seats {
		if seat != "" && st.Country != seat {
			continue
		}
		if v, ok := st.Voter(email); ok && (found == nil || how.Kind == cooperation.RoleDelegate && v.Kind != cooperation.RoleDelegate) {
			found, how = &r.Seats[i], v
		}
	}
	if found == nil {
		return RoundSeat{}, Voter{}, fmt.Errorf("%s may cast no seat's vote in round %d of %s/%s: %w", email, round, biennium, code, ErrNotFound)
	}
	return *found, how, nil
}

// VoterSeat finds the seat of biennium whose vote the person may cast on
// day: seat, when given; else the one they hold, else the one whose holder
// named them while away.
func (s *Store) VoterSeat(ctx context.Context, biennium, email, seat string, day time.Time) (string, Voter, error) {
	var only []string
	if seat != "" {
		only = []string{seat}
	}
	voters, err := s.seatVoters(ctx, biennium, day, only)
	if err != nil {
		return "", Voter{}, err
	}
	country, how := "", Voter{}
	for c, vs := range voters {
		for _, v := range vs {
			if v.Email == email && (country == "" || how.Kind == cooperation.RoleDelegate && v.Kind != cooperation.RoleDelegate ||
				how.Kind == v.Kind && c < country) {
				country, how = c, v
			}
		}
	}
	switch {
	case country == "" && seat != "":
		return "", Voter{}, fmt.Errorf("%s may not cast the vote of the seat of %s in %s: %w", email, seat, biennium, ErrNotFound)
	case country == "":
		return "", Voter{}, fmt.Errorf("%s holds no committee seat of %s: %w", email, biennium, ErrNotFound)
	}
	return country, how, nil
}
