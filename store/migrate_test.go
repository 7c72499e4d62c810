package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestMigrateTwiceAtOnceAppliesEachOnce(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewDatabase(t) // already migrated once
	pool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool.Close()
	_, err = pool.Exec(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	require.NoError(t, err)

	var wg sync.WaitGroup
	results := make([][]string, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = store.New(pool).Migrate(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i := range results {
		require.NoError(t, errs[i])
		total += len(results[i])
	}
	all, err := store.New(pool).PendingMigrations(ctx)
	require.NoError(t, err)
	require.Empty(t, all, "schema current after concurrent migrate")
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM schema_migration").Scan(&n))
	require.Equal(t, n, total, "each migration applied exactly once across the four runs")
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	require.NoError(t, s.Audit(ctx, "k1", "secretariat", "activity/2017-2018/G1A1", "created", map[string]string{"a": "b"}))
	require.NoError(t, s.Audit(ctx, "k1", "secretariat", "activity/2017-2018/G1A1", "created", nil), "a repeated key is harmless")
	entries, err := s.AuditLog(ctx, "activity/2017-2018/G1A1")
	require.NoError(t, err)
	require.Len(t, entries, 1)
	_, err = pool.Exec(ctx, "UPDATE audit_log SET action = 'x'")
	require.ErrorContains(t, err, "append-only")
	_, err = pool.Exec(ctx, "DELETE FROM audit_log")
	require.ErrorContains(t, err, "append-only")
}
