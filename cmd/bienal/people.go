package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

type focalPointCmd struct {
	Replace focalPointReplaceCmd `cmd:"" help:"Replace a country's focal point: its open report tasks go to the new one, with a fresh link each."`
}

type committeeCmd struct {
	Replace committeeReplaceCmd `cmd:"" help:"Replace a committee seat's principal (or, with --alternate, an alternate): the seat's open votes go to the new delegate."`
}

// replaceFlags are what both replacements take.
type replaceFlags struct {
	Country   string `arg:"" help:"The country (ISO 3166 alpha-2 code, such as AR)."`
	To        string `required:"" help:"E-mail address of the new person."`
	Name      string `required:"" help:"Their name."`
	Language  string `required:"" help:"Their language: es, en, pt or fr."`
	TimeZone  string `name:"time-zone" required:"" help:"Their IANA time zone, such as America/Santiago."`
	Effective string `help:"Day the change takes effect, YYYY-MM-DD, within the biennium (default today); a day to come schedules it for that day."`
	Reference string `help:"What announced the change (a note verbale, say), kept in the audit log."`
	From      string `help:"E-mail of the person replaced, when the country has several in the role."`
	Biennium  string `help:"Biennium; the only one if there is one."`
	By        string `default:"secretariat" help:"Who makes the change (kept in the audit log)."`
}

// replaceFlagNames name, for each field of a replacement, its flag.
var replaceFlagNames = map[string]string{"email": "--to", "name": "--name", "language": "--language",
	"time_zone": "--time-zone", "country": "<country>", "biennium": "--biennium"}

