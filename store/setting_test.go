package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// The first process to claim the public URL decides it; every later claim,
// concurrent or not, gets the stored one back; only a move changes it, and
// the move is audited.
func TestBaseURLFirstClaimDecidesAndMoveIsAudited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := storetest.New(t)

	_, err := s.BaseURL(ctx)
	require.ErrorIs(t, err, store.ErrNotFound, "nothing stored on a fresh database")

	var wg sync.WaitGroup
	got := make([]store.Setting, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := "https://bienal.example.org"
			if i%2 == 1 {
				url = "http://127.0.0.1:8080"
			}
			got[i], errs[i] = s.ClaimBaseURL(ctx, url, "worker")
		}()
	}
	wg.Wait()
	for i := range got {
		require.NoError(t, errs[i])
		require.Equal(t, got[0].Value, got[i].Value, "every claim learns the one stored")
	}

	first := got[0].Value
	again, err := s.ClaimBaseURL(ctx, "https://elsewhere.example.org", "migrate")
	require.NoError(t, err)
	require.Equal(t, first, again.Value, "a later claim changes nothing")

	prev, err := s.MoveBaseURL(ctx, "https://bienal.cepal.org", "migrate")
	require.NoError(t, err)
	require.Equal(t, first, prev)
	st, err := s.BaseURL(ctx)
	require.NoError(t, err)
	require.Equal(t, "https://bienal.cepal.org", st.Value)
	require.Equal(t, "migrate", st.SetBy)
	log, err := s.AuditLog(ctx, store.DeploymentSubject)
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, "base_url_moved", log[0].Action)
	require.JSONEq(t, `{"from":"`+first+`","to":"https://bienal.cepal.org"}`, string(log[0].Detail))

	_, err = s.MoveBaseURL(ctx, "https://bienal.cepal.org", "migrate")
	require.NoError(t, err)
	log, err = s.AuditLog(ctx, store.DeploymentSubject)
	require.NoError(t, err)
	require.Len(t, log, 1, "moving to the same URL is no move")
}

// A database that `bienal migrate` has not brought to the setting's
// migration has no URL stored, rather than a failing query.
func TestBaseURLBeforeItsMigrationIsNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, "DROP TABLE deployment_setting")
	require.NoError(t, err)
	_, err = s.BaseURL(ctx)
	require.ErrorIs(t, err, store.ErrNotFound)
}

// CheckSchema tells apart a database that lacks migrations from one that
// has migrations this binary does not know, and names the step for each.
func TestCheckSchemaNamesWhatIsWrong(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	require.NoError(t, s.CheckSchema(ctx))

	_, err := pool.Exec(ctx, "DELETE FROM schema_migration WHERE version = '0120_deployment_setting'")
	require.NoError(t, err)
	err = s.CheckSchema(ctx)
	var se *store.SchemaError
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, []string{"0120_deployment_setting"}, se.Pending)
	require.EqualError(t, err, "schema not current (run bienal migrate): pending migrations 0120_deployment_setting")

	_, err = pool.Exec(ctx, "INSERT INTO schema_migration (version) VALUES ('0120_deployment_setting'), ('9990_from_the_future')")
	require.NoError(t, err)
	err = s.CheckSchema(ctx)
	require.ErrorContains(t, err, "schema newer than this binary: the database has migrations 9990_from_the_future")

	_, err = pool.Exec(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	require.NoError(t, err)
	err = s.CheckSchema(ctx)
	require.ErrorContains(t, err, "schema not current (run bienal migrate): pending migrations 0001_schema, ")
}

// The pool size a process asks for holds unless DATABASE_URL sets one.
func TestOpenSizesThePoolUnlessTheURLDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storetest.NewDatabase(t)
	for _, c := range []struct {
		url  string
		ask  int32
		want int32
	}{
		{url, store.CommandMaxConns, store.CommandMaxConns},
		{url, 0, store.DefaultMaxConns},
		{url + "&pool_max_conns=5", store.WorkerMaxConns, 5},
	} {
		pool, err := store.Open(ctx, c.url, c.ask)
		require.NoError(t, err)
		require.Equal(t, c.want, pool.Config().MaxConns, "%s asking %d", c.url, c.ask)
		pool.Close()
	}
}
