package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Why a link opens nothing, as the page its holder lands on says it. The
// first two are all a guess ever learns; the others are told only to whoever
// holds a token that was issued, who is the person it was sent to.
const (
	// DeadTruncated: shorter than a token, of a token's characters: an
	// e-mail program cut the address, or it was copied in part.
	DeadTruncated = "truncated"
	// DeadUnknown: no link has this token (mistyped, or never issued).
	DeadUnknown = "unknown"
	// DeadExpired: the link's time ran out.
	DeadExpired = "expired"
	// DeadRevoked: the secretariat revoked it, or the system did for a
	// reason no other kind names.
	DeadRevoked = "revoked"
	// DeadWaived: the secretariat released the country from the report.
	DeadWaived = "waived"
	// DeadCycleClosed: the report's cycle closed.
	DeadCycleClosed = "cycle_closed"
	// DeadDecided: the committee decided the round the vote was for.
	DeadDecided = "decided"
	// DeadWithdrawn: the proposal was withdrawn.
	DeadWithdrawn = "withdrawn"
	// DeadCallClosed: the call for proposals closed.
	DeadCallClosed = "call_closed"
	// DeadReplaced: its holder was replaced in the role the item belongs
	// to (a new focal point or delegate), who was sent a link of their own.
	DeadReplaced = "replaced"
)

// DeadLink says why a token opens nothing and what it was for.
type DeadLink struct {
	Reason string
	// Link is the link's row; zero for DeadTruncated and DeadUnknown.
	Link Link
	// At is when it happened: revoked, expired, waived, closed, decided.
	At time.Time
	// Task is the task of a report link; Received is when its country's
	// last report came in, nil when none did.
	Task     *cooperation.TaskKey
	Received *time.Time
	// Activity names the activity of a vote, revise or complete link, with
	// its title; Round and Outcome are the decided round's.
	Biennium, Code string
	Title          cooperation.TextSet
	Round          int
	Outcome        string
}

// ExplainLink says why token opens nothing, reading its link (revoked or
// expired ones included) and the state of what it names. A token that opens
// its link has Reason "" (it came back to life, or was never dead).
func (s *Store) ExplainLink(ctx context.Context, token string, now time.Time) (DeadLink, error) {
	if err := ParseToken(token); err != nil {
		if len(token) < TokenLength && strings.IndexFunc(token, func(r rune) bool { return r > 0x7f || !isTokenChar(byte(r)) }) < 0 {
			return DeadLink{Reason: DeadTruncated}, nil
		}
		return DeadLink{Reason: DeadUnknown}, nil
	}
	var d DeadLink
	var created time.Time
	err := s.db.QueryRow(ctx, `SELECT purpose, subject, recipient, expires_at, revoked_at, COALESCE(revoked_cause, ''), created_at
		FROM link WHERE token_hash = $1`, HashToken(token)).
		Scan(&d.Link.Purpose, &d.Link.Subject, &d.Link.Recipient, &d.Link.ExpiresAt, &d.Link.RevokedAt, &d.Link.RevokedCause, &created)
	if errors.Is(err, pgx.ErrNoRows) {
		return DeadLink{Reason: DeadUnknown}, nil
	} else if err != nil {
		return DeadLink{}, fmt.Errorf("look up link: %w", err)
	}
	l := d.Link
	if l.RevokedAt == nil && now.Before(l.ExpiresAt) {
		return d, nil
	}
	if l.RevokedAt != nil && l.RevokedCause == RevokedReplaced {
		// What the link was for, then why: its holder no longer holds it.
		if err := s.explainSubject(ctx, &d, created); err != nil {
			return DeadLink{}, err
		}
		d.Reason, d.At = DeadReplaced, *l.RevokedAt
		return d, nil
	}
	byHand, err := s.revokedBySecretariat(ctx, l)
	if err != nil {
		return DeadLink{}, err
	}
	if !byHand {
		if err := s.explainSubject(ctx, &d, created); err != nil {
			return DeadLink{}, err
		}
	}
	switch {
	case d.Reason != "":
	case l.RevokedAt != nil:
		d.Reason, d.At = DeadRevoked, *l.RevokedAt
	default:
		d.Reason, d.At = DeadExpired, l.ExpiresAt
	}
	return d, nil
}

