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

// Pool sizes when DATABASE_URL sets no pool_max_conns, one per kind of
// process. Together they are a budget: three workers, one portal and four
// commands at once, beside a Temporal server with the pools the README
// gives, stay under PostgreSQL's default max_connections of 100 (README,
// "Connection budget"); with 25 each, as before, three workers and a portal
// alone took all 100.
const (
	// DefaultMaxConns is `bienal dev`'s, a portal and a worker in one
	// process, and the size when a caller names none. pgx's own default,
	// max(4, CPUs), makes the portal's concurrent page loads and form posts
	// queue for four connections behind the worker's queries, while each
	// request holds a connection only for a few short statements.
	DefaultMaxConns = 25
	// PortalMaxConns is `bienal web`'s: sixteen requests at once in the
	// database, each for a few short statements.
	PortalMaxConns = 16
	// WorkerMaxConns is `bienal worker`'s, for activities, delivery and the
	// scheduler's jobs. A worker holds two more connections outside its pool:
	// the e-mail LISTEN and, on the leader, the scheduler's lock.
	WorkerMaxConns = 8
	// CommandMaxConns is every other command's: each runs its statements
	// one after another.
	CommandMaxConns = 2
)

// Open connects to url and checks the connection. maxConns sizes the pool
// unless url sets pool_max_conns; 0 means DefaultMaxConns.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = maxConns
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
