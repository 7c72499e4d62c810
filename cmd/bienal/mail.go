package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

type mailCmd struct {
	Log    mailLogCmd    `cmd:"" help:"List e-mails with their status and attempts."`
	Retry  mailRetryCmd  `cmd:"" help:"Requeue a failed e-mail."`
	Resend mailResendCmd `cmd:"" help:"Send an invitation again as a new message with a fresh personal link (audited)."`
}

type mailLogCmd struct {
	Status    string `enum:",queued,sending,sent,failed" default:"" help:"Only this status: queued, sending, sent or failed."`
	Recipient string `help:"Only this recipient."`
	Limit     int    `default:"100" help:"At most this many, newest first."`
	JSON      bool   `help:"Print JSON."`
}

func (c *mailLogCmd) Run(ctx context.Context, a *app) error {
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	rows, err := s.ListEmails(ctx, store.EmailFilter{Status: c.Status, Recipient: c.Recipient, Limit: c.Limit})
	if err != nil {
		return err
	}
	if c.JSON {
		if rows == nil {
			rows = []store.EmailRow{}
		}
		return printJSON(rows)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTATUS\tATTEMPTS\tCREATED (UTC)\tKIND\tTO\tSUBJECT\tLAST ERROR")
	for _, r := range rows {
		fmt.Fprintf(w, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Status, r.Attempts,
			r.CreatedAt.UTC().Format(time.DateTime), r.Kind, r.Recipient, truncate(r.Subject, 50), truncate(r.LastError, 40))
	}
	return w.Flush()
}

type mailRetryCmd struct {
	ID int64 `arg:"" help:"E-mail ID (see mail log)."`
}

func (c *mailRetryCmd) Run(ctx context.Context, a *app) error {
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	if err := s.RetryEmail(ctx, c.ID); err != nil {
		return notFoundAs(err, fmt.Sprintf("e-mail %d", c.ID))
	}
	fmt.Printf("e-mail %d queued again\n", c.ID)
	return nil
}

type mailResendCmd struct {
	ID int64  `arg:"" help:"E-mail ID of the invitation (see mail log): a report task's, a vote's or a call's."`
	By string `default:"secretariat" help:"Who sends it again (kept in the audit log)."`
}

func (c *mailResendCmd) Run(ctx context.Context, a *app) error {
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	out, err := ops.ResendEmail(ctx, operations.ResendRequest{ID: c.ID, By: c.By})
	if err != nil {
		return notFoundAs(err, fmt.Sprintf("e-mail %d", c.ID))
	}
	fmt.Printf("e-mail %d sent again as e-mail %d, with %d fresh links; the old links keep working\n", c.ID, out.ID, out.Links)
	return nil
}
