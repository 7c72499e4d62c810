package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// ErrWrongStatus is returned when an activity is not in a status the change
// starts from: the change is refused and nothing is written.
var ErrWrongStatus = errors.New("activity not in a status that allows this change")

// ActivityRef is the name of an activity in audit lines and links, the same
// as its workflow ID: activity/<biennium>/<code>.
func ActivityRef(biennium, code string) string {
	return cooperation.ActivityID(biennium, code)
}

// ReviewActivity is what committee review needs of an activity and its
// programme's decision rule.
type ReviewActivity struct {
	Biennium    string `json:"biennium"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Titles is Title in every language given, for readers.
	Titles         cooperation.TextSet        `json:"titles"`
	LeadCountry    string                     `json:"lead_country"`
	Participants   []string                   `json:"participants"`
	ProposedBy     string                     `json:"proposed_by"`
	Status         cooperation.ActivityStatus `json:"status"`
	Round          int                        `json:"round"`
	Version        int                        `json:"version"`
	VotingDays     int                        `json:"voting_days"`
	MaxRounds      int                        `json:"max_rounds"`
	RecuseInvolved bool                       `json:"recuse_involved"`
}

// ReviewActivity loads an activity with its programme's decision rule.
func (s *Store) ReviewActivity(ctx context.Context, biennium, code string) (ReviewActivity, error) {
	var a ReviewActivity
	err := s.db.QueryRow(ctx, `SELECT a.biennium, a.code, a.title, a.description, `+activityTitleSQL("a")+`, a.lead_country,
			COALESCE((SELECT array_agg(c.country ORDER BY c.country) FROM activity_country c
				WHERE c.biennium = a.biennium AND c.code = a.code AND c.role = 'participant'), '{}'),
			COALESCE(a.proposed_by, ''), a.status, a.round, a.version,
			p.voting_days, p.max_rounds, p.recuse_involved
		FROM activity a JOIN programme p USING (biennium)
		WHERE a.biennium = $1 AND a.code = $2`, biennium, code).
		Scan(&a.Biennium, &a.Code, &a.Title, &a.Description, &a.Titles, &a.LeadCountry, &a.Participants,
			&a.ProposedBy, &a.Status, &a.Round, &a.Version, &a.VotingDays, &a.MaxRounds, &a.RecuseInvolved)
	if err != nil {
		return ReviewActivity{}, fmt.Errorf("load activity %s/%s: %w", biennium, code, notFound(err))
	}
	return a, nil
}

// Involves tells whether country leads or takes part in the activity.
func (a ReviewActivity) Involves(country string) bool {
	return country == a.LeadCountry || slices.Contains(a.Participants, country)
}

// Contact is a person to write to, in their language.
type Contact struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Language string `json:"language"`
	Country  string `json:"country"`
	Role     string `json:"role"`
}

// ProposalContacts returns whom a decision is told to: the proposer and the
// lead country's focal points, each once.
func (s *Store) ProposalContacts(ctx context.Context, biennium, code string) ([]Contact, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT p.email, p.name, p.language, COALESCE(p.country, ''), 'focal_point'
		FROM activity a
		JOIN person p ON p.email = a.proposed_by
			OR p.email IN (SELECT f.email FROM focal_point f WHERE f.biennium = a.biennium AND f.country = a.lead_country)
		WHERE a.biennium = $1 AND a.code = $2 ORDER BY p.email`, biennium, code)
	if err != nil {
		return nil, fmt.Errorf("load contacts of %s/%s: %w", biennium, code, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Contact])
}

// LeadFocalPoints returns the focal points of the activity's lead country.
func (s *Store) LeadFocalPoints(ctx context.Context, biennium, code string) ([]Contact, error) {
	rows, err := s.db.Query(ctx, `SELECT p.email, p.name, p.language, f.country, 'focal_point'
		FROM activity a JOIN focal_point f ON f.biennium = a.biennium AND f.country = a.lead_country
		JOIN person p ON p.email = f.email
		WHERE a.biennium = $1 AND a.code = $2 ORDER BY p.email`, biennium, code)
	if err != nil {
		return nil, fmt.Errorf("load lead focal points of %s/%s: %w", biennium, code, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Contact])
}

// Round is one committee review round of an activity.
type Round struct {
	Biennium        string      `json:"biennium"`
	Code            string      `json:"code"`
	Round           int         `json:"round"`
	Version         int         `json:"version"`
	OpenedAt        time.Time   `json:"opened_at"`
	ClosesAt        time.Time   `json:"closes_at"`
	Outcome         string      `json:"outcome,omitempty"`
	DecidedBy       string      `json:"decided_by,omitempty"`
	DecidedAt       *time.Time  `json:"decided_at,omitempty"`
	AwaitingCasting bool        `json:"awaiting_casting"`
	Seats           []RoundSeat `json:"seats"`
}

