package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"
)

// CreateSession opens a session for a secretariat user until expires and
// returns its id (256 random bits); only the id's hash is stored.
func (s *Store) CreateSession(ctx context.Context, email string, now, expires time.Time) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random session id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	_, err := s.db.Exec(ctx, `INSERT INTO web_session (id_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		HashToken(id), email, now, expires)
	if err != nil {
		return "", fmt.Errorf("create session for %s: %w", email, err)
	}
	return id, nil
}

// SessionUser returns the user of a live session, or ErrNotFound for an
// unknown, malformed or expired id.
func (s *Store) SessionUser(ctx context.Context, id string, now time.Time) (User, error) {
	if len(id) != TokenLength {
		return User{}, ErrNotFound
	}
	var u User
	err := s.db.QueryRow(ctx, `SELECT p.email, p.name, u.role, p.language, p.time_zone
		FROM web_session w JOIN secretariat_user u USING (email) JOIN person p USING (email)
		WHERE w.id_hash = $1 AND w.expires_at > $2`, HashToken(id), now).
		Scan(&u.Email, &u.Name, &u.Role, &u.Language, &u.TimeZone)
	if err != nil {
		return User{}, fmt.Errorf("load session: %w", notFound(err))
	}
	return u, nil
}

// DeleteSession ends a session (logout); an unknown id is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM web_session WHERE id_hash = $1`, HashToken(id)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// RecordLoginFailure notes a login attempt of email from a client address
// at a time. The portal records every attempt before it checks the
// password and clears it once the password proves right, so a burst of
// parallel guesses is counted in full before any of them is judged.
// Failures of email older than a day are dropped in the same statement: a
// guesser keeps the table small by itself.
func (s *Store) RecordLoginFailure(ctx context.Context, email, address string, at time.Time) error {
	_, err := s.db.Exec(ctx, `WITH pruned AS (DELETE FROM login_failure WHERE email = $1 AND at < $3::timestamptz - interval '1 day')
		INSERT INTO login_failure (email, address, at) VALUES ($1, $2, $3)`, email, address, at)
	if err != nil {
		return fmt.Errorf("record login failure for %s: %w", email, err)
	}
	return nil
}

// LoginCounts are the recent failed logins of one account.
type LoginCounts struct {
	// FromAddress counts the failures from the address asking.
	FromAddress int
	// Account counts the failures from every address, each address
	// counting at most the cap given: one address, however busy, weighs no
	// more than a few guesses against the account as a whole.
	Account int
}

// LoginFailures counts the failed logins of email since a time: from
// address, and from every address with each capped at perAddress.
func (s *Store) LoginFailures(ctx context.Context, email, address string, since time.Time, perAddress int) (LoginCounts, error) {
	var c LoginCounts
	err := s.db.QueryRow(ctx, `SELECT COALESCE(sum(n) FILTER (WHERE address = $2), 0), COALESCE(sum(least(n, $4)), 0)
		FROM (SELECT address, count(*) AS n FROM login_failure WHERE email = $1 AND at >= $3 GROUP BY address) AS per_address`,
		email, address, since, perAddress).Scan(&c.FromAddress, &c.Account)
	if err != nil {
		return LoginCounts{}, fmt.Errorf("count login failures for %s: %w", email, err)
	}
	return c, nil
}

// ClearLoginFailures forgets the failures of email from address after a
// good login from there; those from other addresses still count.
func (s *Store) ClearLoginFailures(ctx context.Context, email, address string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM login_failure WHERE email = $1 AND address = $2`, email, address); err != nil {
		return fmt.Errorf("clear login failures for %s: %w", email, err)
	}
	return nil
}

// PruneLogins deletes the failed logins recorded before a time and the
// sessions expired at now, returning how many rows of each went. The portal
// calls it at each good login; a scheduler may call it too.
func (s *Store) PruneLogins(ctx context.Context, failuresBefore, now time.Time) (failures, sessions int64, err error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM login_failure WHERE at < $1`, failuresBefore)
	if err != nil {
		return 0, 0, fmt.Errorf("prune login failures: %w", err)
	}
	failures = tag.RowsAffected()
	tag, err = s.db.Exec(ctx, `DELETE FROM web_session WHERE expires_at <= $1`, now)
	if err != nil {
		return failures, 0, fmt.Errorf("prune expired sessions: %w", err)
	}
	return failures, tag.RowsAffected(), nil
}

// WebSecret returns the secret stored under name, creating a random one the
// first time: every replica of the portal signs and checks form tokens with
// the same key.
func (s *Store) WebSecret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("random secret: %w", err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO web_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, b); err != nil {
		return nil, fmt.Errorf("create secret %s: %w", name, err)
	}
	var v []byte
	if err := s.db.QueryRow(ctx, `SELECT value FROM web_secret WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("read secret %s: %w", name, err)
	}
	return v, nil
}

// ClaimForm records the first use of a form nonce and reports whether this
// call was it. Run it in the transaction that stores the form's effect, so a
// second POST of the same form (a double click) waits for the first and then
// changes nothing.
func (s *Store) ClaimForm(ctx context.Context, nonce, purpose, subject, actor string) (bool, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO form_use (nonce, purpose, subject, actor) VALUES ($1, $2, $3, $4)
		ON CONFLICT (nonce) DO NOTHING`, nonce, purpose, subject, actor)
	if err != nil {
		return false, fmt.Errorf("claim form %s: %w", purpose, err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetFormResult keeps what a form produced (a submission id, a vote id), so
// a repeated POST can show the same confirmation.
func (s *Store) SetFormResult(ctx context.Context, nonce, result string) error {
	if _, err := s.db.Exec(ctx, `UPDATE form_use SET result = $2 WHERE nonce = $1`, nonce, result); err != nil {
		return fmt.Errorf("save form result: %w", err)
	}
	return nil
}

// FormResult returns the result saved for a nonce and whether its signal was
// sent; ErrNotFound when the nonce was never used.
func (s *Store) FormResult(ctx context.Context, nonce string) (result string, signalled bool, err error) {
	var at *time.Time
	err = s.db.QueryRow(ctx, `SELECT result, signalled_at FROM form_use WHERE nonce = $1`, nonce).Scan(&result, &at)
	if err != nil {
		return "", false, fmt.Errorf("load form %s: %w", nonce, notFound(err))
	}
	return result, at != nil, nil
}

// ClaimFormSignal makes one caller the sender of a form's signal: true for
// the first, false for any other until ReleaseFormSignal.
func (s *Store) ClaimFormSignal(ctx context.Context, nonce string, now time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE form_use SET signalled_at = $2 WHERE nonce = $1 AND signalled_at IS NULL`, nonce, now)
	if err != nil {
		return false, fmt.Errorf("claim signal of form: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseFormSignal gives the signal back after it failed to reach Temporal,
// so the person's retry sends it.
func (s *Store) ReleaseFormSignal(ctx context.Context, nonce string) error {
	if _, err := s.db.Exec(ctx, `UPDATE form_use SET signalled_at = NULL WHERE nonce = $1`, nonce); err != nil {
		return fmt.Errorf("release signal of form: %w", err)
	}
	return nil
}
