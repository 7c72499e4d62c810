package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/devserver"
)

// With no PostgreSQL where the default URL points, `bienal dev` makes a
// private cluster under its data directory when initdb and pg_ctl exist,
// and finds it again on the next start.
func TestDevStartsAPrivateCluster(t *testing.T) {
	if _, err := exec.LookPath("initdb"); err != nil {
		t.Skip("initdb is not installed: the private cluster is not available here")
	}
	ctx := context.Background()
	url := "postgres://postgres@" + freeAddr(t) + "/bienal?sslmode=disable"
	dir := t.TempDir()
	// PostgreSQL refuses to run as root; as root, bienal runs it as the
	// postgres user, who must be able to reach the data directory.
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		require.NoError(t, os.Chmod(d, 0o755))
	}
	pg, err := devserver.FindPostgres(ctx, url, false, dir)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(pg.Origin, "private cluster"), pg.Origin)
	conn, err := pgx.Connect(ctx, pg.URL)
	require.NoError(t, err, "the database bienal exists in the new cluster")
	require.NoError(t, conn.Close(ctx))
	require.NoError(t, pg.Stop())

	again, err := devserver.FindPostgres(ctx, url, false, dir)
	require.NoError(t, err, "a second start reuses the cluster's files")
	require.NoError(t, again.Stop())
}
