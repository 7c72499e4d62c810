package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bienal/bienal/operations"
)

// operations builds the operations over the process's connections.
func (a *app) operations(ctx context.Context) (*operations.Service, error) {
	s, tc, err := a.connect(ctx)
	if err != nil {
		return nil, err
	}
	return &operations.Service{Store: s, Temporal: tc, Logger: a.logger.With("component", "operations")}, nil
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
		return fmt.Errorf("%w; nothing was recorded but the refusal, in the audit log", ref)
	}
	return err
}
