package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Attachment is a file carried by an e-mail, such as a calendar invitation.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Content     []byte `json:"content"`
}

// Email is a message to write before it is sent (ARCHITECTURE.md, decision 4).
type Email struct {
	DedupKey    string       `json:"dedup_key"`
	Recipient   string       `json:"recipient"`
	Language    string       `json:"language"`
	Kind        string       `json:"kind"`
	Subject     string       `json:"subject"`
	Text        string       `json:"text"`
	HTML        string       `json:"html"`
	Attachments []Attachment `json:"attachments"`
}

// QueueEmail writes the message row; a second call with the same dedup key
// changes nothing and reports false. Call it in the transaction of the state
// change that causes the message.
//
// The row never holds a working token. Links made for the message
// (CreateMailLink) are written as placeholders, and the row records the links
// they name, for ClaimEmails to mint their tokens at send time. A token that
// reached the message some other way (a page quoting the link its visitor
// came by) is replaced here by its link's placeholder.
func (s *Store) QueueEmail(ctx context.Context, e Email) (queued bool, err error) {
	links, err := s.scrubTokens(ctx, &e)
	if err != nil {
		return false, fmt.Errorf("queue e-mail %s: %w", e.DedupKey, err)
	}
	atts := e.Attachments
	if atts == nil {
		atts = []Attachment{}
	}
	b, err := json.Marshal(atts)
	if err != nil {
		return false, fmt.Errorf("encode attachments: %w", err)
	}
	tag, err := s.db.Exec(ctx, `INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text, body_html, attachments, links)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedup_key) DO NOTHING`,
		e.DedupKey, e.Recipient, e.Language, e.Kind, e.Subject, e.Text, e.HTML, b, links)
	if err != nil {
		return false, fmt.Errorf("queue e-mail %s: %w", e.DedupKey, err)
	}
	return tag.RowsAffected() == 1, nil
}

// scrubTokens replaces every live token in e by its link's placeholder and
// returns the links e's placeholders name. Calendar attachments are searched
// unfolded, and stored so when they change (delivery folds them again).
func (s *Store) scrubTokens(ctx context.Context, e *Email) ([]int64, error) {
	atts := make([]Attachment, len(e.Attachments))
	copy(atts, e.Attachments)
	for i, a := range atts {
		if IsCalendar(a.ContentType) {
			if u := UnfoldCalendar(a.Content); len(u) != len(a.Content) {
				atts[i].Content = u
			}
		}
	}
	texts := func(f func(string) string) {
		e.Subject, e.Text, e.HTML = f(e.Subject), f(e.Text), f(e.HTML)
		for i := range atts {
			if strings.HasPrefix(atts[i].ContentType, "text/") {
				atts[i].Content = []byte(f(string(atts[i].Content)))
			}
		}
	}
	candidates := map[string]bool{}
	texts(func(t string) string { tokenCandidates(t, candidates); return t })
	if len(candidates) > 0 {
		var hashes [][]byte
		byHash := map[string]string{}
		for c := range candidates {
			h := HashToken(c)
			hashes, byHash[string(h)] = append(hashes, h), c
		}
		rows, err := s.db.Query(ctx, "SELECT id, token_hash FROM link WHERE token_hash = ANY($1)", hashes)
		if err != nil {
			return nil, fmt.Errorf("find tokens in the message: %w", err)
		}
		var pairs []string
		var id int64
		var h []byte
		_, err = pgx.ForEachRow(rows, []any{&id, &h}, func() error {
			pairs = append(pairs, byHash[string(h)], LinkPlaceholder(id))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find tokens in the message: %w", err)
		}
		if len(pairs) > 0 {
			r := strings.NewReplacer(pairs...)
			texts(r.Replace)
			e.Attachments = atts
		}
	}
	seen := map[int64]bool{}
	var links []int64
	texts(func(t string) string {
		for _, m := range placeholderPattern.FindAllStringSubmatch(t, -1) {
			id, err := strconv.ParseInt(m[1], 10, 64)
			if err == nil && !seen[id] {
				seen[id] = true
				links = append(links, id)
			}
		}
		return t
	})
	if len(links) > 0 {
		e.Attachments = atts
	} else {
		links = []int64{}
	}
	slices.Sort(links)
	return links, nil
}

// EmailExists tells whether a message with this dedup key was already
// written. Callers that put a fresh link in a message check it first, so a
// retried step never replaces a link that was already e-mailed.
func (s *Store) EmailExists(ctx context.Context, dedupKey string) (bool, error) {
	var exists bool
	err := s.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM email WHERE dedup_key = $1)", dedupKey).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("check e-mail %s: %w", dedupKey, err)
	}
	return exists, nil
}

// ErrEmailWritten says a message's row appeared while its caller was
// composing it: an overlapping attempt wrote it first.
var ErrEmailWritten = errors.New("e-mail already written by another attempt")

// QueueNewEmail is QueueEmail for a message whose row must be new, because
// its caller made a link for it: a row written meanwhile by an overlapping
// attempt fails the call, so the caller's transaction rolls back and no link
// outlives the message that would have carried it.
func (s *Store) QueueNewEmail(ctx context.Context, e Email) error {
	queued, err := s.QueueEmail(ctx, e)
	if err != nil {
		return err
	}
	if !queued {
		return fmt.Errorf("queue e-mail %s: %w", e.DedupKey, ErrEmailWritten)
	}
	return nil
}
