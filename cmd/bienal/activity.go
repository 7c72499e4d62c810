package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type activityCmd struct {
	List     activityListCmd     `cmd:"" help:"List activities."`
	Show     activityShowCmd     `cmd:"" help:"Show an activity: its row, review rounds, votes and live workflow state."`
	Propose  activityProposeCmd  `cmd:"" help:"Propose an activity from a YAML file; it enters committee review at once."`
	Withdraw activityWithdrawCmd `cmd:"" help:"Withdraw a proposal before a decision."`
	Complete activityCompleteCmd `cmd:"" help:"Report an activity in execution completed."`
	Cancel   activityCancelCmd   `cmd:"" help:"Cancel an approved activity."`
}

type activityListCmd struct {
	Biennium string `help:"Only this biennium."`
	Status   string `help:"Only this status (proposed, under_review, changes_requested, approved, rejected, withdrawn, in_execution, completed, cancelled)."`
	JSON     bool   `help:"Print JSON."`
}

func (c *activityListCmd) Run(ctx context.Context, a *app) error {
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	acts, err := s.ListActivities(ctx, store.ActivityFilter{Biennium: c.Biennium, Status: cooperation.ActivityStatus(c.Status)})
	if err != nil {
		return err
	}
	if c.JSON {
		if acts == nil {
			acts = []store.Activity{}
		}
		return printJSON(acts)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "ACTIVITY\tGOAL\tLEAD\tPARTICIPANTS\tSTATUS\tTITLE")
	for _, act := range acts {
		fmt.Fprintf(w, "%s/%s\t%d\t%s\t%s\t%s\t%s\n", act.Biennium, act.Code, act.Goal, act.LeadCountry,
			strings.Join(act.Participants, ","), act.Status, truncate(act.Title, 60))
	}
	return w.Flush()
}

type activityShowCmd struct {
	Ref  string `arg:"" help:"<biennium>/<code>, e.g. 2017-2018/G1A1."`
	JSON bool   `help:"Print JSON."`
}

type activityView struct {
	Activity store.Activity           `json:"activity"`
	Rounds   []store.Round            `json:"rounds"`
	Votes    []store.Vote             `json:"votes"`
	State    *workflows.ActivityState `json:"state,omitempty"`
	Workflow string                   `json:"workflow"`
	// Unhealthy is the status of a workflow that should be running and is not.
	Unhealthy string `json:"unhealthy,omitempty"`
}

func (c *activityShowCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Ref, 2, "<biennium>/<code>")
	if err != nil {
		return err
	}
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	v := activityView{Workflow: workflows.ActivityID(p[0], p[1])}
	if v.Activity, err = s.GetActivity(ctx, p[0], p[1]); err != nil {
		return notFoundAs(err, "activity "+c.Ref)
	}
	if v.Rounds, err = s.ListRounds(ctx, p[0], p[1]); err != nil {
		return err
	}
	if v.Votes, err = s.ListVotes(ctx, p[0], p[1]); err != nil {
		return err
	}
	v.Unhealthy = a.workflowHealth(ctx, v.Workflow, v.Activity.Status.Live())
	if tc, err := a.temporal(ctx); err == nil && v.Unhealthy == "" {
		if val, err := tc.QueryWorkflow(ctx, v.Workflow, "", workflows.QueryState); err == nil {
			var st workflows.ActivityState
			if val.Get(&st) == nil {
				v.State = &st
			}
		}
	}
	if c.JSON {
		return printJSON(v)
	}
	act := v.Activity
	fmt.Printf("%s/%s  %s\n  status %s (round %d, version %d)   goal %d, line of action %d\n  lead %s, participants %s\n  %s to %s\n",
		act.Biennium, act.Code, act.Title, act.Status, act.Round, act.Version, act.Goal, act.LineOfAction,
		act.LeadCountry, list(act.Participants), act.StartsOn, act.EndsOn)
	// The title in the other languages it was given in, the stored one
	// being the original.
	if t := act.Texts.Title; t.Current() {
		for _, lang := range cooperation.Languages {
			if s := t.In[lang]; s != "" && lang != t.Original {
				fmt.Printf("  title in %s: %s\n", lang, s)
			}
		}
	}
	for _, r := range v.Rounds {
		outcome := "not decided yet"
		if r.Outcome != "" {
			outcome = "decided " + r.Outcome + " by " + strings.ReplaceAll(r.DecidedBy, "_", " ")
		}
		fmt.Printf("  round %d: opened %s, closes %s UTC, %s\n", r.Round, r.OpenedAt.UTC().Format(time.DateOnly),
			r.ClosesAt.UTC().Format("2006-01-02 15:04"), outcome)
	}
	for _, vote := range v.Votes {
		fmt.Printf("    vote round %d  seat %-2s %-32s %-16s %s\n", vote.Round, vote.Seat, vote.Member, vote.Decision, vote.Comment)
	}
	if v.Unhealthy != "" {
		fmt.Printf("  workflow %s is %s but should be running: bienal repair %s\n", v.Workflow, v.Unhealthy, v.Workflow)
	}
	if st := v.State; st != nil {
		fmt.Printf("  workflow %s: stage %s, status %s, majority %d, still to vote: %s; recused: %s\n",
			v.Workflow, st.Stage, st.Status, st.Majority, list(st.Pending), list(st.Recused))
	}
	return nil
}

