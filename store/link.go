package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Link purposes: what a personal link lets its holder do.
const (
	PurposeVote     = "vote"
	PurposeReport   = "report"
	PurposeRevise   = "revise"
	PurposeComplete = "complete"
	PurposePropose  = "propose"
)

// Link is a capability bound to one subject, one recipient and one purpose.
type Link struct {
	Purpose   string
	Subject   string
	Recipient string
	ExpiresAt time.Time
	RevokedAt *time.Time
	// RevokedCause says why a revoked link stopped working (Revoked*), ""
	// when it is live or when no cause was kept.
	RevokedCause string
}

// ErrLinkInvalid covers every reason a token does not open anything; callers
// show one message so that a guess learns nothing.
var ErrLinkInvalid = errors.New("link invalid, expired or revoked")

// TokenLength is the length of an encoded token: 256 random bits in base64url.
const TokenLength = 43

// HashToken is the only form in which a token is stored.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// LinkPlaceholder is what a stored message holds where the token of link id
// goes: the token is minted and filled in only when the message is sent, so
// that no dump, backup or e-mail log page holds a token that opens anything.
// Its characters are ones no template escapes, in a URL or in text.
//
// The token is minted at the claim (ClaimEmails) rather than derived from a
// key at send time: a key would be one more secret every worker must share
// outside the database, and a lost or mismatched one would break links with
// no error. The price is that a message whose send is unsettled (being sent,
// or waiting for its resend after an unknown outcome) keeps its token in the
// row, apart from its bodies, until the outcome is recorded.
func LinkPlaceholder(id int64) string { return "~link-" + strconv.FormatInt(id, 10) + "~" }

var placeholderPattern = regexp.MustCompile(`~link-([0-9]{1,18})~`)

// CreateMailLink is CreateLink for a link a message carries: it returns the
// placeholder to write in the message instead of a token (CreateMailLinks).
func (s *Store) CreateMailLink(ctx context.Context, purpose, subject, recipient string, expires time.Time) (string, error) {
	refs, err := s.CreateMailLinks(ctx, []NewLink{{Purpose: purpose, Subject: subject, Recipient: recipient, ExpiresAt: expires}})
	if err != nil {
		return "", err
	}
	return refs[0], nil
}

// CreateLink makes a new token for (purpose, subject, recipient) and returns
// it, for a link handed over other than in a stored message (a message's link
// is CreateMailLink's); only its hash is kept. Earlier links to the same subject stay valid
// until they expire or are revoked, so every message keeps a working link.
func (s *Store) CreateLink(ctx context.Context, purpose, subject, recipient string, expires time.Time) (string, error) {
	tokens, err := s.CreateLinks(ctx, []NewLink{{Purpose: purpose, Subject: subject, Recipient: recipient, ExpiresAt: expires}})
	if err != nil {
		return "", err
	}
	return tokens[0], nil
}

// LookupLink returns the live link a token opens, or ErrLinkInvalid.
func (s *Store) LookupLink(ctx context.Context, token string, now time.Time) (Link, error) {
	l, err := s.FindLink(ctx, token)
	if err != nil {
		return Link{}, err
	}
	if l.RevokedAt != nil || !now.Before(l.ExpiresAt) {
		return Link{}, ErrLinkInvalid
	}
	return l, nil
}

// FindLink returns the link a token names, live, expired or revoked, so a
// page can tell its holder why it no longer works; ErrLinkInvalid when the
// token names none. What it returns opens nothing: LookupLink does.
func (s *Store) FindLink(ctx context.Context, token string) (Link, error) {
	if err := ParseToken(token); err != nil {
		return Link{}, err
	}
	var l Link
	err := s.db.QueryRow(ctx, `SELECT purpose, subject, recipient, expires_at, revoked_at, COALESCE(revoked_cause, '')
		FROM link WHERE token_hash = $1`, HashToken(token)).
		Scan(&l.Purpose, &l.Subject, &l.Recipient, &l.ExpiresAt, &l.RevokedAt, &l.RevokedCause)
	if err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return Link{}, ErrLinkInvalid
		}
		return Link{}, fmt.Errorf("look up link: %w", err)
	}
	return l, nil
}

// RevokeLinks revokes every link to subject (all recipients, all
// purposes) because the item it opens is decided or closed.
func (s *Store) RevokeLinks(ctx context.Context, subject string) (int64, error) {
	tag, err := s.db.Exec(ctx, `UPDATE link SET revoked_at = now(), revoked_cause = 'closed'
		WHERE subject = $1 AND revoked_at IS NULL`, subject)
	if err != nil {
		return 0, fmt.Errorf("revoke links to %s: %w", subject, err)
	}
	return tag.RowsAffected(), nil
}

// RevokeLinksBy is the secretariat's revocation: every live link to subject
// (or only recipient's, when given) stops working, and the audit log says
// who revoked them and why, in the same transaction.
func (s *Store) RevokeLinksBy(ctx context.Context, subject, recipient, by, reason string) (int64, error) {
	if strings.TrimSpace(subject) == "" {
		return 0, fmt.Errorf("%w: revoke links: a subject is required, such as task/2017-2018/final/G1A1/AR", ErrInvalid)
	}
	var n int64
	err := s.InTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `UPDATE link SET revoked_at = now(), revoked_cause = 'secretariat'
			WHERE subject = $1 AND ($2 = '' OR recipient = $2) AND revoked_at IS NULL`, subject, recipient)
		if err != nil {
			return fmt.Errorf("revoke links to %s: %w", subject, err)
		}
		n = tag.RowsAffected()
		return tx.Audit(ctx, "", by, subject, "links_revoked",
			map[string]any{"recipient": recipient, "reason": reason, "links": n})
	})
	return n, err
}
