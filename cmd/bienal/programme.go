package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type programmeCmd struct {
	Import programmeImportCmd `cmd:"" help:"Import a programme file (YAML): goals, lines of action, countries, people, committee, activities. Idempotent."`
	Show   programmeShowCmd   `cmd:"" help:"Show a programme."`
}

type programmeImportCmd struct {
	File string `arg:"" type:"existingfile" help:"Programme file (see the README for its format)."`
}

func (c *programmeImportCmd) Run(ctx context.Context, a *app) error {
	data, err := programme.ReadFile(c.File)
	if err != nil {
		return err
	}
	f, err := programme.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", c.File, err)
	}
	s, tc, err := a.connect(ctx)
	if err != nil {
		return err
	}
	// The file wins: its focal points and seats become the directory's, and
	// whoever it names in someone's place is handed their open items.
	res, err := s.ImportProgrammeWith(ctx, f, store.ImportOptions{Handover: mail.HandoverMail(a.cfg.PublicBaseURL())})
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", c.File, err)
	}
	started := 0
	for _, act := range res.Activities {
		ok, err := workflows.StartActivity(ctx, tc, act.Biennium, act.Code)
		if err != nil {
			return fmt.Errorf("programme imported, but: %w (import again to retry)", err)
		}
		if ok {
			started++
		}
	}
	kinds := make([]string, 0, len(res.Counts))
	for k := range res.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Printf("programme %s imported from %s\n", res.Biennium, c.File)
	for _, k := range kinds {
		n := res.Counts[k]
		fmt.Printf("  %-16s %d created, %d updated, %d unchanged\n", k, n.Created, n.Updated, n.Unchanged)
	}
	fmt.Printf("  %-16s %d started (one per activity: activity/%s/<code>)\n", "workflows", started, res.Biennium)
	for _, line := range res.People {
		fmt.Printf("  changed: %s\n", line)
	}
	return nil
}

type programmeShowCmd struct {
	Biennium string `help:"Biennium to show; the only one if there is one."`
	JSON     bool   `help:"Print JSON."`
}

func (c *programmeShowCmd) Run(ctx context.Context, a *app) error {
	s, b, err := a.programme(ctx, c.Biennium)
	if err != nil {
		return err
	}
	sum, err := s.ProgrammeSummary(ctx, b)
	if err != nil {
		return fmt.Errorf("programme %s: %w", b, err)
	}
	if c.JSON {
		return printJSON(sum)
	}
	fmt.Printf("%s  %s\n", sum.Biennium, sum.Title)
	fmt.Printf("decision rule: majority of the members entitled to vote; voting period %d days; at most %d rounds; recuse involved members: %s\n",
		sum.VotingDays, sum.MaxRounds, yesNo(sum.RecuseInvolved))
	fmt.Println("\ngoals:")
	for _, g := range sum.Goals {
		fmt.Printf("  %d. %s\n", g.Number, g.Title)
	}
	fmt.Println("lines of action:")
	for _, l := range sum.LinesOfAction {
		fmt.Printf("  %d. %s\n", l.Number, l.Title)
	}
	fmt.Println("committee:")
	for _, p := range sum.Committee {
		fmt.Printf("  %-6s %-2s %s <%s>\n", p.Role, p.Country, p.Name, p.Email)
	}
	fmt.Printf("focal points: %d   secretariat: %d   activities: %d (%s)\n",
		len(sum.FocalPoints), len(sum.Secretariat), sum.ActivityCount, byStatus(sum.ActivitiesByStatus))
	return nil
}
