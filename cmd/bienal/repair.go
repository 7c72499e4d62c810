package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type repairCmd struct {
	Subject string `arg:"" help:"activity/<biennium>/<code>, cycle/<biennium>/<name> or task/<biennium>/<cycle>/<code>/<country>."`
	By      string `default:"operator" help:"Who repairs, for the audit log."`
	Reason  string `help:"Why, for the audit log."`
}

func (c *repairCmd) Run(ctx context.Context, a *app) error {
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	subject, live, in, err := liveSubject(ctx, s, c.Subject)
	if err != nil {
		return err
	}
	id := subject.ID()
	tc, err := a.temporal(ctx)
	if err != nil {
		return err
	}
	before, err := workflows.RunStatus(ctx, tc, id)
	if err != nil {
		return err
	}
	switch {
	case before == "running":
		fmt.Printf("%s is running: nothing to repair\n", id)
		return nil
	case !live:
		return fmt.Errorf("%s: Postgres holds it as finished, so its workflow (%s) has nothing left to do", c.Subject, before)
	}
	if err := workflows.Restart(ctx, tc, subject, in); err != nil {
		return err
	}
	detail := map[string]string{"before": before, "reason": c.Reason}
	if err := s.Audit(ctx, fmt.Sprintf("repaired/%s/%d", id, time.Now().UnixNano()), c.By, id, "workflow_repaired", detail); err != nil {
		return fmt.Errorf("%s restarted, but its audit line was not written: %w", id, err)
	}
	fmt.Printf("restarted %s (it was %s) from what Postgres holds\n", id, before)
	return nil
}

// liveSubject reads a subject's rows: what it is, whether its workflow
// should be running, and, for a task, the input its workflow starts with.
func liveSubject(ctx context.Context, s *store.Store, ref string) (cooperation.Subject, bool, workflows.TaskInput, error) {
	parts := strings.Split(ref, "/")
	bad := fmt.Errorf("%q: want activity/<biennium>/<code>, cycle/<biennium>/<name> or task/<biennium>/<cycle>/<code>/<country>", ref)
	for _, p := range parts {
		if p == "" {
			return cooperation.Subject{}, false, workflows.TaskInput{}, bad
		}
	}
	switch {
	case len(parts) == 3 && parts[0] == "activity":
		act, err := s.GetActivity(ctx, parts[1], parts[2])
		if err != nil {
			return cooperation.Subject{}, false, workflows.TaskInput{}, notFoundAs(err, "activity "+parts[1]+"/"+parts[2])
		}
		return cooperation.Subject{Kind: "activity", Biennium: parts[1], Code: parts[2]}, act.Status.Live(), workflows.TaskInput{}, nil
	case len(parts) == 3 && parts[0] == "cycle":
		cy, err := s.GetCycle(ctx, parts[1], parts[2])
		if err != nil {
			return cooperation.Subject{}, false, workflows.TaskInput{}, notFoundAs(err, "cycle "+parts[1]+"/"+parts[2])
		}
		return cooperation.Subject{Kind: "cycle", Biennium: parts[1], Cycle: parts[2]}, cy.Status == cooperation.CycleOpen, workflows.TaskInput{}, nil
	case len(parts) == 5 && parts[0] == "task":
		k := cooperation.TaskKey{Biennium: parts[1], Cycle: parts[2], Code: parts[3], Country: parts[4]}
		d, err := s.GetTaskDetail(ctx, k)
		if errors.Is(err, store.ErrNotFound) {
			return cooperation.Subject{}, false, workflows.TaskInput{}, fmt.Errorf("task %s: not found (its cycle starts it: repair the cycle)", k)
		}
		if err != nil {
			return cooperation.Subject{}, false, workflows.TaskInput{}, err
		}
		// A task lives until its cycle closes, unless waived or missing.
		live := d.CycleStatus == cooperation.CycleOpen && !d.Status.Ended()
		in := workflows.TaskInput{Biennium: k.Biennium, Cycle: k.Cycle, Code: k.Code, Country: k.Country,
			Due: d.DueOn.Format(time.DateOnly), Closes: d.ClosesOn.Format(time.DateOnly)}
		return cooperation.Subject{Kind: "task", Biennium: k.Biennium, Cycle: k.Cycle, Code: k.Code, Country: k.Country}, live, in, nil
	}
	return cooperation.Subject{}, false, workflows.TaskInput{}, bad
}

// workflowHealth says whether a subject's workflow runs when its rows say it
// should; "" when all is well or Temporal cannot be asked.
func (a *app) workflowHealth(ctx context.Context, id string, live bool) string {
	tc, err := a.temporal(ctx)
	if err != nil || !live {
		return ""
	}
	st, err := workflows.RunStatus(ctx, tc, id)
	if err != nil || st == "running" {
		return ""
	}
	return st
}
