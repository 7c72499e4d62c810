package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type cycleCmd struct {
	Open   cycleOpenCmd   `cmd:"" help:"Open a reporting cycle: one report task per activity in execution and per country."`
	Show   cycleShowCmd   `cmd:"" help:"Show a cycle's progress: counts by task status and the open tasks."`
	Extend cycleExtendCmd `cmd:"" help:"Extend one task's deadline (its reminders follow)."`
	Waive  cycleWaiveCmd  `cmd:"" help:"Release one country from one task."`
	Close  cycleCloseCmd  `cmd:"" help:"Close a cycle now; open tasks are recorded as missing and the report is produced."`
	Set    cycleSetCmd    `cmd:"" help:"Set the front matter of a cycle's report: document symbol, distribution, revision, original language."`
}

type cycleOpenCmd struct {
	Biennium string `required:"" help:"Biennium, e.g. 2017-2018."`
	Name     string `required:"" help:"Cycle name, e.g. midterm or final."`
	Due      string `required:"" help:"Due date of the reports, YYYY-MM-DD: today or later, at most 5 years ahead."`
	Closes   string `help:"Closing date, YYYY-MM-DD (default: due date + 30 days; at most a year after it)."`
	Title    string `help:"Title shown in e-mails and the report."`
	document `embed:""`
}

func (c *cycleOpenCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	cy, err := ops.OpenCycle(ctx, operations.CycleRequest{Biennium: c.Biennium, Name: c.Name, Title: c.Title,
		Due: c.Due, Closes: c.Closes, Symbol: c.Symbol, Distribution: c.Distribution, OriginalLanguage: c.OriginalLanguage})
	if err != nil {
		return flagged(err, nil)
	}
	if cy.Resumed {
		fmt.Printf("cycle %s/%s was stored without its workflow; started %s\n", cy.Biennium, cy.Name, workflows.CycleID(cy.Biennium, cy.Name))
		return nil
	}
	fmt.Printf("opened cycle %s/%s (workflow %s): reports due %s, closes %s\n", cy.Biennium, cy.Name,
		workflows.CycleID(cy.Biennium, cy.Name), cy.DueOn.Format(time.DateOnly), cy.ClosesOn.Format(time.DateOnly))
	return nil
}

type cycleShowCmd struct {
	Cycle string `arg:"" help:"<biennium>/<name>, e.g. 2017-2018/final."`
	JSON  bool   `help:"Print JSON."`
}

func (c *cycleShowCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Cycle, 2, "<biennium>/<name>")
	if err != nil {
		return err
	}
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	cy, err := s.GetCycle(ctx, p[0], p[1])
	if err != nil {
		return notFoundAs(err, "cycle "+c.Cycle)
	}
	prog, err := a.cycleProgress(ctx, s, cy)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(prog)
	}
	fmt.Printf("cycle %s/%s%s: %s, due %s, closes %s\n", cy.Biennium, cy.Name, titled(cy.Title), prog.Status,
		cy.DueOn.Format(time.DateOnly), cy.ClosesOn.Format(time.DateOnly))
	id := workflows.CycleID(cy.Biennium, cy.Name)
	if st := a.workflowHealth(ctx, id, cy.Status == cooperation.CycleOpen); st != "" {
		fmt.Printf("workflow %s is %s but should be running: bienal repair %s\n", id, st, id)
	}
	fmt.Printf("tasks: %d", prog.Total)
	for _, st := range cooperation.TaskStatuses {
		fmt.Printf("  %s %d", st, prog.Counts[st])
	}
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
	if len(prog.Open) > 0 {
		fmt.Fprintln(w, "OPEN TASK\tSTATUS\tDUE")
	}
	for _, t := range prog.Open {
		fmt.Fprintf(w, "%s/%s/%s/%s\t%s\t%s\n", cy.Biennium, cy.Name, t.Code, t.Country, t.Status, t.Due)
	}
	return w.Flush()
}

