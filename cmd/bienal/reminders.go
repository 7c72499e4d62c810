package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/worker"
)

type remindersCmd struct {
	Policy remindersPolicyCmd `cmd:"" help:"Show or set a programme's reminder policy."`
	Sweep  remindersSweepCmd  `cmd:"" help:"Run one reminder sweep now."`
}

type remindersPolicyCmd struct {
	Show remindersPolicyShowCmd `cmd:"" help:"Show the reminder policy."`
	Set  remindersPolicySetCmd  `cmd:"" help:"Change the reminder policy."`
}

type remindersPolicyShowCmd struct {
	Biennium string `help:"Biennium; the only one if there is one."`
	JSON     bool   `help:"Print JSON."`
}

func (c *remindersPolicyShowCmd) Run(ctx context.Context, a *app) error {
	s, b, err := a.programme(ctx, c.Biennium)
	if err != nil {
		return err
	}
	p, err := s.GetReminderPolicy(ctx, b)
	if err != nil {
		return notFoundAs(err, "programme "+b)
	}
	if c.JSON {
		return printJSON(p)
	}
	printPolicy(b, p)
	return nil
}

func printPolicy(b string, p store.ReminderPolicy) {
	fmt.Printf("reminder policy of %s: %s days before the due date; on the due date: %s; then every %d days overdue, at most %d times\n",
		b, numbers(p.DaysBefore), yesNo(p.OnDue), p.OverdueEveryDays, p.OverdueMax)
}

type remindersPolicySetCmd struct {
	Biennium     string `help:"Biennium; the only one if there is one."`
	DaysBefore   []int  `name:"days-before" help:"Days before the due date, e.g. 14,7,2."`
	OnDue        *bool  `name:"on-due" help:"Remind on the due date (true or false)."`
	OverdueEvery *int   `name:"overdue-every" help:"Days between overdue reminders."`
	OverdueMax   *int   `name:"overdue-max" help:"Most overdue reminders."`
}

func (c *remindersPolicySetCmd) Run(ctx context.Context, a *app) error {
	s, b, err := a.programme(ctx, c.Biennium)
	if err != nil {
		return err
	}
	p, err := s.GetReminderPolicy(ctx, b)
	if err != nil {
		return notFoundAs(err, "programme "+b)
	}
	if c.DaysBefore != nil {
		p.DaysBefore = c.DaysBefore
	}
	if c.OnDue != nil {
		p.OnDue = *c.OnDue
	}
	if c.OverdueEvery != nil {
		p.OverdueEveryDays = *c.OverdueEvery
	}
	if c.OverdueMax != nil {
		p.OverdueMax = *c.OverdueMax
	}
	if err := s.SetReminderPolicy(ctx, b, p); err != nil {
		return err
	}
	printPolicy(b, p)
	return nil
}

type remindersSweepCmd struct {
	Now string `help:"Sweep as if it were this time (RFC 3339, e.g. 2018-06-16T13:00:00Z); default now."`
}

func (c *remindersSweepCmd) Run(ctx context.Context, a *app) error {
	now := time.Now()
	if c.Now != "" {
		t, err := time.Parse(time.RFC3339, c.Now)
		if err != nil {
			return fmt.Errorf("--now: want RFC 3339 like 2018-06-16T13:00:00Z, got %q", c.Now)
		}
		now = t
	}
	if _, err := a.store(ctx); err != nil {
		return err
	}
	sw := worker.NewSweeper(worker.Options{Config: a.cfg, Pool: a.pool, Logger: a.logger})
	res, err := sw.Sweep(ctx, now)
	if err != nil {
		return err
	}
	fmt.Printf("sweep at %s: %d digests to %d items; %d waiting for working hours; %d already sent\n",
		now.UTC().Format(time.RFC3339), res.Digests, res.Items, res.SkippedHours, res.AlreadySent)
	return nil
}
