package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/operations"
)

// operations builds the operations over the process's connections.
// Temporal is dialled when an operation first needs it, so a request
// refused for its input is refused without a server.
func (a *app) operations(ctx context.Context) (*operations.Service, error) {
	s, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	return &operations.Service{Store: s, Temporal: lazyTemporal{a}, Logger: a.logger.With("component", "operations"),
		BaseURL: a.cfg.PublicBaseURL()}, nil
}

// lazyTemporal is the app's Temporal client, dialled on first use.
type lazyTemporal struct{ a *app }

func (l lazyTemporal) ExecuteWorkflow(ctx context.Context, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	tc, err := l.a.temporal(ctx)
	if err != nil {
		return nil, err
	}
	return tc.ExecuteWorkflow(ctx, o, wf, args...)
}

func (l lazyTemporal) SignalWorkflow(ctx context.Context, id, runID, name string, arg any) error {
	tc, err := l.a.temporal(ctx)
	if err != nil {
		return err
	}
	return tc.SignalWorkflow(ctx, id, runID, name, arg)
}

func (l lazyTemporal) UpdateWorkflow(ctx context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	tc, err := l.a.temporal(ctx)
	if err != nil {
		return nil, err
	}
	return tc.UpdateWorkflow(ctx, o)
}

// flagged rewrites an operation's error for the command line: each field
// at fault is named by its flag (flags maps a field to a flag that is not
// --<field with hyphens>), and a refusal says it was refused and why.
func flagged(err error, flags map[string]string) error {
	var inv *operations.Invalid
	if errors.As(err, &inv) {
		msgs := make([]string, len(inv.Fields))
		for i, f := range inv.Fields {
			flag, ok := flags[f.Field]
			if !ok {
				flag = "--" + strings.ReplaceAll(f.Field, "_", "-")
			}
			msgs[i] = flag + " " + f.Detail
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	var ref *operations.Refused
	if errors.As(err, &ref) {
		// Not every refusal is audited (a cycle or a call already open is
		// not), so the message claims only what holds for all of them.
		return fmt.Errorf("%w; nothing was changed", ref)
	}
	return err
}
