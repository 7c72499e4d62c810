package main

import (
	"context"
	"fmt"

	"github.com/bienal/bienal/operations"
)

type callCmd struct {
	Open callOpenCmd `cmd:"" help:"Open a call for proposals: every focal point gets a personal link to a proposal form."`
}

type callOpenCmd struct {
	Biennium string `required:"" help:"Biennium, e.g. 2017-2018."`
	Closes   string `required:"" help:"Last day to send proposals, YYYY-MM-DD: today or later, at most a year ahead."`
	By       string `default:"secretariat" help:"Who opens it."`
}

func (c *callOpenCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	call, err := ops.OpenCall(ctx, operations.CallRequest{Biennium: c.Biennium, Closes: c.Closes, By: c.By})
	if err != nil {
		return flagged(err, nil)
	}
	if call.Existing {
		fmt.Printf("call for proposals %s is open already until %s: nobody was invited again\n", c.Biennium, c.Closes)
		return nil
	}
	fmt.Printf("call for proposals %s open until %s: %d focal points invited\n", c.Biennium, c.Closes, call.Invited)
	return nil
}
