package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"
)

// NewLink asks for one personal link: what it lets its holder do, to which
// subject, for whom, until when.
type NewLink struct {
	Purpose   string
	Subject   string
	Recipient string
	ExpiresAt time.Time
}

type linkKey struct{ purpose, subject, recipient string }

// CreateLinks is CreateLink for many links in one statement, so that a digest
// listing a thousand items costs one round trip, not a thousand. It returns
// the tokens in the order of links. Two requests in one batch for the same
// purpose, subject and recipient (one message listing an item twice) get
// the same token, valid until the later of their expiries.
func (s *Store) CreateLinks(ctx context.Context, links []NewLink) ([]string, error) {
	tokens := make([]string, len(links))
	if len(links) == 0 {
		return tokens, nil
	}
	// seen is, for each distinct link, its place in the statement's arrays
	// and the first request that asked for it.
	type place struct{ row, first int }
	seen := map[linkKey]place{}
	var hashes [][]byte
	var purposes, subjects, recipients []string
	var expires []time.Time
	for i, l := range links {
		k := linkKey{l.Purpose, l.Subject, l.Recipient}
		if p, ok := seen[k]; ok {
			tokens[i] = tokens[p.first]
			if l.ExpiresAt.After(expires[p.row]) {
				expires[p.row] = l.ExpiresAt
			}
			continue
		}
		token, err := newToken()
		if err != nil {
			return nil, err
		}
		seen[k], tokens[i] = place{row: len(hashes), first: i}, token
		hashes = append(hashes, HashToken(token))
		purposes, subjects, recipients = append(purposes, l.Purpose), append(subjects, l.Subject), append(recipients, l.Recipient)
		expires = append(expires, l.ExpiresAt)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO link (token_hash, purpose, subject, recipient, expires_at)
		SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])`,
		hashes, purposes, subjects, recipients, expires)
	if err != nil {
		return nil, fmt.Errorf("create %d links for %s: %w", len(hashes), recipients[0], err)
	}
	return tokens, nil
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
