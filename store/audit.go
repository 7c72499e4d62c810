package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID      int64           `json:"id"`
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	Subject string          `json:"subject"`
	Action  string          `json:"action"`
	Detail  json.RawMessage `json:"detail"`
	// ActorName is the directory's name for the actor, when the actor is
	// a person's address; empty otherwise.
	ActorName string `json:"actor_name,omitempty"`
}

// Audit appends an entry. A non-empty dedupKey makes a retried call record it
// once: activities retried by Temporal never double a line.
func (s *Store) Audit(ctx context.Context, dedupKey, actor, subject, action string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("encode audit detail: %w", err)
	}
	var key *string
	if dedupKey != "" {
		key = &dedupKey
	}
	_, err = s.db.Exec(ctx, `INSERT INTO audit_log (actor, subject, action, detail, dedup_key)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dedup_key) DO NOTHING`, actor, subject, action, b, key)
	if err != nil {
		return fmt.Errorf("append audit %s %s: %w", subject, action, err)
	}
	return nil
}

// AuditLog returns the entries about subject, oldest first.
func (s *Store) AuditLog(ctx context.Context, subject string) ([]AuditEntry, error) {
	rows, err := s.db.Query(ctx, `SELECT a.id, a.at, a.actor, a.subject, a.action, a.detail, coalesce(p.name, '')
		FROM audit_log a LEFT JOIN person p ON p.email = a.actor WHERE a.subject = $1 ORDER BY a.id`, subject)
	if err != nil {
		return nil, fmt.Errorf("read audit log of %s: %w", subject, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AuditEntry])
}
