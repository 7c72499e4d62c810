package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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

// CreateMailLinks is CreateLinks for links that a message will carry: it
// makes the link rows without a token and returns, in the order of links,
// the placeholder (LinkPlaceholder) to write where the token goes. The token
// is minted when the message is claimed for sending (ClaimEmails), so no
// stored row ever holds one that a message has not yet needed. Requests for
// the same purpose, subject and recipient share one row, as in CreateLinks.
func (s *Store) CreateMailLinks(ctx context.Context, links []NewLink) ([]string, error) {
	refs := make([]string, len(links))
	if len(links) == 0 {
		return refs, nil
	}
	row := map[linkKey]int{}
	var purposes, subjects, recipients []string
	var expires []time.Time
	for _, l := range links {
		k := linkKey{l.Purpose, l.Subject, l.Recipient}
		if r, ok := row[k]; ok {
			if l.ExpiresAt.After(expires[r]) {
				expires[r] = l.ExpiresAt
			}
			continue
		}
		row[k] = len(purposes)
		purposes, subjects, recipients = append(purposes, l.Purpose), append(subjects, l.Subject), append(recipients, l.Recipient)
		expires = append(expires, l.ExpiresAt)
	}
	rows, err := s.db.Query(ctx, `INSERT INTO link (purpose, subject, recipient, expires_at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
		RETURNING id, purpose, subject, recipient`, purposes, subjects, recipients, expires)
	if err != nil {
		return nil, fmt.Errorf("create %d links for %s: %w", len(purposes), recipients[0], err)
	}
	ids := make(map[linkKey]int64, len(purposes))
	var id int64
	var k linkKey
	_, err = pgx.ForEachRow(rows, []any{&id, &k.purpose, &k.subject, &k.recipient}, func() error {
		ids[k] = id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create %d links for %s: %w", len(purposes), recipients[0], err)
	}
	for i, l := range links {
		id, ok := ids[linkKey{l.Purpose, l.Subject, l.Recipient}]
		if !ok {
			return nil, fmt.Errorf("create links for %s: no row made for %s", l.Recipient, l.Subject)
		}
		refs[i] = LinkPlaceholder(id)
	}
	return refs, nil
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// LinkRef names the link a message gives one recipient to one subject.
type LinkRef struct {
	Purpose   string
	Subject   string
	Recipient string
}

// WithoutLiveLink returns the refs for which no link is live at now (none
// made, or every one expired or revoked). A digest gives a fresh link to an
// item not yet due only when its recipient has none that works, so nothing it
// lists is out of reach. One statement, however many refs.
func (s *Store) WithoutLiveLink(ctx context.Context, refs []LinkRef, now time.Time) (map[LinkRef]bool, error) {
	missing := make(map[LinkRef]bool)
	if len(refs) == 0 {
		return missing, nil
	}
	purposes, subjects, recipients := make([]string, len(refs)), make([]string, len(refs)), make([]string, len(refs))
	for i, r := range refs {
		purposes[i], subjects[i], recipients[i] = r.Purpose, r.Subject, r.Recipient
	}
	rows, err := s.db.Query(ctx, `SELECT r.purpose, r.subject, r.recipient
		FROM unnest($1::text[], $2::text[], $3::text[]) AS r(purpose, subject, recipient)
		WHERE NOT EXISTS (SELECT 1 FROM link l WHERE l.subject = r.subject AND l.recipient = r.recipient
			AND l.purpose = r.purpose AND l.revoked_at IS NULL AND l.expires_at > $4)`,
		purposes, subjects, recipients, now)
	if err != nil {
		return nil, fmt.Errorf("find items of %s without a live link: %w", recipients[0], err)
	}
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (LinkRef, error) {
		var r LinkRef
		err := row.Scan(&r.Purpose, &r.Subject, &r.Recipient)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("find items of %s without a live link: %w", recipients[0], err)
	}
	for _, r := range got {
		missing[r] = true
	}
	return missing, nil
}

// RevokedByHand returns the refs whose latest link the secretariat revoked
// (by hand, or by replacing its recipient): whoever holds the item no
// longer holds a working link to it, and nothing sent since gave one back.
// A reminder leaves such an item out rather than mint a link the
// secretariat took away; a link sent on purpose afterwards (a handover, an
// invitation sent again) is the latest, and the item is reminded again.
// One statement, however many refs.
func (s *Store) RevokedByHand(ctx context.Context, refs []LinkRef) (map[LinkRef]bool, error) {
	out := make(map[LinkRef]bool)
	if len(refs) == 0 {
		return out, nil
	}
	purposes, subjects, recipients := make([]string, len(refs)), make([]string, len(refs)), make([]string, len(refs))
	for i, r := range refs {
		purposes[i], subjects[i], recipients[i] = r.Purpose, r.Subject, r.Recipient
	}
	rows, err := s.db.Query(ctx, `SELECT r.purpose, r.subject, r.recipient
		FROM unnest($1::text[], $2::text[], $3::text[]) AS r(purpose, subject, recipient)
		WHERE (SELECT l.revoked_cause IN ('secretariat', 'replaced') FROM link l
			WHERE l.subject = r.subject AND l.recipient = r.recipient AND l.purpose = r.purpose
			ORDER BY l.id DESC LIMIT 1)`, purposes, subjects, recipients)
	if err != nil {
		return nil, fmt.Errorf("find items of %s whose links were revoked: %w", recipients[0], err)
	}
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (LinkRef, error) {
		var r LinkRef
		err := row.Scan(&r.Purpose, &r.Subject, &r.Recipient)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("find items of %s whose links were revoked: %w", recipients[0], err)
	}
	for _, r := range got {
		out[r] = true
	}
	return out, nil
}
