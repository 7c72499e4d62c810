package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Link revocation causes: why a link stopped working, so that its page can
// say so to whoever opens it.
const (
	RevokedBySecretariat = "secretariat"
	RevokedReplaced      = "replaced"
	RevokedClosed        = "closed"
)

// HandoverItem is one open item a person takes over: a report task of
// their country, an activity their country leads to revise or to report
// completed, or a vote of their seat.
type HandoverItem struct {
	// Purpose is the link's: PurposeReport for a task, PurposeVote for a
	// vote, PurposeRevise or PurposeComplete for the lead country's
	// activity to revise or to report completed.
	Purpose    string              `json:"purpose"`
	Subject    string              `json:"subject"`
	Biennium   string              `json:"biennium"`
	Cycle      string              `json:"cycle,omitempty"`
	CycleTitle string              `json:"cycle_title,omitempty"`
	Code       string              `json:"code"`
	Country    string              `json:"country"`
	Title      cooperation.TextSet `json:"title"`
	Round      int                 `json:"round,omitempty"`
	Casting    bool                `json:"casting,omitempty"`
	Due        time.Time           `json:"due"`
	expires    time.Time
	// Ref is the placeholder of the link made for the item (LinkPlaceholder),
	// set when the handover is written.
	Ref string `json:"-"`
}

// Handover is what one person is told when they take over open items: as
// the new focal point or delegate of a country, or as the delegate of a
// person away (From, until Until).
type Handover struct {
	DedupKey  string
	To        Person
	From      Person
	Role      string // a cooperation.Role* constant
	Biennium  string
	Country   string
	Effective time.Time
	Until     time.Time
	Items     []HandoverItem
}

// HandoverMailFunc composes the message of a handover whose items carry
// their links' placeholders (mail.HandoverMail).
type HandoverMailFunc func(h Handover) (Email, error)

