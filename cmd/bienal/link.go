package main

import (
	"context"
	"fmt"

	"github.com/bienal/bienal/operations"
)

type linkCmd struct {
	Revoke linkRevokeCmd `cmd:"" help:"Revoke the personal links to a subject, so that they open nothing."`
}

type linkRevokeCmd struct {
	Subject   string `arg:"" help:"What the links open: task/<biennium>/<cycle>/<code>/<country>, activity/<biennium>/<code> or call/<biennium>."`
	Recipient string `help:"Only this person's links (default: everyone's)."`
	By        string `default:"secretariat" help:"Who revokes them."`
	Reason    string `required:"" help:"Why (kept in the audit log)."`
}

func (c *linkRevokeCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	// A malformed subject, an empty reason and a revocation that matches
	// no live link are each a mistake the operator must see (and the
	// shell, by the exit status), not "revoked 0 links".
	n, err := ops.RevokeLinks(ctx, operations.RevokeRequest{Subject: c.Subject, Recipient: c.Recipient, By: c.By, Reason: c.Reason})
	if err != nil {
		return flagged(err, map[string]string{"subject": "<subject>"})
	}
	fmt.Printf("revoked %d links to %s\n", n, c.Subject)
	return nil
}
