package main

import (
	"context"
	"fmt"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// The secretariat's review of a report, and the answer to a focal point's
// request for more time, from the shell: the same operations as the
// portal's task page.

type taskAcceptCmd struct {
	Task    string `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>, e.g. 2017-2018/final/G1A1/AR."`
	Comment string `help:"A comment the focal points are sent with the acceptance."`
	By      string `default:"secretariat" help:"Who accepts it."`
}

func (c *taskAcceptCmd) Run(ctx context.Context, a *app) error {
	k, ops, err := a.taskByKey(ctx, c.Task)
	if err != nil {
		return err
	}
	st, err := ops.Accept(ctx, operations.AcceptRequest{Task: k, Comment: c.Comment, By: c.By})
	if err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("accepted %s: %s\n", k.ID(), st.Status)
	return nil
}

type taskClarifyCmd struct {
	Task   string `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>."`
	Reason string `required:"" help:"What to clarify; the focal points are e-mailed it with a working link."`
	Due    string `required:"" help:"New due date of the clarified version, YYYY-MM-DD (today or later, not after the cycle closes)."`
	By     string `default:"secretariat" help:"Who asks."`
}

func (c *taskClarifyCmd) Run(ctx context.Context, a *app) error {
	k, ops, err := a.taskByKey(ctx, c.Task)
	if err != nil {
		return err
	}
	st, err := ops.Clarify(ctx, operations.ClarifyRequest{Task: k, Reason: c.Reason, Due: c.Due, By: c.By})
	if err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("sent back for clarification %s: due %s, %s\n", k.ID(), st.Due, st.Status)
	return nil
}

type taskRequestExtensionCmd struct {
	Task   string `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>."`
	Until  string `required:"" help:"The due date asked for, YYYY-MM-DD."`
	Reason string `required:"" help:"Why more time is needed."`
	By     string `required:"" help:"E-mail of the focal point who asks."`
}

func (c *taskRequestExtensionCmd) Run(ctx context.Context, a *app) error {
	k, ops, err := a.taskByKey(ctx, c.Task)
	if err != nil {
		return err
	}
	if _, err := ops.RequestExtension(ctx, operations.ExtensionAsk{Task: k, Until: c.Until, Reason: c.Reason, By: c.By}); err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("extension requested for %s until %s; grant it with bienal cycle extend, or refuse it with bienal task refuse-extension\n", k.ID(), c.Until)
	return nil
}

type taskRefuseExtensionCmd struct {
	Task   string `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>."`
	Reason string `required:"" help:"Why; the focal points are e-mailed it."`
	By     string `default:"secretariat" help:"Who refuses it."`
}

func (c *taskRefuseExtensionCmd) Run(ctx context.Context, a *app) error {
	k, ops, err := a.taskByKey(ctx, c.Task)
	if err != nil {
		return err
	}
	st, err := ops.RefuseExtension(ctx, operations.ExtensionAnswer{Task: k, Reason: c.Reason, By: c.By})
	if err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("extension refused for %s: due %s, %s\n", k.ID(), st.Due, st.Status)
	return nil
}

// taskByKey reads a task's key and connects the operations.
func (a *app) taskByKey(ctx context.Context, task string) (cooperation.TaskKey, *operations.Service, error) {
	k, err := cooperation.ParseTaskKey(task)
	if err != nil {
		return cooperation.TaskKey{}, nil, err
	}
	ops, err := a.operations(ctx)
	return k, ops, err
}
