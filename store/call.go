package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// ErrCallClosed is returned when a call's closing date is not in the future.
var ErrCallClosed = errors.New("call for proposals closes in the past")

// ErrCallOpen is returned when a call of the biennium is still open: a
// second one would invite every focal point again, each with a second
// link that closes on another day.
var ErrCallOpen = errors.New("a call for proposals of this biennium is open")

// Call is one call for proposals of a biennium.
type Call struct {
	ID       int64     `json:"id" db:"id"`
	Biennium string    `json:"biennium" db:"biennium"`
	ClosesAt time.Time `json:"closes_at" db:"closes_at"`
	OpenedBy string    `json:"opened_by" db:"opened_by"`
	OpenedAt time.Time `json:"opened_at" db:"opened_at"`
	// Invited counts the e-mails queued when the call was opened.
	Invited int `json:"invited" db:"-"`
}

// CallMailFunc composes the invitation of one focal point to a call; token
// is what to place in the message where their personal link's token goes:
// the link's placeholder, filled in with a token when the message is sent.
type CallMailFunc func(c Call, to Recipient, token string) (Email, error)

// CallRef is the subject of a biennium's call links: the same for every
// call, so a focal point's latest link also shows their earlier proposals.
func CallRef(biennium string) string { return "call/" + biennium }

// OpenCall writes a call for proposals and, in the same transaction, one
// invitation per focal point of the biennium with a personal link (purpose
// propose) that expires when the call closes. Either all of it is written
// or nothing is. While a call of the biennium is open it writes nothing and
// returns that call with ErrCallOpen; two opening at once take turns, so
// the second finds the first.
func (s *Store) OpenCall(ctx context.Context, biennium string, closes time.Time, openedBy string, now time.Time, compose CallMailFunc) (Call, error) {
	fail := func(err error) (Call, error) {
		return Call{}, fmt.Errorf("open call for proposals %s: %w", biennium, err)
	}
	if !closes.After(now) {
		return fail(fmt.Errorf("closes %s: %w", closes.Format(time.DateOnly), ErrCallClosed))
	}
	if openedBy == "" {
		return fail(errors.New("opened by: required"))
	}
	var c, open Call
	err := s.InTx(ctx, func(tx *Store) error {
		var err error
		if open, err = tx.openCall(ctx, biennium, now); err != nil || open.ID != 0 {
			return err
		}
		rows, err := tx.db.Query(ctx, `INSERT INTO call_for_proposals (biennium, closes_at, opened_by, opened_at)
			VALUES ($1, $2, $3, $4) RETURNING id, biennium, closes_at, opened_by, opened_at`, biennium, closes, openedBy, now)
		if err != nil {
			return err
		}
		c, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Call])
		if err != nil {
			return notFoundProgramme(err, biennium)
		}
		fps, err := tx.callRecipients(ctx, biennium)
		if err != nil {
			return err
		}
		for _, fp := range fps {
			if err := tx.inviteToCall(ctx, c, fp, compose); err != nil {
				return err
			}
			c.Invited++
		}
		return tx.Audit(ctx, "", openedBy, CallRef(biennium), "call_opened",
			map[string]any{"call": c.ID, "closes_at": closes, "invited": c.Invited})
	})
	switch {
	case err != nil:
		return fail(err)
	case open.ID != 0:
		return open, fmt.Errorf("open call for proposals %s: %w", biennium, ErrCallOpen)
	}
	return c, nil
}

// openCall returns the call of a biennium still open at now, or a zero Call,
// after taking the transaction's lock on the biennium's calls.
func (s *Store) openCall(ctx context.Context, biennium string, now time.Time) (Call, error) {
	if _, err := s.db.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, callLock, biennium); err != nil {
		return Call{}, fmt.Errorf("lock the calls of %s: %w", biennium, err)
	}
	rows, err := s.db.Query(ctx, `SELECT id, biennium, closes_at, opened_by, opened_at FROM call_for_proposals
		WHERE biennium = $1 AND closes_at > $2 ORDER BY closes_at DESC, id DESC LIMIT 1`, biennium, now)
	if err != nil {
		return Call{}, fmt.Errorf("find the open call of %s: %w", biennium, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Call])
	if errors.Is(err, pgx.ErrNoRows) {
		return Call{}, nil
	}
	return c, err
}

// callLock is the first key of the advisory lock OpenCall takes ("call");
// the second is a hash of the biennium.
const callLock = 0x63616c6c

func notFoundProgramme(err error, biennium string) error {
	var fk interface{ SQLState() string }
	if errors.As(err, &fk) && fk.SQLState() == "23503" {
		return fmt.Errorf("no programme %s: %w", biennium, ErrNotFound)
	}
	return err
}

// inviteToCall queues one invitation. The link is created only with a new
// message row: a token replaced after its e-mail was written would be dead.
func (s *Store) inviteToCall(ctx context.Context, c Call, fp Recipient, compose CallMailFunc) error {
	key := "call/" + c.Biennium + "/" + strconv.FormatInt(c.ID, 10) + "/" + fp.Email
	if exists, err := s.EmailExists(ctx, key); err != nil || exists {
		return err
	}
	ref, err := s.CreateMailLink(ctx, PurposePropose, CallRef(c.Biennium), fp.Email, c.ClosesAt)
	if err != nil {
		return err
	}
	e, err := compose(c, fp, ref)
	if err != nil {
		return fmt.Errorf("compose invitation to %s: %w", fp.Email, err)
	}
	e.DedupKey = key
	return s.QueueNewEmail(ctx, e)
}

