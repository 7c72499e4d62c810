package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Outcomes of one delivery attempt, as email_attempt records them.
const (
	AttemptSent      = "sent"
	AttemptTemporary = "temporary"
	AttemptPermanent = "permanent"
	// AttemptUnknown is a connection lost after the message data was sent
	// and before the server answered: the message may have arrived.
	AttemptUnknown = "unknown"
)

// Statuses of a message.
const (
	EmailQueued  = "queued"
	EmailSending = "sending"
	EmailSent    = "sent"
	EmailFailed  = "failed"
)

// EmailNotifyChannel is the channel a due message is announced on.
const EmailNotifyChannel = "bienal_email"

// ClaimedEmail is a message a delivery worker holds for one attempt.
type ClaimedEmail struct {
	ID          int64
	DedupKey    string
	Recipient   string
	Language    string
	Kind        string
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
	// Attempts made since the message was last queued.
	Attempts           int
	QueuedAt           time.Time
	ResentAfterUnknown bool
	// Reclaimed says an earlier worker's lease expired: it may have sent the
	// message before it stopped, so this send is a resend after an unknown outcome.
	Reclaimed bool
	// Tokens are the tokens of this send, by the link their placeholder names
	// (LinkPlaceholder); Fill puts them in place.
	Tokens map[int64]string
}

// Fill replaces each placeholder of s that names one of the message's links
// by its token. A placeholder naming no link of the message stays as it is.
func (c ClaimedEmail) Fill(s string) string {
	if len(c.Tokens) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(c.Tokens))
	for id, token := range c.Tokens {
		pairs = append(pairs, LinkPlaceholder(id), token)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// EmailAttempt is one try at handing a message to the SMTP server.
type EmailAttempt struct {
	At             time.Time `json:"at"`
	Outcome        string    `json:"outcome"`
	SMTPCode       int       `json:"smtp_code,omitempty"`
	EnhancedStatus string    `json:"enhanced_status,omitempty"`
	Error          string    `json:"error,omitempty"`
}

// ClaimEmails takes up to limit messages due at now for one worker. A claim
// is a lease: the row is 'sending' until now+lease, and a worker that stops
// before recording the attempt gives the row back when the lease runs out.
// SKIP LOCKED lets several workers claim at once without sharing a row.
//
// The claim mints the tokens of the messages' links, in the same transaction,
// so that a message is never sent with a link that does not open: a token
// exists from the moment its message may be sent, and the row keeps it
// (link_tokens) only until the outcome of the send is settled, so that a
// resend after an unknown outcome carries the same link as the copy that may
// have arrived. A claimed message that already holds its tokens (a resend)
// reuses them.
func (s *Store) ClaimEmails(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]ClaimedEmail, error) {
	var claimed []ClaimedEmail
	err := s.InTx(ctx, func(tx *Store) error {
		var err error
		if claimed, err = tx.claimEmails(ctx, now, limit, lease); err != nil {
			return err
		}
		return tx.mintTokens(ctx, claimed)
	})
	if err != nil {
		return nil, fmt.Errorf("claim e-mails: %w", err)
	}
	return claimed, nil
}