func (f replaceFlags) run(ctx context.Context, a *app, role string) error {
	_, b, err := a.programme(ctx, f.Biennium)
	if err != nil {
		return err
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	out, err := ops.Replace(ctx, operations.ReplaceRequest{Biennium: b, Country: f.Country, Role: role, From: f.From,
		To:        cooperation.PersonFields{Email: f.To, Name: f.Name, Language: f.Language, TimeZone: f.TimeZone},
		Effective: f.Effective, Reference: f.Reference, By: f.By})
	if err != nil {
		return flagged(err, replaceFlagNames)
	}
	if sr := out.Scheduled; sr != nil {
		fmt.Printf("%s of %s: %s to be replaced by %s on %s (scheduled change %d; bienal replacement cancel %d cancels it)\n",
			roleName(role), f.Country, sr.From, sr.To.Email, sr.Effective.Format(time.DateOnly), sr.ID, sr.ID)
		return nil
	}
	fmt.Printf("%s of %s: %s replaced by %s\n", roleName(role), f.Country, out.From.Email, out.To.Email)
	for _, it := range out.Items {
		fmt.Printf("  handed over  %s\n", it.Subject)
	}
	fmt.Printf("%d open items handed over, %d links of %s stopped; %s is e-mailed a link to each, in %s\n",
		len(out.Items), out.LinksRevoked, out.From.Email, out.To.Email, out.To.Language)
	return nil
}

func roleName(role string) string {
	switch role {
	case cooperation.RoleFocalPoint:
		return "focal point"
	case cooperation.RolePrincipal:
		return "principal delegate"
	}
	return "alternate delegate"
}

type focalPointReplaceCmd struct {
	replaceFlags `embed:""`
}

func (c *focalPointReplaceCmd) Run(ctx context.Context, a *app) error {
	return c.run(ctx, a, cooperation.RoleFocalPoint)
}

type committeeReplaceCmd struct {
	replaceFlags `embed:""`
	Alternate    bool `help:"Replace an alternate delegate rather than the principal."`
}

func (c *committeeReplaceCmd) Run(ctx context.Context, a *app) error {
	role := cooperation.RolePrincipal
	if c.Alternate {
		role = cooperation.RoleAlternate
	}
	return c.run(ctx, a, role)
}

type delegationCmd struct {
	Add  delegationAddCmd  `cmd:"" help:"Name a delegate for a person away, for a date range: reminders and new tasks or votes go to the delegate, with a copy to the person."`
	End  delegationEndCmd  `cmd:"" help:"End a delegation before its last day."`
	List delegationListCmd `cmd:"" help:"List the delegations running or to come."`
}

type delegationAddCmd struct {
	Person   string `arg:"" help:"E-mail of the person away (a focal point or a committee delegate)."`
	To       string `required:"" help:"E-mail of the delegate."`
	Name     string `required:"" help:"The delegate's name."`
	Language string `required:"" help:"The delegate's language: es, en, pt or fr."`
	TimeZone string `name:"time-zone" required:"" help:"The delegate's IANA time zone."`
	From     string `required:"" help:"First day, YYYY-MM-DD."`
	Until    string `required:"" help:"Last day, YYYY-MM-DD (the delegation ends by itself after it)."`
	Reason   string `help:"Why (kept in the audit log)."`
	By       string `default:"secretariat" help:"Who names the delegate."`
}

func (c *delegationAddCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	d, err := ops.Delegate(ctx, operations.DelegationRequest{Person: c.Person, From: c.From, Until: c.Until, Reason: c.Reason, By: c.By,
		Delegate: cooperation.PersonFields{Email: c.To, Name: c.Name, Language: c.Language, TimeZone: c.TimeZone}})
	if err != nil {
		return flagged(err, map[string]string{"email": "--to", "person": "<person>", "time_zone": "--time-zone"})
	}
	fmt.Printf("delegation %d: %s acts for %s from %s to %s; their open items are e-mailed to them\n",
		d.ID, d.Delegate, d.Person, d.StartsOn.Format(time.DateOnly), d.EndsOn.Format(time.DateOnly))
	return nil
}

type delegationEndCmd struct {
	ID int64  `arg:"" help:"The delegation's number (bienal delegation list)."`
	By string `default:"secretariat" help:"Who ends it."`
}

func (c *delegationEndCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	if err := ops.EndDelegation(ctx, c.ID, c.By); err != nil {
		return flagged(err, map[string]string{"id": "<id>"})
	}
	fmt.Printf("delegation %d ended\n", c.ID)
	return nil
}

type delegationListCmd struct {
	JSON bool `help:"Print JSON."`
}

func (c *delegationListCmd) Run(ctx context.Context, a *app) error {
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	ds, err := s.Delegations(ctx, time.Now())
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(ds)
	}
	for _, d := range ds {
		fmt.Printf("%d  %s acts for %s  %s to %s\n", d.ID, d.Delegate, d.Person, d.StartsOn.Format(time.DateOnly), d.EndsOn.Format(time.DateOnly))
	}
	if len(ds) == 0 {
		fmt.Println("no delegation running or to come")
	}
	return nil
}

type replacementCmd struct {
	List   replacementListCmd   `cmd:"" help:"List the replacements scheduled for a day to come."`
	Cancel replacementCancelCmd `cmd:"" help:"Cancel a scheduled replacement before its day."`
}

type replacementListCmd struct {
	Biennium string `help:"Biennium; the only one if there is one."`
}

func (c *replacementListCmd) Run(ctx context.Context, a *app) error {
	s, b, err := a.programme(ctx, c.Biennium)
	if err != nil {
		return err
	}
	list, err := s.ScheduledReplacements(ctx, b)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Println("no replacement is scheduled")
	}
	for _, sr := range list {
		fmt.Printf("%d  %s  %s of %s: %s to be replaced by %s (%s, %s, %s)\n", sr.ID, sr.Effective.Format(time.DateOnly),
			roleName(sr.Role), sr.Country, sr.From, sr.To.Email, sr.To.Name, sr.To.Language, sr.To.TimeZone)
	}
	return nil
}

type replacementCancelCmd struct {
	ID int64  `arg:"" help:"The scheduled change's number (bienal replacement list)."`
	By string `default:"secretariat" help:"Who cancels it (kept in the audit log)."`
}

func (c *replacementCancelCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	sr, err := ops.CancelReplacement(ctx, c.ID, c.By)
	if err != nil {
		return flagged(err, map[string]string{"id": "<id>"})
	}
	fmt.Printf("scheduled change %d cancelled: %s stays the %s of %s\n", sr.ID, sr.From, roleName(sr.Role), sr.Country)
	return nil
}
