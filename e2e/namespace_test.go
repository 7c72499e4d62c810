package e2e

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store/storetest"
)

// Each part, run as the binary an operator runs, refuses to start when
// what it needs is absent: it exits 1 within seconds, naming the variable
// or the missing step. The namespace case needs a real server: a client
// dials a server, not a namespace, and only the server's own answer says
// that the namespace is missing.
func TestPartsRefuseToStartNamingWhatIsMissing(t *testing.T) {
	s := newStackWith(t, stackOptions{NoWorker: true})
	ctx := context.Background()

	cfg := s.cfg
	require.NoError(t, cfg.CheckNamespace(ctx, config.Namespaces(s.client)), "the stack's own namespace is there")
	cfg.TemporalNamespace = "nowhere"
	var nsErr *config.NamespaceError
	require.True(t, errors.As(cfg.CheckNamespace(ctx, config.Namespaces(s.client)), &nsErr), "the server's answer is read as a missing namespace")
	require.Equal(t, "missing", nsErr.State)

	s.bienal("migrate") // stores the stack's BASE_URL as the deployment's
	empty := storetest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, empty)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	require.NoError(t, err)
	pool.Close()

	// A namespace registered as the README's first step says, without the
	// search attributes of the next.
	_, err = s.client.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: "bare", WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour)})
	require.NoError(t, err)

	temporal := s.cfg.TemporalAddress
	for _, c := range []struct {
		part string
		env  []string
		want string
	}{
		{"worker", []string{"SMTP_URL="}, "SMTP_URL: not set"},
		{"worker", []string{"TEMPORAL_NAMESPACE=nowhere"}, `TEMPORAL_NAMESPACE: namespace "nowhere" does not exist on the Temporal server at ` + temporal +
			`; register it once with: temporal operator namespace create --namespace nowhere --retention 30d --address ` + temporal},
		{"web", []string{"TEMPORAL_NAMESPACE=nowhere"}, `TEMPORAL_NAMESPACE: namespace "nowhere" does not exist`},
		{"worker", []string{"TEMPORAL_NAMESPACE=bare"}, `TEMPORAL_NAMESPACE: namespace "bare" on ` + temporal + ` lacks the search attributes BienalBiennium, ` +
			`BienalCycle, BienalActivity, BienalCountry, BienalStatus, BienalDue, BienalLate; register them once with: temporal operator search-attribute create --namespace bare`},
		{"web", []string{"TEMPORAL_NAMESPACE=bare"}, `lacks the search attributes`},
		{"web", []string{"DATABASE_URL=" + empty}, "schema not current (run bienal migrate): pending migrations 0001_schema"},
		{"worker", []string{"DATABASE_URL=" + empty}, "schema not current (run bienal migrate)"},
		{"web", []string{"BASE_URL=https://elsewhere.example.org"}, "BASE_URL is https://elsewhere.example.org, but this deployment's e-mailed links go to " + s.baseURL},
		{"worker", []string{"TEMPORAL_ADDRESS=127.0.0.1:1"}, "connect to temporal at 127.0.0.1:1 (TEMPORAL_ADDRESS;"},
		{"web", []string{"DATABASE_URL=postgres://postgres@127.0.0.1:1/bienal?sslmode=disable"}, "(DATABASE_URL is postgres://postgres@127.0.0.1:1/bienal"},
	} {
		name := c.part + " with " + strings.Join(c.env, " ")
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		cmd := exec.CommandContext(cctx, bienalBin, c.part)
		cmd.Dir = repoRoot
		cmd.Env = append(append(s.env(), "HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0"), c.env...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took := time.Since(start)
		cut := cctx.Err()
		cancel()
		require.NoError(t, cut, "%s started instead of refusing:\n%s", name, out)
		var exit *exec.ExitError
		require.True(t, errors.As(err, &exit), "%s: %v\n%s", name, err, out)
		require.Equal(t, 1, exit.ExitCode(), name)
		require.Contains(t, string(out), c.want, name)
		require.NotContains(t, string(out), "bienal dev` running", name)
		require.Less(t, took, 10*time.Second, name)
		t.Logf("%s: exit 1 in %s: %s", name, took.Round(time.Millisecond), strings.TrimSpace(string(out)))
	}
}
