package config

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
)

// describer answers DescribeNamespace as a Temporal server would: with the
// namespace's state, or with the error the server returns.
type describer struct {
	state enumspb.NamespaceState
	err   error
	asked string
}

func (d *describer) Describe(_ context.Context, ns string) (*workflowservice.DescribeNamespaceResponse, error) {
	d.asked = ns
	if d.err != nil {
		return nil, d.err
	}
	return &workflowservice.DescribeNamespaceResponse{NamespaceInfo: &namespacepb.NamespaceInfo{Name: ns, State: d.state}}, nil
}

// The check is tested against a fake here because the SDK's test suite has
// no namespaces; e2e's TestPartsRefuseAMissingNamespace runs it against the
// real server.
func TestCheckNamespaceNamesTheVariableAndTheCommand(t *testing.T) {
	t.Parallel()
	c := valid()
	c.TemporalNamespace = "bienal"
	c.TemporalAddress = "temporal.internal:7233"

	d := &describer{state: enumspb.NAMESPACE_STATE_REGISTERED}
	require.NoError(t, c.CheckNamespace(context.Background(), d))
	require.Equal(t, "bienal", d.asked)

	err := c.CheckNamespace(context.Background(), &describer{err: serviceerror.NewNamespaceNotFound("bienal")})
	require.EqualError(t, err, `TEMPORAL_NAMESPACE: namespace "bienal" does not exist on the Temporal server at temporal.internal:7233; `+
		`register it once with: temporal operator namespace create --namespace bienal --retention 30d --address temporal.internal:7233`)

	var nsErr *NamespaceError
	require.True(t, errors.As(err, &nsErr))
	require.Equal(t, "missing", nsErr.State)

	err = c.CheckNamespace(context.Background(), &describer{state: enumspb.NAMESPACE_STATE_DELETED})
	require.ErrorContains(t, err, `TEMPORAL_NAMESPACE: namespace "bienal" on temporal.internal:7233 is deleted, not registered`)

	err = c.CheckNamespace(context.Background(), &describer{err: serviceerror.NewPermissionDenied("no", "")})
	require.ErrorContains(t, err, `TEMPORAL_NAMESPACE: not allowed to describe namespace "bienal"`)
	require.ErrorContains(t, err, "TEMPORAL_API_KEY")

	unreachable := serviceerror.NewUnavailable("connection refused")
	err = c.CheckNamespace(context.Background(), &describer{err: unreachable})
	require.ErrorContains(t, err, "TEMPORAL_ADDRESS")
	require.True(t, errors.Is(err, unreachable), "the server's error stays inspectable")
}
