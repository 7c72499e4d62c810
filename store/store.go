// Package store owns every SQL statement bienal runs, and the migrations that
// shape the database. Other packages call its methods; none of them writes SQL.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is what every lookup returns when no row matches.
var ErrNotFound = errors.New("not found")

// ErrInvalid wraps a change refused for its input (a date, a missing
// reason): asking again with the same input cannot succeed.
var ErrInvalid = errors.New("invalid")

// DB is what both a pool and a transaction offer, so the same methods run
// alone or as one step of a larger transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Store runs SQL on a DB.
type Store struct {
	db DB
}

// New returns a Store over a pool or a transaction.
func New(db DB) *Store { return &Store{db: db} }

// DefaultMaxConns is the pool size when DATABASE_URL sets no pool_max_conns.
// pgx's own default, max(4, CPUs), makes the portal's concurrent page loads
// and form posts queue for four connections behind the worker's queries,
// while each request holds a connection only for a few short statements.
const DefaultMaxConns = 25

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres at %s: %w", cfg.ConnConfig.Host, err)
	}
	return pool, nil
}

// InTx runs fn in one transaction: every write fn makes commits together or not at all.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		return fn(New(tx))
	})
}

// Ping checks that Postgres answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRow(ctx, "SELECT 1").Scan(&one)
}

func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// IsUniqueViolation tells whether err is a unique-key conflict, the way the
// database refuses a second "one X per Y".
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