// claimEmails is the claim itself; each message's Tokens hold the tokens it
// already has and an empty string for each link still to mint.
func (s *Store) claimEmails(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]ClaimedEmail, error) {
	rows, err := s.db.Query(ctx, `WITH due AS (
			SELECT id, status FROM email
			WHERE status IN ('queued', 'sending') AND next_attempt_at <= $1
			ORDER BY next_attempt_at, id LIMIT $2
			FOR UPDATE SKIP LOCKED)
		UPDATE email e SET status = 'sending', next_attempt_at = $3,
			resent_after_unknown = e.resent_after_unknown OR due.status = 'sending'
		FROM due WHERE e.id = due.id
		RETURNING e.id, e.dedup_key, e.recipient, e.language, e.kind, e.subject, e.body_text, e.body_html,
			e.attachments, e.attempts, e.queued_at, e.resent_after_unknown, due.status = 'sending',
			e.links, coalesce(e.link_tokens, '{}')`,
		now, limit, now.Add(lease))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ClaimedEmail, error) {
		var c ClaimedEmail
		var atts, tokens []byte
		var links []int64
		err := row.Scan(&c.ID, &c.DedupKey, &c.Recipient, &c.Language, &c.Kind, &c.Subject, &c.Text, &c.HTML,
			&atts, &c.Attempts, &c.QueuedAt, &c.ResentAfterUnknown, &c.Reclaimed, &links, &tokens)
		if err != nil {
			return c, err
		}
		if err := json.Unmarshal(atts, &c.Attachments); err != nil {
			return c, fmt.Errorf("decode attachments of e-mail %d: %w", c.ID, err)
		}
		c.Tokens = make(map[int64]string, len(links))
		var held map[string]string
		if err := json.Unmarshal(tokens, &held); err != nil {
			return c, fmt.Errorf("decode link tokens of e-mail %d: %w", c.ID, err)
		}
		for _, id := range links {
			if t, ok := held[strconv.FormatInt(id, 10)]; ok {
				c.Tokens[id] = t
			} else {
				c.Tokens[id] = "" // to mint
			}
		}
		return c, nil
	})
}

// mintTokens makes a token for every link of the claimed messages that has
// none for this message yet. A link row still without a token takes the new
// one; one whose token an earlier send may have delivered (a failed message
// retried) keeps it, and the new token goes to a copy of the row (same
// purpose, subject, recipient, expiry, revocation), so both copies of the
// message work. Only links of the message's recipient get a token: a
// placeholder copied into someone else's message opens nothing. A link
// named by two messages of the batch goes round again for the second.
func (tx *Store) mintTokens(ctx context.Context, claimed []ClaimedEmail) error { //nolint:revive // receiver-naming: tx, as this Store must be over a transaction
	for round := 0; round < 3; round++ {
		var emails, links []int64
		var hashes [][]byte
		var tokens []string
		taken := map[int64]int64{} // link: the message minting it this round
		for _, c := range claimed {
			for id, t := range c.Tokens {
				if _, ok := taken[id]; t != "" || ok {
					continue
				}
				token, err := newToken()
				if err != nil {
					return err
				}
				taken[id] = c.ID
				emails, links, hashes, tokens = append(emails, c.ID), append(links, id), append(hashes, HashToken(token)), append(tokens, token)
			}
		}
		if len(links) == 0 {
			break
		}
		rows, err := tx.db.Query(ctx, `WITH m AS (
				SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::text[]) AS m(email_id, link_id, hash, token)),
			target AS (
				SELECT m.*, l.token_hash IS NULL AS fresh, l.purpose, l.subject, l.recipient, l.expires_at, l.revoked_at
				FROM m JOIN email e ON e.id = m.email_id JOIN link l ON l.id = m.link_id AND l.recipient = e.recipient),
			fill AS (
				UPDATE link l SET token_hash = t.hash FROM target t WHERE t.fresh AND l.id = t.link_id
				RETURNING t.email_id, t.link_id, t.token),
			dup AS (
				INSERT INTO link (token_hash, purpose, subject, recipient, expires_at, revoked_at)
				SELECT hash, purpose, subject, recipient, expires_at, revoked_at FROM target WHERE NOT fresh
				RETURNING token_hash),
			made AS (
				SELECT email_id, link_id, token FROM fill
				UNION ALL SELECT t.email_id, t.link_id, t.token FROM dup c JOIN target t ON t.hash = c.token_hash),
			held AS (
				UPDATE email e SET link_tokens = coalesce(e.link_tokens, '{}') || h.tokens
				FROM (SELECT email_id, jsonb_object_agg(link_id::text, token) AS tokens FROM made GROUP BY email_id) h
				WHERE e.id = h.email_id)
			SELECT email_id, link_id, token FROM made`, emails, links, hashes, tokens)
		if err != nil {
			return fmt.Errorf("mint link tokens: %w", err)
		}
		made := map[[2]int64]string{}
		var email, link int64
		var token string
		if _, err := pgx.ForEachRow(rows, []any{&email, &link, &token}, func() error {
			made[[2]int64{email, link}] = token
			return nil
		}); err != nil {
			return fmt.Errorf("mint link tokens: %w", err)
		}
		for i := range claimed {
			c := &claimed[i]
			for id, t := range c.Tokens {
				if t != "" {
					continue
				}
				if token, ok := made[[2]int64{c.ID, id}]; ok {
					c.Tokens[id] = token
				} else if by, ok := taken[id]; ok && by == c.ID {
					// Not the recipient's link, or no such link: nothing to fill in.
					delete(c.Tokens, id)
				}
			}
		}
	}
	for i := range claimed {
		for id, t := range claimed[i].Tokens {
			if t == "" {
				delete(claimed[i].Tokens, id)
			}
		}
	}
	return nil
}

