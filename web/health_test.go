package web_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/metrics"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
)

// runStatuses answers DescribeWorkflowExecution from a table: a workflow ID
// not in it is running, one mapped to "" is unknown to Temporal.
type runStatuses map[string]enumspb.WorkflowExecutionStatus

func (r runStatuses) DescribeWorkflowExecution(_ context.Context, id, _ string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	st, ok := r[id]
	switch {
	case !ok:
		st = enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
	case st == enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED:
		return nil, serviceerror.NewNotFound("workflow not found")
	}
	return &workflowservice.DescribeWorkflowExecutionResponse{
		WorkflowExecutionInfo: &workflowpb.WorkflowExecutionInfo{Status: st},
	}, nil
}

func TestDashboardAndReadinessShowStoppedWorkflows(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	temporal := runStatuses{
		"activity/2017-2018/A1":    enumspb.WORKFLOW_EXECUTION_STATUS_FAILED,
		"task/2017-2018/mid/A1/MX": enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED,
	}
	f := newFixtureOn(t, s, pool, func(o *web.Options) {
		o.Health = &metrics.WorkflowHealth{Store: s, Client: temporal}
	})

	r := f.get("/readyz")
	require.Equal(t, http.StatusOK, r.status, "a stopped workflow does not take the portal out of service")
	require.Contains(t, r.body, "ready\nworkflows not running: 2 (first: activity/2017-2018/A1, failed; run bienal repair SUBJECT)")

	session := f.signIn()
	r = f.get("/", session)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Flujos que deberían estar en marcha y no lo están (2)")
	require.Contains(t, r.body, "<code>bienal repair activity/2017-2018/A1</code>")
	require.Contains(t, r.body, `<td data-label="Estado">falló</td>`)
	require.Contains(t, r.body, "<code>bienal repair task/2017-2018/mid/A1/MX</code>")
	require.Contains(t, r.body, `<td data-label="Estado">no existe</td>`)
	require.NotContains(t, r.body, "task/2017-2018/mid/A1/CL", "a running workflow is not listed")

	r = f.get("/?lang=en", session)
	require.Contains(t, r.body, "Workflows that should be running and are not (2)")
	require.Contains(t, r.body, `<td data-label="Status">failed</td>`)
}

func TestDashboardWithoutStoppedWorkflowsHasNoAlert(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, func(o *web.Options) {
		o.Health = &metrics.WorkflowHealth{Store: s, Client: runStatuses{}}
	})
	r := f.get("/", f.signIn())
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.NotContains(t, r.body, `id="stopped"`)
	r = f.get("/readyz")
	require.Equal(t, "ready\n", r.body)
}

// namespacedTemporal is the fake Temporal with the namespace check the
// portal's real client carries (cmd/bienal wraps it): err is its answer.
type namespacedTemporal struct {
	*recordingTemporal
	err error
}

func (n namespacedTemporal) CheckNamespace(context.Context) error { return n.err }

// /readyz says which part is wrong: a namespace the server does not have,
// a schema older or newer than the binary; a registered namespace keeps it
// ready.
func TestReadinessNamesTheNamespaceAndTheSchema(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	missing := &config.NamespaceError{Namespace: "bienal", Address: "temporal.internal:7233", State: "missing"}
	check := namespacedTemporal{recordingTemporal: &recordingTemporal{}, err: missing}
	f := newFixtureOn(t, s, pool, func(o *web.Options) { o.Temporal = &check })

	r := f.get("/readyz")
	require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	require.Equal(t, "temporal: namespace \"bienal\" is missing (TEMPORAL_NAMESPACE; register it with "+
		"temporal operator namespace create --namespace bienal --retention 30d)\n", r.body)
	require.NotContains(t, r.body, "temporal.internal", "the server's address stays in the log")

	check.err = errors.New("context deadline exceeded")
	r = f.get("/readyz")
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	require.Equal(t, "temporal: cannot check the namespace (TEMPORAL_NAMESPACE)\n", r.body)

	check.err = nil
	r = f.get("/readyz")
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Equal(t, "ready\n", r.body)

	_, err := pool.Exec(context.Background(), "INSERT INTO schema_migration (version) VALUES ('9990_from_a_newer_release')")
	require.NoError(t, err)
	r = f.get("/readyz")
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	require.Contains(t, r.body, "postgres: schema newer than this binary: the database has migrations 9990_from_a_newer_release")

	_, err = pool.Exec(context.Background(), "DELETE FROM schema_migration WHERE version IN ('9990_from_a_newer_release', '0110_login_failure_address')")
	require.NoError(t, err)
	r = f.get("/readyz")
	require.Contains(t, r.body, "postgres: schema not current (run bienal migrate): pending migrations 0110_login_failure_address")
}
