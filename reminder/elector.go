package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bienal/bienal/store"
)

// electionLock is the advisory lock whose holder sweeps ("bienal" + 2).
const electionLock int64 = 0x6269656e616c02

// ErrNotLeader is what a replica that does not hold the lock is told.
var ErrNotLeader = errors.New("not the reminder sweep leader")

// pingTimeout bounds the check that the leader's connection is still alive.
const pingTimeout = 5 * time.Second

// Elector is a gocron.Elector backed by a Postgres session advisory lock
// (store.TryLock): the leader is the replica holding it. Postgres releases
// the lock when its connection ends, so a replica that dies or loses its
// connection loses the leadership with it.
type Elector struct {
	pool   *pgxpool.Pool
	logger *slog.Logger

	mu   sync.Mutex
	lock *store.SessionLock // non-nil while leader
}

// NewElector returns an elector that campaigns on each IsLeader call.
func NewElector(pool *pgxpool.Pool, logger *slog.Logger) *Elector {
	if logger == nil {
		logger = slog.Default()
	}
	return &Elector{pool: pool, logger: logger}
}

// IsLeader returns nil when this replica holds the lock, taking it if free.
func (e *Elector) IsLeader(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lock != nil {
		pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
		err := e.lock.Alive(pingCtx)
		cancel()
		if err == nil {
			return nil
		}
		e.logger.Warn("reminder sweep leadership lost", "err", err)
		_ = e.lock.Release(context.Background())
		e.lock = nil
	}
	lock, got, err := store.TryLock(ctx, e.pool, electionLock)
	if err != nil {
		return fmt.Errorf("reminder election: %w", err)
	}
	if !got {
		return ErrNotLeader
	}
	e.logger.Info("reminder sweep leadership taken")
	e.lock = lock
	return nil
}

// Leader tells, without campaigning, whether this replica holds the lock.
func (e *Elector) Leader() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lock != nil
}

// PID is the Postgres server process holding the lock, 0 when not leader.
func (e *Elector) PID() uint32 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lock == nil {
		return 0
	}
	return e.lock.PID()
}

// Close gives up the leadership.
func (e *Elector) Close(ctx context.Context) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lock == nil {
		return
	}
	if err := e.lock.Release(ctx); err != nil {
		e.logger.Warn("give up reminder sweep leadership", "err", err)
	}
	e.lock = nil
}
