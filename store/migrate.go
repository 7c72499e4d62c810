package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock key under which migrations run, so that
// two `bienal migrate` started together apply each migration once.
const migrationLock = 0x6269656e616c // "bienal"

type migration struct {
	version string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, under an advisory lock. It returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := migrations()
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var applied []string
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// A transaction-level lock: released when this transaction ends,
		// even if the process dies.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("take migration lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migration (
			version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("create schema_migration: %w", err)
		}
		done, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.version, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migration (version) VALUES ($1)", m.version); err != nil {
				return fmt.Errorf("record migration %s: %w", m.version, err)
			}
			applied = append(applied, m.version)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}

// PendingMigrations lists the migrations the database lacks; empty means the schema is current.
func (s *Store) PendingMigrations(ctx context.Context) ([]string, error) {
	pending, _, err := s.schemaVersions(ctx)
	return pending, err
}

// SchemaError says why a process cannot run on this database's schema:
// migrations it needs are missing, or the database has migrations it does
// not know, applied by a newer binary whose tables and rules this one would
// misread.
type SchemaError struct {
	Pending []string // in this binary, not applied
	Unknown []string // applied, not in this binary
}

func (e *SchemaError) Error() string {
	if len(e.Unknown) > 0 {
		return fmt.Sprintf("schema newer than this binary: the database has migrations %s that it does not know (run the bienal release that applied them)", strings.Join(e.Unknown, ", "))
	}
	return fmt.Sprintf("schema not current (run bienal migrate): pending migrations %s", strings.Join(e.Pending, ", "))
}

// CheckSchema returns a *SchemaError unless the database holds exactly the
// migrations of this binary. The long-running parts call it before they
// read any table, so that an unmigrated database is named as such rather
// than as the first missing relation.
func (s *Store) CheckSchema(ctx context.Context) error {
	pending, unknown, err := s.schemaVersions(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 || len(unknown) > 0 {
		return &SchemaError{Pending: pending, Unknown: unknown}
	}
	return nil
}

func (s *Store) schemaVersions(ctx context.Context) (pending, unknown []string, err error) {
	ms, err := migrations()
	if err != nil {
		return nil, nil, err
	}
	var exists bool
	if err := s.db.QueryRow(ctx, "SELECT to_regclass('schema_migration') IS NOT NULL").Scan(&exists); err != nil {
		return nil, nil, fmt.Errorf("check schema_migration: %w", err)
	}
	done := map[string]bool{}
	if exists {
		if done, err = appliedVersions(ctx, s.db); err != nil {
			return nil, nil, err
		}
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.version] = true
		if !done[m.version] {
			pending = append(pending, m.version)
		}
	}
	for v := range done {
		if !known[v] {
			unknown = append(unknown, v)
		}
	}
	sort.Strings(unknown)
	return pending, unknown, nil
}

func appliedVersions(ctx context.Context, db DB) (map[string]bool, error) {
	rows, err := db.Query(ctx, "SELECT version FROM schema_migration")
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	done := make(map[string]bool, len(versions))
	for _, v := range versions {
		done[v] = true
	}
	return done, nil
}