// cycleProgress asks the cycle's workflow (query progress); a closed cycle
// whose workflow is gone is answered from Postgres.
func (a *app) cycleProgress(ctx context.Context, s *store.Store, cy store.Cycle) (workflows.CycleProgress, error) {
	if tc, err := a.temporal(ctx); err == nil {
		if v, err := tc.QueryWorkflow(ctx, workflows.CycleID(cy.Biennium, cy.Name), "", workflows.QueryProgress); err == nil {
			var p workflows.CycleProgress
			if err := v.Get(&p); err == nil {
				return p, nil
			}
		}
	}
	counts, err := s.CycleCounts(ctx, cy.Biennium, cy.Name)
	if err != nil {
		return workflows.CycleProgress{}, err
	}
	p := workflows.CycleProgress{Biennium: cy.Biennium, Name: cy.Name, Status: string(cy.Status), Counts: counts}
	for _, n := range counts {
		p.Total += n
	}
	tasks, err := s.ListTasks(ctx, cy.Biennium, cy.Name, store.TaskFilter{})
	if err != nil {
		return p, err
	}
	for _, t := range tasks {
		if t.Status == cooperation.TaskOpen || t.Status == cooperation.TaskOverdue {
			p.Open = append(p.Open, workflows.OpenTask{Code: t.Code, Country: t.Country, Status: t.Status, Due: t.DueOn.Format(time.DateOnly)})
		}
	}
	return p, nil
}

type cycleExtendCmd struct {
	Cycle    string `arg:"" help:"<biennium>/<name>."`
	Activity string `required:"" help:"Activity code."`
	Country  string `required:"" help:"Country code."`
	Until    string `required:"" help:"New due date, YYYY-MM-DD."`
	Reason   string `required:"" help:"Why."`
	By       string `default:"secretariat" help:"Who grants it."`
}

func (c *cycleExtendCmd) Run(ctx context.Context, a *app) error {
	k, ops, err := a.taskOperation(ctx, c.Cycle, c.Activity, c.Country)
	if err != nil {
		return err
	}
	st, err := ops.Extend(ctx, operations.ExtendRequest{Task: k, Until: c.Until, Reason: c.Reason, By: c.By})
	if err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("extended %s: due %s, %s\n", k.ID(), st.Due, st.Status)
	return nil
}

type cycleWaiveCmd struct {
	Cycle    string `arg:"" help:"<biennium>/<name>."`
	Activity string `required:"" help:"Activity code."`
	Country  string `required:"" help:"Country code."`
	Reason   string `required:"" help:"Why."`
	By       string `default:"secretariat" help:"Who waives it."`
}

func (c *cycleWaiveCmd) Run(ctx context.Context, a *app) error {
	k, ops, err := a.taskOperation(ctx, c.Cycle, c.Activity, c.Country)
	if err != nil {
		return err
	}
	if _, err := ops.Waive(ctx, operations.WaiveRequest{Task: k, Reason: c.Reason, By: c.By}); err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("waived %s\n", k.ID())
	return nil
}

type cycleCloseCmd struct {
	Cycle string `arg:"" help:"<biennium>/<name>."`
	By    string `default:"secretariat" help:"Who closes it."`
}

func (c *cycleCloseCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Cycle, 2, "<biennium>/<name>")
	if err != nil {
		return err
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	if err := ops.CloseCycle(ctx, operations.CloseRequest{Biennium: p[0], Name: p[1], By: c.By}, lazyTemporal{a}); err != nil {
		return flagged(err, nil)
	}
	fmt.Printf("closing %s: its open tasks become missing and the report follows\n", workflows.CycleID(p[0], p[1]))
	return nil
}

// taskOperation reads a command's task and builds the operations.
func (a *app) taskOperation(ctx context.Context, cycle, code, country string) (cooperation.TaskKey, *operations.Service, error) {
	p, err := splitRef(cycle, 2, "<biennium>/<name>")
	if err != nil {
		return cooperation.TaskKey{}, nil, err
	}
	ops, err := a.operations(ctx)
	return cooperation.TaskKey{Biennium: p[0], Cycle: p[1], Code: code, Country: country}, ops, err
}