// Chair is the round's Chair seat; ok is false when the roster has none.
func (r Round) Chair() (RoundSeat, bool) {
	for _, st := range r.Seats {
		if st.Role == string(cooperation.Chair) {
			return st, true
		}
	}
	return RoundSeat{}, false
}

// CreateRound writes a round, its roster of seats, and puts the activity
// under review in it. It reports false, changing nothing, when the round
// already exists.
func (s *Store) CreateRound(ctx context.Context, r Round) (bool, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		r.Biennium, r.Code, r.Round, r.Version, r.OpenedAt, r.ClosesAt)
	if err != nil {
		return false, fmt.Errorf("create round %d of %s/%s: %w", r.Round, r.Biennium, r.Code, err)
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	for _, st := range r.Seats {
		if _, err := s.db.Exec(ctx, `INSERT INTO round_seat (biennium, code, round, country, role, recused)
			VALUES ($1, $2, $3, $4, $5, $6)`, r.Biennium, r.Code, r.Round, st.Country, st.Role, st.Recused); err != nil {
			return false, fmt.Errorf("add seat %s to round %d of %s/%s: %w", st.Country, r.Round, r.Biennium, r.Code, err)
		}
	}
	tag, err = s.db.Exec(ctx, `UPDATE activity SET status = 'under_review', round = $3, updated_at = now()
		WHERE biennium = $1 AND code = $2 AND status IN ('proposed', 'under_review', 'changes_requested')`,
		r.Biennium, r.Code, r.Round)
	if err != nil {
		return false, fmt.Errorf("put %s/%s under review: %w", r.Biennium, r.Code, err)
	}
	if tag.RowsAffected() == 0 {
		return false, fmt.Errorf("put %s/%s under review: %w", r.Biennium, r.Code, ErrWrongStatus)
	}
	return true, nil
}

// LoadRound returns one round with its roster, Chair first, each seat with
// who may cast its vote today.
func (s *Store) LoadRound(ctx context.Context, biennium, code string, round int) (Round, error) {
	return s.loadRound(ctx, biennium, code, round, time.Now())
}

func (s *Store) loadRound(ctx context.Context, biennium, code string, round int, day time.Time) (Round, error) {
	r := Round{Biennium: biennium, Code: code, Round: round}
	err := s.db.QueryRow(ctx, `SELECT version, opened_at, closes_at, COALESCE(outcome, ''),
			COALESCE(decided_by, ''), decided_at, awaiting_casting
		FROM review_round WHERE biennium = $1 AND code = $2 AND round = $3`, biennium, code, round).
		Scan(&r.Version, &r.OpenedAt, &r.ClosesAt, &r.Outcome, &r.DecidedBy, &r.DecidedAt, &r.AwaitingCasting)
	if err != nil {
		return Round{}, fmt.Errorf("load round %d of %s/%s: %w", round, biennium, code, notFound(err))
	}
	rows, err := s.db.Query(ctx, `SELECT country, role, recused FROM round_seat
		WHERE biennium = $1 AND code = $2 AND round = $3
		ORDER BY role = 'chair' DESC, country`, biennium, code, round)
	if err != nil {
		return Round{}, fmt.Errorf("load roster of round %d of %s/%s: %w", round, biennium, code, err)
	}
	r.Seats, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (RoundSeat, error) {
		var st RoundSeat
		err := row.Scan(&st.Country, &st.Role, &st.Recused)
		return st, err
	})
	if err != nil {
		return Round{}, fmt.Errorf("load roster of round %d of %s/%s: %w", round, biennium, code, err)
	}
	countries := make([]string, len(r.Seats))
	for i, st := range r.Seats {
		countries[i] = st.Country
	}
	voters, err := s.seatVoters(ctx, biennium, day, countries)
	if err != nil {
		return Round{}, err
	}
	for i := range r.Seats {
		r.Seats[i].Voters = voters[r.Seats[i].Country]
	}
	return r, nil
}

// ListRounds returns every round of an activity, oldest first, with rosters.
func (s *Store) ListRounds(ctx context.Context, biennium, code string) ([]Round, error) {
	rows, err := s.db.Query(ctx, `SELECT round FROM review_round
		WHERE biennium = $1 AND code = $2 ORDER BY round`, biennium, code)
	if err != nil {
		return nil, fmt.Errorf("list rounds of %s/%s: %w", biennium, code, err)
	}
	numbers, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("list rounds of %s/%s: %w", biennium, code, err)
	}
	rounds := make([]Round, 0, len(numbers))
	for _, n := range numbers {
		r, err := s.LoadRound(ctx, biennium, code, n)
		if err != nil {
			return nil, err
		}
		rounds = append(rounds, r)
	}
	return rounds, nil
}

