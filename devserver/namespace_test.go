package devserver

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	sqliteschema "go.temporal.io/server/schema/sqlite"

	"github.com/bienal/bienal/workflows"
)

// A data directory made before bienal's search attributes existed gets
// them at the next start, before any workflow can need them; a fresh one
// has them from the first.
func TestStartRegistersTheSearchAttributes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "temporal.db")
	conf, err := sqlConfig(Options{DatabaseFile: file})
	require.NoError(t, err)
	old, err := sqliteschema.NewNamespaceConfig("active", "default", false, nil)
	require.NoError(t, err)
	require.NoError(t, sqliteschema.CreateNamespaces(conf, old))

	srv, err := Start(Options{DatabaseFile: file, LogLevel: "fatal"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Stop() })
	c, err := client.Dial(client.Options{HostPort: srv.Address()})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	resp, err := c.OperatorService().ListSearchAttributes(context.Background(), &operatorservice.ListSearchAttributesRequest{Namespace: "default"})
	require.NoError(t, err)
	for _, sa := range workflows.SearchAttributes() {
		require.Equal(t, sa.Type, resp.GetCustomAttributes()[sa.Name], sa.Name)
	}
}
