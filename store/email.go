package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
func (s *Store) QueueEmail(ctx context.Context, e Email) (queued bool, err error) {
	atts := e.Attachments
	if atts == nil {
		atts = []Attachment{}
	}
	b, err := json.Marshal(atts)
	if err != nil {
		return false, fmt.Errorf("encode attachments: %w", err)
	}
	tag, err := s.db.Exec(ctx, `INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text, body_html, attachments)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedup_key) DO NOTHING`,
		e.DedupKey, e.Recipient, e.Language, e.Kind, e.Subject, e.Text, e.HTML, b)
	if err != nil {
		return false, fmt.Errorf("queue e-mail %s: %w", e.DedupKey, err)
	}
	return tag.RowsAffected() == 1, nil
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
