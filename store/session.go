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
	err := s.db.QueryRow(ctx, `SELECT p.email, p.name, u.role, p.language
		FROM web_session w JOIN secretariat_user u USING (email) JOIN person p USING (email)
		WHERE w.id_hash = $1 AND w.expires_at > $2`, HashToken(id), now).
		Scan(&u.Email, &u.Name, &u.Role, &u.Language)
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

// RecordLoginFailure notes a failed login for email at a time.
func (s *Store) RecordLoginFailure(ctx context.Context, email string, at time.Time) error {
	if _, err := s.db.Exec(ctx, `INSERT INTO login_failure (email, at) VALUES ($1, $2)`, email, at); err != nil {
		return fmt.Errorf("record login failure for %s: %w", email, err)
	}
	return nil
}

// LoginFailures counts the failed logins for email since a time.
func (s *Store) LoginFailures(ctx context.Context, email string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM login_failure WHERE email = $1 AND at >= $2`, email, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count login failures for %s: %w", email, err)
	}
	return n, nil
}

// ClearLoginFailures forgets the failures of email after a good login.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM login_failure WHERE email = $1`, email); err != nil {
		return fmt.Errorf("clear login failures for %s: %w", email, err)
	}
	return nil
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
