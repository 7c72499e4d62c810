package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// FormFlash is a form's answer carried across a redirect, so that a page
// reached by GET can show what was typed, what was wrong and what was done
// (Post/Redirect/Get: Back and reload never send a form again).
type FormFlash struct {
	// Path is the page that shows it; Target the row of that page the form
	// belongs to (a task's code/country, or a form's name), "" for none.
	Path   string
	Target string
	Values map[string]string
	// Errors are the messages beside each field, already in the language
	// of the page the form was sent from.
	Errors map[string]string
	// Notice is the key of a message above the form, with its arguments;
	// Failed marks it as a refusal rather than a confirmation.
	Notice     string
	NoticeArgs []string
	Failed     bool
}

// FlashTTL is how long a form's answer can be shown again.
const FlashTTL = time.Hour

// MaxFlashValues bounds what a flash keeps of the typed text, in bytes of
// JSON: a secretariat form is far smaller, and a form sent without a session
// must not be a way to fill the table.
const MaxFlashValues = 256 << 10

// SaveFlash stores f bound to binding (a session's or a kept form's secret)
// and returns its id, to carry in the address redirected to. Expired
// flashes are dropped in the same statement.
func (s *Store) SaveFlash(ctx context.Context, binding string, f FormFlash, now time.Time) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random flash id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	values, err := json.Marshal(nonNil(f.Values))
	if err != nil {
		return "", fmt.Errorf("encode form values: %w", err)
	}
	if len(values) > MaxFlashValues {
		return "", fmt.Errorf("%w: form values of %d bytes, at most %d are kept", ErrInvalid, len(values), MaxFlashValues)
	}
	errs, err := json.Marshal(nonNil(f.Errors))
	if err != nil {
		return "", fmt.Errorf("encode form errors: %w", err)
	}
	args := f.NoticeArgs
	if args == nil {
		args = []string{}
	}
	argsJSON, err := json.Marshal(args)
	if err != nil {
		return "", fmt.Errorf("encode notice: %w", err)
	}
	_, err = s.db.Exec(ctx, `WITH pruned AS (DELETE FROM form_flash WHERE expires_at < $10)
		INSERT INTO form_flash (id, binding_hash, path, target, form_values, form_errors, notice, notice_args, failed, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		id, HashToken(binding), f.Path, f.Target, values, errs, f.Notice, argsJSON, f.Failed, now, now.Add(FlashTTL))
	if err != nil {
		return "", fmt.Errorf("save form flash for %s: %w", f.Path, err)
	}
	return id, nil
}

// Flash returns the flash id names if it is bound to binding and live;
// ErrNotFound otherwise, so an id taken from another session shows nothing.
func (s *Store) Flash(ctx context.Context, id, binding string, now time.Time) (FormFlash, error) {
	var f FormFlash
	var args []string
	err := s.db.QueryRow(ctx, `SELECT path, target, form_values, form_errors, notice, notice_args, failed
		FROM form_flash WHERE id = $1 AND binding_hash = $2 AND expires_at > $3`, id, HashToken(binding), now).
		Scan(&f.Path, &f.Target, &f.Values, &f.Errors, &f.Notice, &args, &f.Failed)
	if err != nil {
		return FormFlash{}, fmt.Errorf("load form flash: %w", notFound(err))
	}
	f.NoticeArgs = args
	return f, nil
}

// KeptFlash returns the live flash bound to binding, the newest, and binds
// it to to: a form kept while its session had expired becomes the new
// session's when its author signs in again. ErrNotFound when none is kept.
func (s *Store) KeptFlash(ctx context.Context, binding, to string, now time.Time) (string, FormFlash, error) {
	var id string
	err := s.db.QueryRow(ctx, `UPDATE form_flash SET binding_hash = $2 WHERE id = (
			SELECT id FROM form_flash WHERE binding_hash = $1 AND expires_at > $3 ORDER BY created_at DESC LIMIT 1)
		RETURNING id`, HashToken(binding), HashToken(to), now).Scan(&id)
	if err != nil {
		return "", FormFlash{}, fmt.Errorf("take kept form: %w", notFound(err))
	}
	f, err := s.Flash(ctx, id, to, now)
	return id, f, err
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
