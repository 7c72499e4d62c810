package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ResendKinds are the messages the secretariat may send again: the
// invitations, each carrying a personal link (a report task's, a vote's, a
// call for proposals'). Their names are mail's kinds (a test holds them
// equal); store cannot import mail, which imports store.
var ResendKinds = []string{"task_invitation", "vote_request", "call_for_proposals"}

// ErrResendRefused is a message that cannot be sent again: not an
// invitation, or what it invites to is over.
var ErrResendRefused = errors.New("cannot be sent again")

// Resent is a message sent again.
type Resent struct {
	ID       int64 `json:"id"`
	Original int64 `json:"original"`
	// Links are the fresh links the new message carries.
	Links int `json:"links"`
}

// ResendEmail writes a new message with the contents of invitation id and
// a fresh link in place of each of its links (same purpose, subject,
// recipient and expiry), audited, in one transaction; delivery sends it as
// any other. The original is left as it is, its links still valid. It is
// refused with ErrResendRefused, writing nothing, for a message that is no
// invitation, or whose link has expired or was revoked by what closed its
// subject (a task waived, a round decided): a link the secretariat revoked
// by hand may be sent again fresh, since that is how a message gone astray
// is replaced.
func (s *Store) ResendEmail(ctx context.Context, id int64, by string, now time.Time) (Resent, error) {
	var out Resent
	err := s.InTx(ctx, func(tx *Store) error {
		var e Email
		var atts []byte
		var links []int64
		err := tx.db.QueryRow(ctx, `SELECT recipient, language, kind, subject, body_text, body_html, attachments, links
			FROM email WHERE id = $1 FOR UPDATE`, id).
			Scan(&e.Recipient, &e.Language, &e.Kind, &e.Subject, &e.Text, &e.HTML, &atts, &links)
		if err != nil {
			return fmt.Errorf("load e-mail %d: %w", id, notFound(err))
		}
		if !slices.Contains(ResendKinds, e.Kind) {
			return fmt.Errorf("e-mail %d is a %s, not an invitation: %w", id, e.Kind, ErrResendRefused)
		}
		if len(links) == 0 {
			return fmt.Errorf("e-mail %d carries no personal link: %w", id, ErrResendRefused)
		}
		if err := json.Unmarshal(atts, &e.Attachments); err != nil {
			return fmt.Errorf("read the attachments of e-mail %d: %w", id, err)
		}
		pairs, subject, err := tx.freshLinks(ctx, id, links, now)
		if err != nil {
			return err
		}
		r := strings.NewReplacer(pairs...)
		e.Subject, e.Text, e.HTML = r.Replace(e.Subject), r.Replace(e.Text), r.Replace(e.HTML)
		for i, a := range e.Attachments {
			if strings.HasPrefix(a.ContentType, "text/") {
				c := a.Content
				if IsCalendar(a.ContentType) {
					c = UnfoldCalendar(c)
				}
				e.Attachments[i].Content = []byte(r.Replace(string(c)))
			}
		}
		var n int
		if err := tx.db.QueryRow(ctx, `SELECT count(*) FROM email WHERE dedup_key LIKE $1`, "resend/"+strconv.FormatInt(id, 10)+"/%").Scan(&n); err != nil {
			return fmt.Errorf("count the resends of e-mail %d: %w", id, err)
		}
		e.DedupKey = fmt.Sprintf("resend/%d/%d", id, n+1)
		if _, err := tx.QueueEmail(ctx, e); err != nil {
			return err
		}
		if err := tx.db.QueryRow(ctx, `SELECT id FROM email WHERE dedup_key = $1`, e.DedupKey).Scan(&out.ID); err != nil {
			return fmt.Errorf("find the resent e-mail: %w", err)
		}
		out.Original, out.Links = id, len(pairs)/2
		return tx.Audit(ctx, "", by, subject, "email_resent",
			map[string]any{"email": id, "new_email": out.ID, "recipient": e.Recipient, "kind": e.Kind})
	})
	return out, err
}

// freshLinks makes a new link for each of the links a message names and
// returns the replacements of their placeholders, and the subject of the
// links (what the audit line is about).
func (s *Store) freshLinks(ctx context.Context, id int64, links []int64, now time.Time) ([]string, string, error) {
	rows, err := s.db.Query(ctx, `SELECT id, purpose, subject, recipient, expires_at, revoked_at FROM link WHERE id = ANY($1) ORDER BY id`, links)
	if err != nil {
		return nil, "", fmt.Errorf("load the links of e-mail %d: %w", id, err)
	}
	type row struct {
		id int64
		l  Link
	}
	var found []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.l.Purpose, &r.l.Subject, &r.l.Recipient, &r.l.ExpiresAt, &r.l.RevokedAt); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("load the links of e-mail %d: %w", id, err)
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("load the links of e-mail %d: %w", id, err)
	}
	var pairs []string
	subject := ""
	for _, r := range found {
		if !now.Before(r.l.ExpiresAt) {
			return nil, "", fmt.Errorf("the link of e-mail %d expired on %s: %w", id, r.l.ExpiresAt.Format(time.DateOnly), ErrResendRefused)
		}
		if r.l.RevokedAt != nil {
			byHand, err := s.revokedBySecretariat(ctx, r.l)
			if err != nil {
				return nil, "", err
			}
			if !byHand {
				return nil, "", fmt.Errorf("%s is over (its links were revoked on %s): %w", r.l.Subject, r.l.RevokedAt.Format(time.DateOnly), ErrResendRefused)
			}
		}
		ref, err := s.CreateMailLink(ctx, r.l.Purpose, r.l.Subject, r.l.Recipient, r.l.ExpiresAt)
		if err != nil {
			return nil, "", err
		}
		pairs = append(pairs, LinkPlaceholder(r.id), ref)
		subject = r.l.Subject
	}
	return pairs, subject, nil
}
