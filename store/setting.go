package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Setting is one value that every process of a deployment reads from
// Postgres rather than from its own environment.
type Setting struct {
	Value string    `json:"value"`
	SetBy string    `json:"set_by"`
	SetAt time.Time `json:"set_at"`
}

// DeploymentSubject is the audit log's subject for changes to the
// deployment's settings.
const DeploymentSubject = "deployment"

// BaseURL returns the deployment's public URL, the start of every e-mailed
// link. ErrNotFound means none is stored yet, or the schema predates the
// setting (a database `bienal migrate` has not reached).
func (s *Store) BaseURL(ctx context.Context) (Setting, error) {
	var st Setting
	err := s.db.QueryRow(ctx, `SELECT value, set_by, set_at FROM deployment_setting WHERE name = 'base_url'`).
		Scan(&st.Value, &st.SetBy, &st.SetAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return Setting{}, ErrNotFound
	}
	if err != nil {
		return Setting{}, fmt.Errorf("read the deployment's base URL: %w", notFound(err))
	}
	return st, nil
}

// ClaimBaseURL stores url as the deployment's public URL unless one is
// stored already, and returns the one stored: the first process to claim
// decides, and every later one learns what was decided.
func (s *Store) ClaimBaseURL(ctx context.Context, url, by string) (Setting, error) {
	if _, err := s.db.Exec(ctx, `INSERT INTO deployment_setting (name, value, set_by) VALUES ('base_url', $1, $2)
		ON CONFLICT (name) DO NOTHING`, url, by); err != nil {
		return Setting{}, fmt.Errorf("store the deployment's base URL: %w", err)
	}
	// A new statement, so a claim that waited on another one's insert sees it.
	return s.BaseURL(ctx)
}

// MoveBaseURL makes url the deployment's public URL and records a change
// of URL in the audit log, in one transaction. It returns the URL it replaced
// (empty when there was none).
func (s *Store) MoveBaseURL(ctx context.Context, url, by string) (previous string, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		if err := tx.db.QueryRow(ctx, `SELECT value FROM deployment_setting WHERE name = 'base_url' FOR UPDATE`).Scan(&previous); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read the deployment's base URL: %w", err)
		}
		if previous == url {
			return nil
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO deployment_setting (name, value, set_by) VALUES ('base_url', $1, $2)
			ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, set_by = EXCLUDED.set_by, set_at = now()`, url, by); err != nil {
			return fmt.Errorf("store the deployment's base URL: %w", err)
		}
		if previous == "" {
			return nil // a first URL is a claim, not a move
		}
		return tx.Audit(ctx, "", by, DeploymentSubject, "base_url_moved", map[string]string{"from": previous, "to": url})
	})
	return previous, err
}
