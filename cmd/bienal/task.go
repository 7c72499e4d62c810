package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type taskCmd struct {
	Submit taskSubmitCmd `cmd:"" help:"Submit a report for a task from a YAML file (for operators; focal points use their e-mailed link)."`
}

type taskSubmitCmd struct {
	Task string `arg:"" help:"<biennium>/<cycle>/<activity code>/<country>, e.g. 2017-2018/final/G1A1/AR."`
	File string `required:"" type:"existingfile" help:"YAML with status, progress, results, difficulties, next_steps."`
	By   string `help:"E-mail of who submits (default: submitted_by in the file, else secretariat)."`
}

func (c *taskSubmitCmd) Run(ctx context.Context, a *app) error {
	key, err := cooperation.ParseTaskKey(c.Task)
	if err != nil {
		return err
	}
	data, err := programme.ReadFile(c.File)
	if err != nil {
		return err
	}
	rf, err := programme.ParseReport(data)
	if err != nil {
		return fmt.Errorf("%s: nothing submitted:\n%w", c.File, err)
	}
	by := c.By
	if by == "" {
		by = rf.SubmittedBy
	}
	if by == "" {
		by = "secretariat"
	}
	s, tc, err := a.connect(ctx)
	if err != nil {
		return err
	}
	sub, err := s.CreateSubmission(ctx, store.NewSubmission{
		Task: key, Status: rf.Status, Progress: rf.Progress, Results: rf.Results,
		Difficulties: rf.Difficulties, NextSteps: rf.NextSteps, SubmittedBy: by, At: time.Now(),
	}, activities.ComposeReceipt)
	if err != nil {
		return fmt.Errorf("%s: nothing submitted: %w", c.File, err)
	}
	id := workflows.TaskID(key.Biennium, key.Cycle, key.Code, key.Country)
	if err := tc.SignalWorkflow(ctx, id, "", workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: sub.ID, By: by}); err != nil {
		// Stored is submitted: the scheduler's tell-submissions step tells
		// the workflow within a minute or so.
		a.logger.Warn("task not told yet; the scheduler tells it", "workflow_id", id, "error", signalError(err, id))
	}
	late := ""
	if sub.Late {
		late = " (late)"
	}
	fmt.Printf("submitted version %d of %s%s; a receipt is on its way\n", sub.Version, c.Task, late)
	return nil
}