// revokedBySecretariat tells whether the link was revoked by a person (bienal
// link revoke, the cycle page): RevokeLinksBy writes its audit line in the
// transaction that revokes, so both carry the same instant.
func (s *Store) revokedBySecretariat(ctx context.Context, l Link) (bool, error) {
	if l.RevokedAt == nil {
		return false, nil
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'links_revoked'
		AND at = $2 AND coalesce(detail->>'recipient', '') IN ('', $3)`, l.Subject, *l.RevokedAt, l.Recipient).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read revocations of %s: %w", l.Subject, err)
	}
	return n > 0, nil
}

// explainSubject sets the reason the state of the link's subject gives,
// leaving it empty when that state does not explain the dead link.
func (s *Store) explainSubject(ctx context.Context, d *DeadLink, created time.Time) error {
	kind, rest, _ := strings.Cut(d.Link.Subject, "/")
	switch kind {
	case "task":
		return s.explainTask(ctx, d, rest)
	case "activity":
		biennium, code, ok := strings.Cut(rest, "/")
		if !ok {
			return nil
		}
		return s.explainActivity(ctx, d, biennium, code, created)
	case "call":
		d.Biennium = rest
		if d.Link.RevokedAt == nil {
			d.Reason, d.At = DeadCallClosed, d.Link.ExpiresAt
		}
	}
	return nil
}

// explainTask explains a report link by its task; a subject that names no
// task explains nothing, and the link is dead for its own reason.
func (s *Store) explainTask(ctx context.Context, d *DeadLink, name string) error {
	k, ok := taskKeyOf(name)
	if !ok {
		return nil
	}
	t, err := s.GetTaskDetail(ctx, k)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	d.Task, d.Biennium, d.Code, d.Title = &k, k.Biennium, k.Code, t.ActivityTitle
	switch {
	case t.Status == cooperation.TaskWaived:
		d.Reason, d.At = DeadWaived, t.UpdatedAt
		if d.Link.RevokedAt != nil {
			d.At = *d.Link.RevokedAt
		}
	case t.CycleStatus == cooperation.CycleClosed || t.Status == cooperation.TaskMissing:
		d.Reason = DeadCycleClosed
		var closed *time.Time
		err := s.db.QueryRow(ctx, `SELECT c.closed_at,
				(SELECT max(submitted_at) FROM submission s WHERE s.biennium = $1 AND s.cycle = $2 AND s.code = $3 AND s.country = $4)
			FROM reporting_cycle c WHERE c.biennium = $1 AND c.name = $2`, k.Biennium, k.Cycle, k.Code, k.Country).
			Scan(&closed, &d.Received)
		if err != nil {
			return fmt.Errorf("read the close of %s: %w", k, err)
		}
		switch {
		case closed != nil:
			d.At = *closed
		case d.Link.RevokedAt != nil:
			d.At = *d.Link.RevokedAt
		default:
			d.At = d.Link.ExpiresAt
		}
	}
	return nil
}

func (s *Store) explainActivity(ctx context.Context, d *DeadLink, biennium, code string, created time.Time) error {
	a, err := s.GetActivity(ctx, biennium, code)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	d.Biennium, d.Code, d.Title = biennium, code, a.Texts.Title
	if a.Status == cooperation.ActivityWithdrawn {
		d.Reason, d.At = DeadWithdrawn, a.UpdatedAt
		if d.Link.RevokedAt != nil {
			d.At = *d.Link.RevokedAt
		}
		return nil
	}
	if d.Link.Purpose != PurposeVote {
		return nil
	}
	// The round the vote was asked for: the last one opened before the link
	// was made (the round's time is the workflow's, the link's the
	// database's: when they disagree, the last round), if it is decided.
	var decidedAt *time.Time
	err = s.db.QueryRow(ctx, `SELECT round, coalesce(outcome, ''), decided_at FROM review_round
		WHERE biennium = $1 AND code = $2 ORDER BY (opened_at <= $3) DESC, round DESC LIMIT 1`, biennium, code, created).
		Scan(&d.Round, &d.Outcome, &decidedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("read the round of %s/%s: %w", biennium, code, err)
	}
	if decidedAt != nil && d.Outcome != "" {
		d.Reason, d.At = DeadDecided, *decidedAt
	}
	return nil
}

// SecretariatContact is whom a person with a dead link is told to write to:
// the first secretariat account, which is the secretariat the programme
// file names (the import creates it before any login is added by hand).
// ErrNotFound when there is none.
func (s *Store) SecretariatContact(ctx context.Context) (Contact, error) {
	var c Contact
	err := s.db.QueryRow(ctx, `SELECT p.email, p.name, p.language FROM secretariat_user u JOIN person p USING (email)
		WHERE u.role = 'secretariat' ORDER BY u.created_at, u.email LIMIT 1`).Scan(&c.Email, &c.Name, &c.Language)
	if err != nil {
		return Contact{}, fmt.Errorf("load the secretariat's contact: %w", notFound(err))
	}
	return c, nil
}

func taskKeyOf(name string) (cooperation.TaskKey, bool) {
	k, err := cooperation.ParseTaskKey(name)
	return k, err == nil
}
