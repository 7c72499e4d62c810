package config

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// NamespaceRetention is the retention the README and the deploy scripts
// register the namespace with: closed workflows stay queryable for a
// month, and Postgres keeps the record for good.
const NamespaceRetention = "30d"

// NamespaceDescriber is the one Temporal call the namespace check makes;
// client.NamespaceClient satisfies it, and Namespaces(c) makes it over a
// client's own connection.
type NamespaceDescriber interface {
	Describe(ctx context.Context, namespace string) (*workflowservice.DescribeNamespaceResponse, error)
}

// Namespaces describes namespaces over c's connection, so that a process
// checks its namespace without dialling Temporal a second time.
func Namespaces(c client.Client) NamespaceDescriber { return clientNamespaces{c} }

type clientNamespaces struct{ c client.Client }

func (n clientNamespaces) Describe(ctx context.Context, namespace string) (*workflowservice.DescribeNamespaceResponse, error) {
	return n.c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
}

// CheckNamespace tells whether the Temporal server knows TEMPORAL_NAMESPACE
// and serves it. A Temporal server registers no namespace of its own (only
// `bienal dev` does), and without this check a worker fails on its first
// poll with the server's words and a portal answers as if all were well, so
// the error names the variable and the command that registers it. A
// namespace the server does not serve is a *NamespaceError.
func (c *Config) CheckNamespace(ctx context.Context, d NamespaceDescriber) error {
	resp, err := d.Describe(ctx, c.TemporalNamespace)
	var notFound *serviceerror.NamespaceNotFound
	var denied *serviceerror.PermissionDenied
	switch {
	case errors.As(err, &notFound):
		return &NamespaceError{Namespace: c.TemporalNamespace, Address: c.TemporalAddress, State: "missing", Create: c.NamespaceCreateCommand()}
	case errors.As(err, &denied):
		return fmt.Errorf("TEMPORAL_NAMESPACE: not allowed to describe namespace %q on %s (check TEMPORAL_API_KEY or TEMPORAL_TLS_CERT): %w",
			c.TemporalNamespace, c.TemporalAddress, err)
	case err != nil:
		return fmt.Errorf("describe namespace %q at %s (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE): %w", c.TemporalNamespace, c.TemporalAddress, err)
	}
	if st := resp.GetNamespaceInfo().GetState(); st != enumspb.NAMESPACE_STATE_REGISTERED {
		return &NamespaceError{Namespace: c.TemporalNamespace, Address: c.TemporalAddress, State: stateName(st), Create: c.NamespaceCreateCommand()}
	}
	return nil
}

// NamespaceError is a namespace the Temporal server does not serve: a step
// of the deployment not taken (or undone), not a fault of the connection.
type NamespaceError struct {
	Namespace string
	Address   string
	// State is "missing", "deleted", "deprecated" or "in an unknown state".
	State string
	// Create is the command that registers it (NamespaceCreateCommand).
	Create string
}

func (e *NamespaceError) Error() string {
	if e.State == "missing" {
		return fmt.Sprintf("TEMPORAL_NAMESPACE: namespace %q does not exist on the Temporal server at %s; register it once with: %s",
			e.Namespace, e.Address, e.Create)
	}
	return fmt.Sprintf("TEMPORAL_NAMESPACE: namespace %q on %s is %s, not registered; use another, or register a new one with: %s",
		e.Namespace, e.Address, e.State, e.Create)
}

// NamespaceCreateCommand is the Temporal CLI command that registers
// TEMPORAL_NAMESPACE on TEMPORAL_ADDRESS with the retention bienal expects.
func (c *Config) NamespaceCreateCommand() string {
	return fmt.Sprintf("temporal operator namespace create --namespace %s --retention %s --address %s",
		c.TemporalNamespace, NamespaceRetention, c.TemporalAddress)
}

func stateName(st enumspb.NamespaceState) string {
	switch st {
	case enumspb.NAMESPACE_STATE_DEPRECATED:
		return "deprecated"
	case enumspb.NAMESPACE_STATE_DELETED:
		return "deleted"
	default:
		return "in an unknown state"
	}
}