// EmailOutcome is one attempt at a message and the state it leaves the
// message in, for RecordEmailAttempts.
type EmailOutcome struct {
	ID      int64
	Attempt EmailAttempt
	// Status is EmailSent, EmailQueued (to retry at NextAttemptAt) or EmailFailed.
	Status        string
	NextAttemptAt time.Time
	// ResentAfterUnknown flags, for a message queued again, that the next
	// send may duplicate an earlier one that arrived without our knowing.
	ResentAfterUnknown bool
}

// MarkEmailSent records a successful attempt.
func (s *Store) MarkEmailSent(ctx context.Context, id int64, a EmailAttempt) error {
	return s.RecordEmailAttempts(ctx, []EmailOutcome{{ID: id, Attempt: a, Status: EmailSent}})
}

// MarkEmailRetry records a failed attempt and queues the message again at
// next. resentAfterUnknown flags that the next send may duplicate an earlier
// one that arrived without our knowing.
func (s *Store) MarkEmailRetry(ctx context.Context, id int64, a EmailAttempt, next time.Time, resentAfterUnknown bool) error {
	return s.RecordEmailAttempts(ctx, []EmailOutcome{{ID: id, Attempt: a, Status: EmailQueued,
		NextAttemptAt: next, ResentAfterUnknown: resentAfterUnknown}})
}

// MarkEmailFailed records the attempt after which the message is given up.
func (s *Store) MarkEmailFailed(ctx context.Context, id int64, a EmailAttempt) error {
	return s.RecordEmailAttempts(ctx, []EmailOutcome{{ID: id, Attempt: a, Status: EmailFailed}})
}

