package config

import (
	"context"
	"errors"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// SearchAttributeLister is the one Temporal call the search-attribute
// check makes; SearchAttributesOf(c) makes it over a client's connection.
type SearchAttributeLister interface {
	ListCustom(ctx context.Context, namespace string) (map[string]enumspb.IndexedValueType, error)
}

// SearchAttributesOf lists a namespace's custom search attributes over c's
// connection.
func SearchAttributesOf(c client.Client) SearchAttributeLister { return clientAttributes{c} }

type clientAttributes struct{ c client.Client }

func (a clientAttributes) ListCustom(ctx context.Context, namespace string) (map[string]enumspb.IndexedValueType, error) {
	resp, err := a.c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, err
	}
	return resp.GetCustomAttributes(), nil
}

// RequiredSearchAttribute is one custom search attribute the workflows set
// (workflows.SearchAttributes). Its type's String() is the name the
// Temporal CLI takes (Keyword, Datetime, Bool).
type RequiredSearchAttribute struct {
	Name string
	Type enumspb.IndexedValueType
}

// CheckSearchAttributes tells whether TEMPORAL_NAMESPACE has every search
// attribute the workflows set. Without them a workflow's start is refused
// and a workflow that upserts one fails its task over and over, so a part
// refuses to start instead, naming the command that registers them. A
// missing or mistyped attribute is a *SearchAttributeError.
func (c *Config) CheckSearchAttributes(ctx context.Context, l SearchAttributeLister, want []RequiredSearchAttribute) error {
	have, err := l.ListCustom(ctx, c.TemporalNamespace)
	var denied *serviceerror.PermissionDenied
	switch {
	case errors.As(err, &denied):
		return fmt.Errorf("TEMPORAL_NAMESPACE: not allowed to list the search attributes of namespace %q on %s (check TEMPORAL_API_KEY or TEMPORAL_TLS_CERT): %w",
			c.TemporalNamespace, c.TemporalAddress, err)
	case err != nil:
		return fmt.Errorf("list the search attributes of namespace %q at %s (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE): %w", c.TemporalNamespace, c.TemporalAddress, err)
	}
	e := &SearchAttributeError{Namespace: c.TemporalNamespace, Address: c.TemporalAddress}
	for _, w := range want {
		t, ok := have[w.Name]
		switch {
		case !ok:
			e.Missing = append(e.Missing, w)
		case t != w.Type:
			e.Mistyped = append(e.Mistyped, fmt.Sprintf("%s is %s, not %s", w.Name, t, w.Type))
		}
	}
	if len(e.Missing) == 0 && len(e.Mistyped) == 0 {
		return nil
	}
	return e
}

// SearchAttributeError is a namespace without bienal's search attributes:
// a step of the deployment not taken.
type SearchAttributeError struct {
	Namespace string
	Address   string
	Missing   []RequiredSearchAttribute
	// Mistyped says, for each attribute registered with another type,
	// what it is and what it should be.
	Mistyped []string
}

func (e *SearchAttributeError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		names := make([]string, len(e.Missing))
		for i, m := range e.Missing {
			names[i] = m.Name
		}
		parts = append(parts, fmt.Sprintf("namespace %q on %s lacks the search attributes %s; register them once with: %s",
			e.Namespace, e.Address, strings.Join(names, ", "), e.CreateCommand()))
	}
	if len(e.Mistyped) > 0 {
		parts = append(parts, fmt.Sprintf("namespace %q on %s has search attributes of the wrong type (%s): "+
			"remove them with temporal operator search-attribute remove, then create them again", e.Namespace, e.Address, strings.Join(e.Mistyped, "; ")))
	}
	return "TEMPORAL_NAMESPACE: " + strings.Join(parts, "; ")
}

// CreateCommand is the Temporal CLI command that registers the missing
// attributes.
func (e *SearchAttributeError) CreateCommand() string {
	return SearchAttributeCreateCommand(e.Namespace, e.Address, e.Missing)
}

// SearchAttributeCreateCommand is the Temporal CLI command that registers
// attrs on a namespace.
func SearchAttributeCreateCommand(namespace, address string, attrs []RequiredSearchAttribute) string {
	var b strings.Builder
	fmt.Fprintf(&b, "temporal operator search-attribute create --namespace %s --address %s", namespace, address)
	for _, a := range attrs {
		fmt.Fprintf(&b, " --name %s --type %s", a.Name, a.Type)
	}
	return b.String()
}