// callRecipients lists each focal point of a biennium once, even one who
// serves several countries.
func (s *Store) callRecipients(ctx context.Context, biennium string) ([]Recipient, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT p.email, p.name, p.language, p.time_zone FROM focal_point f
		JOIN person p ON p.email = f.email WHERE f.biennium = $1 ORDER BY p.email`, biennium)
	if err != nil {
		return nil, fmt.Errorf("list focal points of %s: %w", biennium, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Recipient])
}

// LatestCall returns the most recently opened call of a biennium, or ErrNotFound.
func (s *Store) LatestCall(ctx context.Context, biennium string) (Call, error) {
	rows, err := s.db.Query(ctx, `SELECT id, biennium, closes_at, opened_by, opened_at FROM call_for_proposals
		WHERE biennium = $1 ORDER BY opened_at DESC, id DESC LIMIT 1`, biennium)
	if err != nil {
		return Call{}, fmt.Errorf("load call of %s: %w", biennium, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Call])
	if err != nil {
		return Call{}, fmt.Errorf("load call of %s: %w", biennium, notFound(err))
	}
	return c, nil
}

// Choice is one numbered or coded option of the proposal form.
type Choice struct {
	Key   string `json:"key" db:"key"`
	Title string `json:"title" db:"title"`
	// Text is a goal's or line's title in every language given, for
	// readers (ProposalChoices.In).
	Text cooperation.TextSet `json:"-" db:"text"`
}

// ProposalChoices are the options a proposal form offers for a biennium.
type ProposalChoices struct {
	Goals     []Choice `json:"goals"`
	Lines     []Choice `json:"lines"`
	Countries []Choice `json:"countries"`
}

// ProposalChoices reads the goals, lines of action and countries a
// proposal may name.
func (s *Store) ProposalChoices(ctx context.Context, biennium string) (ProposalChoices, error) {
	var pc ProposalChoices
	queries := []struct {
		dst *[]Choice
		sql string
	}{
		{&pc.Goals, `SELECT number::text AS key, title, ` + goalTitleSQL("goal") + ` AS text
			FROM goal WHERE biennium = $1 ORDER BY number`},
		{&pc.Lines, `SELECT number::text AS key, title, ` + textSetSQL("l.biennium", "'line_of_action/' || l.number", "'title'", "l.title") + ` AS text
			FROM line_of_action l WHERE biennium = $1 ORDER BY number`},
		{&pc.Countries, `SELECT code AS key, name AS title, jsonb_build_object('stored', name) AS text
			FROM country WHERE $1 <> '' ORDER BY code`},
	}
	for _, q := range queries {
		rows, err := s.db.Query(ctx, q.sql, biennium)
		if err != nil {
			return ProposalChoices{}, fmt.Errorf("load proposal choices of %s: %w", biennium, err)
		}
		*q.dst, err = pgx.CollectRows(rows, pgx.RowToStructByName[Choice])
		if err != nil {
			return ProposalChoices{}, fmt.Errorf("load proposal choices of %s: %w", biennium, err)
		}
	}
	return pc, nil
}

// In is pc with the goals' and lines' titles as a reader of lang reads
// them; written is how a title not in their language is written for an
// option, which holds text alone (mail.ShownText).
func (pc ProposalChoices) In(lang string, written func(cooperation.Shown) string) ProposalChoices {
	shown := func(cs []Choice) []Choice {
		out := slices.Clone(cs)
		for i, c := range out {
			out[i].Title = written(c.Text.Show(lang))
		}
		return out
	}
	pc.Goals, pc.Lines = shown(pc.Goals), shown(pc.Lines)
	return pc
}

// FocalPointCountry returns the country a person is focal point of in a
// biennium (the first by code, should they serve several), or ErrNotFound.
func (s *Store) FocalPointCountry(ctx context.Context, biennium, email string) (string, error) {
	var c string
	err := s.db.QueryRow(ctx, `SELECT country FROM focal_point WHERE biennium = $1 AND email = $2
		ORDER BY country LIMIT 1`, biennium, email).Scan(&c)
	if err != nil {
		return "", fmt.Errorf("look up country of focal point %s in %s: %w", email, biennium, notFound(err))
	}
	return c, nil
}

// NextProposalCode chooses the code of a new proposal under a goal:
// G<goal>P<n>, n one more than the highest already used. Call it in the
// transaction that inserts the activity: it takes a transaction-scoped
// advisory lock on the biennium and goal, so parallel proposals under one
// goal choose in turn, each after the previous one has committed its code,
// instead of all choosing the same code and all but one failing.
func (s *Store) NextProposalCode(ctx context.Context, biennium string, goal int) (string, error) {
	prefix := "G" + strconv.Itoa(goal) + "P"
	if _, err := s.db.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`,
		proposalCodeLock, biennium+"/"+prefix); err != nil {
		return "", fmt.Errorf("lock codes under goal %d of %s: %w", goal, biennium, err)
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT COALESCE(max(substr(code, length($2) + 1)::int), 0) FROM activity
		WHERE biennium = $1 AND code ~ ('^' || $2 || '[0-9]{1,6}$')`, biennium, prefix).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("choose code under goal %d of %s: %w", goal, biennium, err)
	}
	return prefix + strconv.Itoa(n+1), nil
}

// proposalCodeLock is the first key of the advisory locks NextProposalCode
// takes ("prop"); the second is a hash of the biennium and goal.
const proposalCodeLock = 0x70726f70

// ProposalsBy lists the activities a person proposed in a biennium.
func (s *Store) ProposalsBy(ctx context.Context, biennium, email string) ([]Activity, error) {
	as, err := collectByName[Activity](ctx, s, activitySelect+`
		WHERE a.biennium = $1 AND a.proposed_by = $2 ORDER BY a.goal, a.code`, biennium, email)
	if err != nil {
		return nil, fmt.Errorf("list proposals of %s in %s: %w", email, biennium, err)
	}
	return as, nil
}
