package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/web"
)

type callCmd struct {
	Open callOpenCmd `cmd:"" help:"Open a call for proposals: every focal point gets a personal link to a proposal form."`
}

type callOpenCmd struct {
	Biennium string `required:"" help:"Biennium, e.g. 2017-2018."`
	Closes   string `required:"" help:"Last day to send proposals, YYYY-MM-DD."`
	By       string `default:"secretariat" help:"Who opens it."`
}

func (c *callOpenCmd) Run(ctx context.Context, a *app) error {
	closes, err := parseDay("--closes", c.Closes)
	if err != nil {
		return err
	}
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	call, err := s.OpenCall(ctx, c.Biennium, store.DayEnd(closes), c.By, time.Now(), web.CallInvitation(a.cfg.PublicBaseURL()))
	if err != nil {
		return notFoundAs(err, "programme "+c.Biennium)
	}
	fmt.Printf("call for proposals %s open until %s: %d focal points invited\n", c.Biennium, c.Closes, call.Invited)
	return nil
}
