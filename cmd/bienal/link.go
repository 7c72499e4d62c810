package main

import (
	"context"
	"fmt"
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
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	// RevokeLiveLinks refuses a malformed subject, an empty reason and a
	// revocation that matches no live link: each is a mistake the operator
	// must see (and the shell, by the exit status), not "revoked 0 links".
	n, err := s.RevokeLiveLinks(ctx, c.Subject, c.Recipient, c.By, c.Reason)
	if err != nil {
		return err
	}
	fmt.Printf("revoked %d links to %s\n", n, c.Subject)
	return nil
}