// openTasksOf lists the tasks of country's that still take a report, in
// open cycles: what its focal point answers.
func (s *Store) openTasksOf(ctx context.Context, biennium, country string) ([]HandoverItem, error) {
	rows, err := s.db.Query(ctx, `SELECT t.biennium, t.cycle, COALESCE(NULLIF(c.title, ''), t.biennium || '/' || t.cycle),
			t.code, t.country, `+activityTitleSQL("a")+`, t.due_on, c.closes_on
		FROM report_task t
		JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
		JOIN activity a ON a.biennium = t.biennium AND a.code = t.code
		WHERE t.biennium = $1 AND t.country = $2 AND c.status = 'open'
			AND t.status IN ('open', 'overdue', 'submitted', 'clarification_requested')
		ORDER BY t.due_on, t.cycle, t.code`, biennium, country)
	if err != nil {
		return nil, fmt.Errorf("list open tasks of %s: %w", country, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (HandoverItem, error) {
		it := HandoverItem{Purpose: PurposeReport}
		var closes time.Time
		err := row.Scan(&it.Biennium, &it.Cycle, &it.CycleTitle, &it.Code, &it.Country, &it.Title, &it.Due, &closes)
		it.Subject = cooperation.TaskID(it.Biennium, it.Cycle, it.Code, it.Country)
		// As long as an invitation's link: the cycle's closing day and a grace after it.
		it.expires = DayEnd(closes).Add(14 * 24 * time.Hour)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("list open tasks of %s: %w", country, err)
	}
	return items, nil
}

// openVotesOf lists the undecided rounds in which country's seat has a
// vote to cast: entitled and not yet closed, or the Chair's casting vote.
func (s *Store) openVotesOf(ctx context.Context, biennium, country string, now time.Time) ([]HandoverItem, error) {
	rows, err := s.db.Query(ctx, `SELECT r.biennium, r.code, `+activityTitleSQL("a")+`, r.round, r.closes_at, r.awaiting_casting AND rs.role = 'chair'
		FROM review_round r
		JOIN round_seat rs ON rs.biennium = r.biennium AND rs.code = r.code AND rs.round = r.round
		JOIN activity a ON a.biennium = r.biennium AND a.code = r.code
		WHERE r.biennium = $1 AND rs.country = $2 AND r.outcome IS NULL
			AND ((NOT rs.recused AND NOT r.awaiting_casting AND r.closes_at > $3) OR (r.awaiting_casting AND rs.role = 'chair'))
		ORDER BY r.closes_at, r.code`, biennium, country, now)
	if err != nil {
		return nil, fmt.Errorf("list open votes of seat %s: %w", country, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (HandoverItem, error) {
		it := HandoverItem{Purpose: PurposeVote, Country: country}
		err := row.Scan(&it.Biennium, &it.Code, &it.Title, &it.Round, &it.Due, &it.Casting)
		it.Subject = cooperation.ActivityID(it.Biennium, it.Code)
		it.expires = it.Due
		if it.Casting {
			it.expires = it.Due.AddDate(0, 0, 90)
		}
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("list open votes of seat %s: %w", country, err)
	}
	return items, nil
}

// focalPointItems is what a focal point of country hands over: the
// country's open tasks, and the activity links they hold (see
// liveActivityLinksOf).
func (s *Store) focalPointItems(ctx context.Context, biennium, country, holder string, tasks []HandoverItem, now time.Time) ([]HandoverItem, error) {
	links, err := s.liveActivityLinksOf(ctx, biennium, country, holder, now)
	if err != nil {
		return nil, err
	}
	return append(slices.Clone(tasks), links...), nil
}

// liveActivityLinksOf lists the activities of country's that recipient
// holds a working link to revise (a proposal sent back for changes) or to
// report completed (an activity in execution): a focal point's items that
// are no report task. Each is handed over for as long as the old link ran.
func (s *Store) liveActivityLinksOf(ctx context.Context, biennium, country, recipient string, now time.Time) ([]HandoverItem, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT ON (l.purpose, a.code) l.purpose, a.biennium, a.code, `+activityTitleSQL("a")+`, l.expires_at
		FROM link l JOIN activity a ON l.subject = 'activity/' || a.biennium || '/' || a.code
		WHERE a.biennium = $1 AND a.lead_country = $2 AND l.recipient = $3
			AND l.revoked_at IS NULL AND l.expires_at > $4
			AND ((l.purpose = 'revise' AND a.status = 'changes_requested') OR (l.purpose = 'complete' AND a.status = 'in_execution'))
		ORDER BY l.purpose, a.code, l.expires_at DESC`, biennium, country, recipient, now)
	if err != nil {
		return nil, fmt.Errorf("list the activity links of %s: %w", recipient, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (HandoverItem, error) {
		it := HandoverItem{Country: country}
		err := row.Scan(&it.Purpose, &it.Biennium, &it.Code, &it.Title, &it.Due)
		it.Subject = cooperation.ActivityID(it.Biennium, it.Code)
		it.expires = it.Due
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("list the activity links of %s: %w", recipient, err)
	}
	return items, nil
}

// revokeItemLinks stops recipient's links to the items, each for its own
// purpose, saying why, and returns how many stopped.
func (s *Store) revokeItemLinks(ctx context.Context, items []HandoverItem, recipient, cause string) (int64, error) {
	if len(items) == 0 {
		return 0, nil
	}
	subjects := make([]string, len(items))
	purposes := make([]string, len(items))
	for i, it := range items {
		subjects[i], purposes[i] = it.Subject, it.Purpose
	}
	tag, err := s.db.Exec(ctx, `UPDATE link l SET revoked_at = now(), revoked_cause = $4
		FROM unnest($1::text[], $3::text[]) AS i(subject, purpose)
		WHERE l.subject = i.subject AND l.purpose = i.purpose AND l.recipient = $2 AND l.revoked_at IS NULL`,
		subjects, recipient, purposes, cause)
	if err != nil {
		return 0, fmt.Errorf("revoke the links of %s: %w", recipient, err)
	}
	return tag.RowsAffected(), nil
}

// writeHandover makes a link for each item, addressed to h.To, and queues
// the message compose makes of it. A handover already written (its dedup
// key) is left alone, and so are its links.
func (s *Store) writeHandover(ctx context.Context, h Handover, compose HandoverMailFunc) (bool, error) {
	exists, err := s.EmailExists(ctx, h.DedupKey)
	if err != nil || exists {
		return false, err
	}
	links := make([]NewLink, len(h.Items))
	for i, it := range h.Items {
		links[i] = NewLink{Purpose: it.Purpose, Subject: it.Subject, Recipient: h.To.Email, ExpiresAt: it.expires}
	}
	refs, err := s.CreateMailLinks(ctx, links)
	if err != nil {
		return false, err
	}
	for i := range h.Items {
		h.Items[i].Ref = refs[i]
	}
	e, err := compose(h)
	if err != nil {
		return false, fmt.Errorf("compose the handover to %s: %w", h.To.Email, err)
	}
	e.DedupKey, e.Recipient = h.DedupKey, h.To.Email
	return true, s.QueueNewEmail(ctx, e)
}
