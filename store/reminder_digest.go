package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ExistingEmails returns which of the dedup keys already have an e-mail row,
// in one statement: a sweep asks once for all its digests rather than once
// for each.
func (s *Store) ExistingEmails(ctx context.Context, keys []string) (map[string]bool, error) {
	found := make(map[string]bool)
	if len(keys) == 0 {
		return found, nil
	}
	rows, err := s.db.Query(ctx, `SELECT dedup_key FROM email WHERE dedup_key = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("check %d e-mails: %w", len(keys), err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check %d e-mails: %w", len(keys), err)
	}
	for _, k := range got {
		found[k] = true
	}
	return found, nil
}
