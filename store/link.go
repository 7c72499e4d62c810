package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
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

// CreateLink makes a new token for (purpose, subject, recipient), replacing
// any earlier one, and returns it; only its hash is kept.
func (s *Store) CreateLink(ctx context.Context, purpose, subject, recipient string, expires time.Time) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	_, err := s.db.Exec(ctx, `INSERT INTO link (token_hash, purpose, subject, recipient, expires_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (purpose, subject, recipient) DO UPDATE
		SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at, revoked_at = NULL, created_at = now()`,
		HashToken(token), purpose, subject, recipient, expires)
	if err != nil {
		return "", fmt.Errorf("create %s link for %s: %w", purpose, recipient, err)
	}
	return token, nil
}

// LookupLink returns the live link a token opens, or ErrLinkInvalid.
func (s *Store) LookupLink(ctx context.Context, token string, now time.Time) (Link, error) {
	if err := ParseToken(token); err != nil {
		return Link{}, err
	}
	var l Link
	err := s.db.QueryRow(ctx, `SELECT purpose, subject, recipient, expires_at, revoked_at
		FROM link WHERE token_hash = $1`, HashToken(token)).
		Scan(&l.Purpose, &l.Subject, &l.Recipient, &l.ExpiresAt, &l.RevokedAt)
	if err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return Link{}, ErrLinkInvalid
		}
		return Link{}, fmt.Errorf("look up link: %w", err)
	}
	if l.RevokedAt != nil || !now.Before(l.ExpiresAt) {
		return Link{}, ErrLinkInvalid
	}
	return l, nil
}

// RevokeLinks revokes every link to subject (all recipients, all purposes).
func (s *Store) RevokeLinks(ctx context.Context, subject string) (int64, error) {
	tag, err := s.db.Exec(ctx, `UPDATE link SET revoked_at = now() WHERE subject = $1 AND revoked_at IS NULL`, subject)
	if err != nil {
		return 0, fmt.Errorf("revoke links to %s: %w", subject, err)
	}
	return tag.RowsAffected(), nil
}