// RecordEmailAttempts writes the attempt rows of several messages and their
// new states in one statement, so that a batch sent over one connection
// costs one commit rather than one per message. Only rows still 'sending'
// change state. Bad input (an unknown status, an ID twice) changes nothing.
//
// The same statement settles the message's tokens: once it is sent or given
// up, the row drops them (they live on only as hashes). A message refused or
// not accepted, that no earlier send may have delivered, also has its tokens
// forgotten (the link row goes back to no token; a copy made for a retry is
// removed), since nobody holds them; its next send mints new ones. Only a
// message waiting for its resend after an unknown outcome keeps its tokens,
// so that the resend carries the same links as the copy that may have arrived.
func (s *Store) RecordEmailAttempts(ctx context.Context, outcomes []EmailOutcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	n := len(outcomes)
	ids, statuses, next, flags := make([]int64, n), make([]string, n), make([]time.Time, n), make([]bool, n)
	at, kinds, codes, enhanced, errs := make([]time.Time, n), make([]string, n), make([]*int, n), make([]*string, n), make([]*string, n)
	seen := make(map[int64]bool, n)
	for i, o := range outcomes {
		if o.Status != EmailSent && o.Status != EmailQueued && o.Status != EmailFailed {
			return fmt.Errorf("record e-mail attempts: outcome %d (e-mail %d): status %q is not one of sent, queued, failed", i, o.ID, o.Status)
		}
		if seen[o.ID] {
			return fmt.Errorf("record e-mail attempts: outcome %d: e-mail %d appears twice", i, o.ID)
		}
		seen[o.ID] = true
		ids[i], statuses[i], next[i], flags[i] = o.ID, o.Status, o.NextAttemptAt, o.ResentAfterUnknown
		a := o.Attempt
		at[i], kinds[i], codes[i], enhanced[i], errs[i] = a.At, a.Outcome, nullInt(a.SMTPCode), nullText(a.EnhancedStatus), nullText(a.Error)
	}
	// Waiting for the disk flush of every record would cost more than the
	// sends themselves, so this one statement turns it off for its own commit.
	// Only a crash of the database server (not of a worker) can then lose the
	// last fraction of a second of records; the lease brings those messages
	// back, resent under their Message-ID and flagged, as after any unknown
	// outcome. (A CTE that is only a SELECT runs only when referenced: hence FROM cfg.)
	_, err := s.db.Exec(ctx, `WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true)),
		o AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::boolean[], $5::timestamptz[],
				$6::text[], $7::integer[], $8::text[], $9::text[])
			WITH ORDINALITY AS o(id, status, next_at, flag, at, outcome, smtp_code, enhanced_status, error, n)),
		attempt AS (
			INSERT INTO email_attempt (email_id, at, outcome, smtp_code, enhanced_status, error)
			SELECT id, at, outcome, smtp_code, enhanced_status, error FROM o ORDER BY n),
		forget AS (
			SELECT t.key::bigint AS link_id, sha256(convert_to(t.value, 'UTF8')) AS hash
			FROM o JOIN email e ON e.id = o.id AND e.status = 'sending', jsonb_each_text(e.link_tokens) t
			WHERE o.status <> 'sent' AND o.outcome <> 'unknown' AND NOT o.flag AND NOT e.resent_after_unknown),
		unmint AS (
			UPDATE link l SET token_hash = NULL FROM forget f WHERE l.id = f.link_id AND l.token_hash = f.hash),
		uncopy AS (
			DELETE FROM link l USING forget f WHERE l.token_hash = f.hash AND l.id <> f.link_id)
		UPDATE email e SET status = o.status,
			sent_at = CASE WHEN o.status = 'sent' THEN o.at ELSE e.sent_at END,
			next_attempt_at = CASE WHEN o.status = 'queued' THEN o.next_at ELSE e.next_attempt_at END,
			resent_after_unknown = e.resent_after_unknown OR o.flag,
			attempts = e.attempts + 1, last_error = coalesce(o.error, e.last_error),
			link_tokens = CASE WHEN o.status = 'queued' AND (e.resent_after_unknown OR o.flag) THEN e.link_tokens END
		FROM o, cfg WHERE e.id = o.id AND e.status = 'sending'`,
		ids, statuses, next, flags, at, kinds, codes, enhanced, errs)
	if err != nil {
		if n == 1 {
			return fmt.Errorf("record %s attempt of e-mail %d: %w", outcomes[0].Attempt.Outcome, outcomes[0].ID, err)
		}
		return fmt.Errorf("record attempts of %d e-mails: %w", n, err)
	}
	return nil
}

func nullInt(v int) *int {
	if v == 0 {
		return nil
	}
	return &v
}