// Vote is a seat's current vote in a round; a casting vote is the Chair's.
// Member is the address of whoever cast it, MemberID and MemberName theirs.
type Vote struct {
	Biennium   string    `json:"biennium"`
	Code       string    `json:"code"`
	Round      int       `json:"round"`
	Seat       string    `json:"seat"`
	Member     string    `json:"member"`
	MemberID   string    `json:"member_id"`
	MemberName string    `json:"member_name"`
	VoteID     string    `json:"vote_id"`
	Decision   string    `json:"decision"`
	Comment    string    `json:"comment"`
	Casting    bool      `json:"casting"`
	CastAt     time.Time `json:"cast_at"`
}

// SaveVote writes a seat's vote, replacing its earlier vote in the same
// round, whoever of its delegates cast that one: the last vote counts.
func (s *Store) SaveVote(ctx context.Context, v Vote) error {
	_, err := s.db.Exec(ctx, `INSERT INTO vote (biennium, code, round, seat, member, vote_id, decision, comment, casting, cast_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (biennium, code, round, seat, casting) DO UPDATE
		SET member = EXCLUDED.member, vote_id = EXCLUDED.vote_id, decision = EXCLUDED.decision,
			comment = EXCLUDED.comment, cast_at = EXCLUDED.cast_at`,
		v.Biennium, v.Code, v.Round, v.Seat, v.Member, v.VoteID, v.Decision, v.Comment, v.Casting, v.CastAt)
	if err != nil {
		return fmt.Errorf("save vote %s of seat %s on %s/%s: %w", v.VoteID, v.Seat, v.Biennium, v.Code, err)
	}
	return nil
}

// ListVotes returns every vote on an activity, by round, then time.
func (s *Store) ListVotes(ctx context.Context, biennium, code string) ([]Vote, error) {
	rows, err := s.db.Query(ctx, `SELECT v.biennium, v.code, v.round, v.seat, v.member, COALESCE(p.id, ''),
			COALESCE(p.name, v.member), v.vote_id, v.decision, v.comment, v.casting, v.cast_at
		FROM vote v LEFT JOIN person p ON p.email = v.member
		WHERE v.biennium = $1 AND v.code = $2 ORDER BY v.round, v.cast_at, v.seat`, biennium, code)
	if err != nil {
		return nil, fmt.Errorf("list votes on %s/%s: %w", biennium, code, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Vote])
}

// MoveActivity changes an activity's status to to, when
// cooperation.ActivityTransitions allow it from its status. It reports
// false when the activity already has status to (a retried change), and
// ErrWrongStatus when the change is not allowed.
func (s *Store) MoveActivity(ctx context.Context, biennium, code string, to cooperation.ActivityStatus) (bool, error) {
	var cur cooperation.ActivityStatus
	err := s.db.QueryRow(ctx, `SELECT status FROM activity WHERE biennium = $1 AND code = $2 FOR UPDATE`,
		biennium, code).Scan(&cur)
	if err != nil {
		return false, fmt.Errorf("move %s/%s to %s: %w", biennium, code, to, notFound(err))
	}
	if cur == to {
		return false, nil
	}
	if !cooperation.Allowed(cooperation.ActivityTransitions, cur, to) {
		return false, fmt.Errorf("move %s/%s from %s to %s: %w", biennium, code, cur, to, ErrWrongStatus)
	}
	if _, err := s.db.Exec(ctx, `UPDATE activity SET status = $3, updated_at = now()
		WHERE biennium = $1 AND code = $2`, biennium, code, to); err != nil {
		return false, fmt.Errorf("move %s/%s to %s: %w", biennium, code, to, err)
	}
	return true, nil
}

// DecideRound records a round's outcome. It reports false when the round
// was already decided, so a retried decision changes nothing.
func (s *Store) DecideRound(ctx context.Context, biennium, code string, round int, outcome, decidedBy string, at time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE review_round
		SET outcome = $4, decided_by = $5, decided_at = $6, awaiting_casting = false
		WHERE biennium = $1 AND code = $2 AND round = $3 AND outcome IS NULL`,
		biennium, code, round, outcome, decidedBy, at)
	if err != nil {
		return false, fmt.Errorf("decide round %d of %s/%s: %w", round, biennium, code, err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetAwaitingCasting marks an undecided round as waiting for the Chair's
// casting vote; it reports false when it already was.
func (s *Store) SetAwaitingCasting(ctx context.Context, biennium, code string, round int) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE review_round SET awaiting_casting = true
		WHERE biennium = $1 AND code = $2 AND round = $3 AND outcome IS NULL AND NOT awaiting_casting`,
		biennium, code, round)
	if err != nil {
		return false, fmt.Errorf("ask casting vote in round %d of %s/%s: %w", round, biennium, code, err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetFinalStatement stores the statement an activity was completed with.
func (s *Store) SetFinalStatement(ctx context.Context, biennium, code, statement string) error {
	if _, err := s.db.Exec(ctx, `UPDATE activity SET final_statement = $3, updated_at = now()
		WHERE biennium = $1 AND code = $2`, biennium, code, statement); err != nil {
		return fmt.Errorf("store final statement of %s/%s: %w", biennium, code, err)
	}
	return nil
}