type activityProposeCmd struct {
	File string `arg:"" type:"existingfile" help:"One activity in the programme file's format, with a biennium: key; without a code: key it gets the next code of its goal."`
	By   string `help:"E-mail of the proposer, when the file has no proposed_by."`
}

func (c *activityProposeCmd) Run(ctx context.Context, a *app) error {
	data, err := programme.ReadFile(c.File)
	if err != nil {
		return err
	}
	p, err := programme.ParseActivity(data)
	if err != nil {
		return fmt.Errorf("%s: nothing proposed:\n%w", c.File, err)
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	req := operations.ProposalRequest{Biennium: p.Biennium, Code: p.Code, Goal: p.Goal, LineOfAction: p.LineOfAction,
		Lead: p.Lead, Participants: p.Participants, Title: p.Title, Description: p.Description,
		ExpectedOutputs: p.ExpectedOutputs, StartsOn: p.StartsOn.Format(time.DateOnly), EndsOn: p.EndsOn.Format(time.DateOnly),
		ProposedBy: p.ProposedBy, Texts: p.Texts, By: c.By}
	if p.Code == "" {
		// The file names the request: run again, it stores no second
		// proposal under a second code.
		sum := sha256.Sum256(data)
		req.RequestID = "cli-propose-" + hex.EncodeToString(sum[:])
	}
	res, err := ops.Propose(ctx, req)
	var inv *operations.Invalid
	var notStarted *operations.NotStarted
	switch {
	case errors.As(err, &inv):
		lines := make([]string, len(inv.Fields))
		for i, f := range inv.Fields {
			lines[i] = f.Error()
		}
		return fmt.Errorf("%s: nothing proposed:\n%s", c.File, strings.Join(lines, "\n"))
	case errors.As(err, &notStarted):
		// Stored is proposed: a worker's scheduler starts the review of a
		// proposal left without its workflow, and so does this command again.
		a.logger.Warn("activity workflow not started yet", "workflow_id", notStarted.WorkflowID, "error", notStarted.Err)
		fmt.Printf("proposed %s/%s; its committee review starts as soon as Temporal answers (a worker starts it within a minute or two)\n", res.Biennium, res.Code)
	case err != nil:
		return err
	case res.Resumed:
		fmt.Printf("%s/%s was stored without its workflow; committee review starts now\n", res.Biennium, res.Code)
	case res.Repeated:
		fmt.Printf("%s/%s was proposed already from this file; its committee review runs (workflow %s)\n", res.Biennium, res.Code,
			workflows.ActivityID(res.Biennium, res.Code))
	default:
		fmt.Printf("proposed %s/%s; committee review starts now (workflow %s)\n", res.Biennium, res.Code, workflows.ActivityID(res.Biennium, res.Code))
	}
	return nil
}

type activityWithdrawCmd struct {
	Ref    string `arg:"" help:"<biennium>/<code>."`
	By     string `required:"" help:"E-mail of who withdraws it."`
	Reason string `required:"" help:"Why."`
}

func (c *activityWithdrawCmd) Run(ctx context.Context, a *app) error {
	return a.changeActivity(ctx, c.Ref, "withdrew", func(ops *operations.Service, r operations.ChangeRequest) (workflows.ActivityState, error) {
		r.By, r.Text = c.By, c.Reason
		return ops.Withdraw(ctx, r)
	})
}

type activityCompleteCmd struct {
	Ref       string `arg:"" help:"<biennium>/<code>."`
	By        string `required:"" help:"E-mail of the focal point reporting it."`
	Statement string `required:"" help:"Short final statement."`
}

func (c *activityCompleteCmd) Run(ctx context.Context, a *app) error {
	return a.changeActivity(ctx, c.Ref, "completed", func(ops *operations.Service, r operations.ChangeRequest) (workflows.ActivityState, error) {
		r.By, r.Text = c.By, c.Statement
		return ops.Complete(ctx, r)
	})
}

type activityCancelCmd struct {
	Ref    string `arg:"" help:"<biennium>/<code>."`
	By     string `default:"secretariat" help:"Who cancels it."`
	Reason string `required:"" help:"Why."`
}

func (c *activityCancelCmd) Run(ctx context.Context, a *app) error {
	return a.changeActivity(ctx, c.Ref, "cancelled", func(ops *operations.Service, r operations.ChangeRequest) (workflows.ActivityState, error) {
		r.By, r.Text = c.By, c.Reason
		return ops.Cancel(ctx, r)
	})
}

// changeActivity runs one of an activity's changes through its operation
// and prints the workflow's answer; a refusal exits non-zero with its reason.
func (a *app) changeActivity(ctx context.Context, ref, done string, change func(*operations.Service, operations.ChangeRequest) (workflows.ActivityState, error)) error {
	p, err := splitRef(ref, 2, "<biennium>/<code>")
	if err != nil {
		return err
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	st, err := change(ops, operations.ChangeRequest{Biennium: p[0], Code: p[1], RequestID: "cli-" + hex.EncodeToString(b)})
	if err != nil {
		return flagged(err, map[string]string{"statement": "--statement", "reason": "--reason", "by": "--by"})
	}
	fmt.Printf("%s %s/%s: it is now %s\n", done, p[0], p[1], strings.ReplaceAll(string(st.Status), "_", " "))
	return nil
}

func signalError(err error, id string) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%s is not running (unknown, or already finished): nothing sent", id)
	}
	return fmt.Errorf("signal %s: %w", id, err)
}

func notFoundAs(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s not found", what)
	}
	return err
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