func nullText(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// EmailFilter selects messages for the e-mail log; empty fields match all.
type EmailFilter struct {
	Status    string
	Recipient string
	// Kind is one kind of message; Contains a text the recipient or the
	// subject holds, in any case.
	Kind, Contains string
	// Limit defaults to 100; Offset skips that many of the newest.
	Limit, Offset int
}

// emailWhere is the condition of an EmailFilter, over $1 to $4.
const emailWhere = `($1 = '' OR status = $1) AND ($2 = '' OR recipient = lower($2)) AND ($3 = '' OR kind = $3)
		AND ($4 = '' OR strpos(lower(recipient || ' ' || subject), lower($4)) > 0)`

// CountEmails counts the messages f matches, whatever its limit and offset.
func (s *Store) CountEmails(ctx context.Context, f EmailFilter) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM email WHERE `+emailWhere, f.Status, f.Recipient, f.Kind, f.Contains).Scan(&n); err != nil {
		return 0, fmt.Errorf("count e-mails: %w", err)
	}
	return n, nil
}

// EmailRow is a message as the e-mail log shows it, with its attempts.
type EmailRow struct {
	ID                 int64          `json:"id"`
	DedupKey           string         `json:"dedup_key"`
	Recipient          string         `json:"recipient"`
	Language           string         `json:"language"`
	Kind               string         `json:"kind"`
	Subject            string         `json:"subject"`
	Status             string         `json:"status"`
	Attempts           int            `json:"attempts"`
	NextAttemptAt      time.Time      `json:"next_attempt_at"`
	ResentAfterUnknown bool           `json:"resent_after_unknown"`
	LastError          string         `json:"last_error,omitempty"`
	CreatedAt          time.Time      `json:"created_at"`
	SentAt             *time.Time     `json:"sent_at,omitempty"`
	AttemptLog         []EmailAttempt `json:"attempt_log"`
	// Text and HTML are filled by GetEmail only.
	Text string `json:"text,omitempty"`
	HTML string `json:"html,omitempty"`
}

const emailRowColumns = `id, dedup_key, recipient, language, kind, subject, status, attempts, next_attempt_at,
	resent_after_unknown, coalesce(last_error, ''), created_at, sent_at`

func scanEmailRow(row pgx.CollectableRow) (EmailRow, error) {
	var e EmailRow
	err := row.Scan(&e.ID, &e.DedupKey, &e.Recipient, &e.Language, &e.Kind, &e.Subject, &e.Status, &e.Attempts,
		&e.NextAttemptAt, &e.ResentAfterUnknown, &e.LastError, &e.CreatedAt, &e.SentAt)
	return e, err
}

// ListEmails returns the newest messages matching f, each with its attempts.
func (s *Store) ListEmails(ctx context.Context, f EmailFilter) ([]EmailRow, error) {
	if f.Status != "" && f.Status != EmailQueued && f.Status != EmailSending && f.Status != EmailSent && f.Status != EmailFailed {
		return nil, fmt.Errorf("list e-mails: status %q is not one of queued, sending, sent, failed", f.Status)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.db.Query(ctx, `SELECT `+emailRowColumns+` FROM email WHERE `+emailWhere+`
		ORDER BY id DESC LIMIT $5 OFFSET $6`, f.Status, f.Recipient, f.Kind, f.Contains, f.Limit, max(f.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("list e-mails: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanEmailRow)
	if err != nil {
		return nil, fmt.Errorf("list e-mails: %w", err)
	}
	if err := s.loadAttempts(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

// GetEmail returns one message with its bodies and attempts.
func (s *Store) GetEmail(ctx context.Context, id int64) (EmailRow, error) {
	rows, err := s.db.Query(ctx, `SELECT `+emailRowColumns+`, body_text, body_html FROM email WHERE id = $1`, id)
	if err != nil {
		return EmailRow{}, fmt.Errorf("get e-mail %d: %w", id, err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (EmailRow, error) {
		var e EmailRow
		err := row.Scan(&e.ID, &e.DedupKey, &e.Recipient, &e.Language, &e.Kind, &e.Subject, &e.Status, &e.Attempts,
			&e.NextAttemptAt, &e.ResentAfterUnknown, &e.LastError, &e.CreatedAt, &e.SentAt, &e.Text, &e.HTML)
		return e, err
	})
	if err != nil {
		return EmailRow{}, fmt.Errorf("get e-mail %d: %w", id, notFound(err))
	}
	list := []EmailRow{e}
	if err := s.loadAttempts(ctx, list); err != nil {
		return EmailRow{}, err
	}
	return list[0], nil
}

func (s *Store) loadAttempts(ctx context.Context, list []EmailRow) error {
	ids := make([]int64, len(list))
	index := make(map[int64]int, len(list))
	for i, e := range list {
		ids[i] = e.ID
		index[e.ID] = i
		list[i].AttemptLog = []EmailAttempt{}
	}
	rows, err := s.db.Query(ctx, `SELECT email_id, at, outcome, coalesce(smtp_code, 0), coalesce(enhanced_status, ''),
		coalesce(error, '') FROM email_attempt WHERE email_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return fmt.Errorf("load e-mail attempts: %w", err)
	}
	var id int64
	var a EmailAttempt
	_, err = pgx.ForEachRow(rows, []any{&id, &a.At, &a.Outcome, &a.SMTPCode, &a.EnhancedStatus, &a.Error}, func() error {
		i := index[id]
		list[i].AttemptLog = append(list[i].AttemptLog, a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load e-mail attempts: %w", err)
	}
	return nil
}

// RetryEmail queues a failed message again, with a fresh retry window; any
// other status is refused, so a message is never sent twice by an operator.
// Its links get tokens again when it is claimed: a fresh one where the failed
// sends forgot theirs, and a second one beside a token that may have arrived.
func (s *Store) RetryEmail(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE email SET status = 'queued', next_attempt_at = now(), queued_at = now(),
		attempts = 0, failure_noticed_at = NULL WHERE id = $1 AND status = 'failed'`, id)
	if err != nil {
		return fmt.Errorf("retry e-mail %d: %w", id, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var status string
	err = s.db.QueryRow(ctx, "SELECT status FROM email WHERE id = $1", id).Scan(&status)
	if err != nil {
		return fmt.Errorf("retry e-mail %d: %w", id, notFound(err))
	}
	return fmt.Errorf("retry e-mail %d: it is %s, only a failed message can be retried", id, status)
}

// EmailCounts counts messages by status, every status present.
func (s *Store) EmailCounts(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{EmailQueued: 0, EmailSending: 0, EmailSent: 0, EmailFailed: 0}
	rows, err := s.db.Query(ctx, "SELECT status, count(*) FROM email GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("count e-mails: %w", err)
	}
	var status string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		counts[status] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count e-mails: %w", err)
	}
	return counts, nil
}

// ListenEmails calls wake each time a message becomes due, until ctx ends,
// so that delivery starts within moments instead of at the next poll. It
// needs a Store over a pool (a listening connection is held for itself) and
// reconnects after a lost connection, telling onError why.
func (s *Store) ListenEmails(ctx context.Context, wake func(), onError func(error)) error {
	pool, ok := s.db.(*pgxpool.Pool)
	if !ok {
		return errors.New("listen for e-mails: the store is not over a connection pool")
	}
	for {
		err := listenOnce(ctx, pool, wake)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // the listener was asked to stop: err is that, not a failure
		}
		onError(err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func listenOnce(ctx context.Context, pool *pgxpool.Pool, wake func()) error {
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("listen for e-mails: %w", err)
	}
	// A listening connection must not go back to the pool.
	conn := pc.Hijack()
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }() // a connection given up on
	if _, err := conn.Exec(ctx, "LISTEN "+EmailNotifyChannel); err != nil {
		return fmt.Errorf("listen for e-mails: %w", err)
	}
	// Rows queued before LISTEN took effect were not announced.
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for e-mail notification: %w", err)
		}
		wake()
	}
}

// FailedEmail is a failed message as the secretariat's notice lists it.
type FailedEmail struct {
	ID        int64
	Recipient string
	Kind      string
	Subject   string
	LastError string
	CreatedAt time.Time
}

// NoticeRecipient is a secretariat user who receives failure notices.
type NoticeRecipient struct {
	Email    string
	Name     string
	Language string
}

// FailureNoticeKind is the kind of the secretariat's daily notice of failed
// messages; such notices are never listed in a later notice.
const FailureNoticeKind = "failure_notice"

// QueueFailureNotices writes, at most once per day, one notice to every
// secretariat user listing the failed messages no notice has listed yet;
// compose renders the message for one recipient. Messages failing after the
// day's notice wait for the next day's. It returns the notices written.
// Several workers may call it at once: an advisory lock puts them in turn and
// the dedup key failure-notice/<day>/<recipient> keeps the day's notice single.
func (s *Store) QueueFailureNotices(ctx context.Context, day string, now time.Time,
	compose func(NoticeRecipient, []FailedEmail) (Email, error)) (int, error) {
	queued := 0
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('bienal failure notice'))"); err != nil {
			return fmt.Errorf("lock failure notices: %w", err)
		}
		var done bool
		err := tx.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM email WHERE kind = $1 AND dedup_key LIKE $2)",
			FailureNoticeKind, "failure-notice/"+day+"/%").Scan(&done)
		if err != nil || done {
			return err
		}
		failed, err := tx.unnoticedFailures(ctx)
		if err != nil || len(failed) == 0 {
			return err
		}
		rows, err := tx.db.Query(ctx, `SELECT p.email, p.name, p.language FROM secretariat_user s
			JOIN person p ON p.email = s.email ORDER BY p.email`)
		if err != nil {
			return fmt.Errorf("list secretariat: %w", err)
		}
		recipients, err := pgx.CollectRows(rows, pgx.RowToStructByPos[NoticeRecipient])
		if err != nil {
			return fmt.Errorf("list secretariat: %w", err)
		}
		if len(recipients) == 0 {
			return errors.New("queue failure notice: no secretariat user to tell")
		}
		for _, r := range recipients {
			e, err := compose(r, failed)
			if err != nil {
				return err
			}
			e.Kind, e.Recipient, e.DedupKey = FailureNoticeKind, r.Email, "failure-notice/"+day+"/"+r.Email
			if _, err := tx.QueueEmail(ctx, e); err != nil {
				return err
			}
			queued++
		}
		ids := make([]int64, len(failed))
		for i, f := range failed {
			ids[i] = f.ID
		}
		_, err = tx.db.Exec(ctx, "UPDATE email SET failure_noticed_at = $2 WHERE id = ANY($1)", ids, now)
		if err != nil {
			return fmt.Errorf("mark failures noticed: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue failure notices for %s: %w", day, err)
	}
	return queued, nil
}

func (s *Store) unnoticedFailures(ctx context.Context) ([]FailedEmail, error) {
	rows, err := s.db.Query(ctx, `SELECT id, recipient, kind, subject, coalesce(last_error, ''), created_at
		FROM email WHERE status = 'failed' AND failure_noticed_at IS NULL AND kind <> $1 ORDER BY id`, FailureNoticeKind)
	if err != nil {
		return nil, fmt.Errorf("list failed e-mails: %w", err)
	}
	failed, err := pgx.CollectRows(rows, pgx.RowToStructByPos[FailedEmail])
	if err != nil {
		return nil, fmt.Errorf("list failed e-mails: %w", err)
	}
	return failed, nil
}

// ReleaseEmails gives claimed messages that were never attempted back to
// the queue, due now and unflagged, provided the claim that ends at
// leaseEnd still holds them: a worker stopping, or one whose batch has used
// half its lease, hands the rest on instead of making them wait for the
// lease or racing another worker.
func (s *Store) ReleaseEmails(ctx context.Context, ids []int64, leaseEnd time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	// Their tokens are forgotten unless an earlier worker may have sent them.
	_, err := s.db.Exec(ctx, `WITH r AS (
			SELECT id, link_tokens, resent_after_unknown FROM email
			WHERE id = ANY($1) AND status = 'sending' AND next_attempt_at = $2 FOR UPDATE),
		forget AS (
			SELECT t.key::bigint AS link_id, sha256(convert_to(t.value, 'UTF8')) AS hash
			FROM r, jsonb_each_text(r.link_tokens) t WHERE NOT r.resent_after_unknown),
		unmint AS (
			UPDATE link l SET token_hash = NULL FROM forget f WHERE l.id = f.link_id AND l.token_hash = f.hash),
		uncopy AS (
			DELETE FROM link l USING forget f WHERE l.token_hash = f.hash AND l.id <> f.link_id)
		UPDATE email e SET status = 'queued', next_attempt_at = now(),
			link_tokens = CASE WHEN r.resent_after_unknown THEN e.link_tokens END
		FROM r WHERE e.id = r.id`, ids, leaseEnd)
	if err != nil {
		return fmt.Errorf("release %d e-mails: %w", len(ids), err)
	}
	return nil
}
