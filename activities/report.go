package activities

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

// ReportRef names the reporting cycle whose consolidated report to produce.
// Its JSON shape is the cycle workflow's reference to a cycle, which calls
// StoreCycleReports with it.
type ReportRef struct {
	Biennium string `json:"biennium"`
	Name     string `json:"name"`
}

// StoreCycleReports renders the consolidated report of a cycle as HTML,
// Markdown and CSV, stores the three, and queues one e-mail to every
// secretariat user with the HTML report attached - all in one transaction.
// A retry renders the same report again and queues no second e-mail.
func (a *Activities) StoreCycleReports(ctx context.Context, ref ReportRef) error {
	if ref.Biennium == "" || ref.Name == "" {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("store cycle reports: biennium %q and cycle name %q are both required", ref.Biennium, ref.Name),
			ErrTypeInvalid, nil)
	}
	queued := 0
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		d, err := tx.LoadReportData(ctx, ref.Biennium, ref.Name)
		if err != nil {
			return err
		}
		r := report.Build(d)
		bodies, err := renderReport(r)
		if err != nil {
			return err
		}
		for _, f := range report.Formats {
			if err := tx.SaveReport(ctx, ref.Biennium, ref.Name, f, bodies[f]); err != nil {
				return err
			}
		}
		if queued, err = queueReportEmails(ctx, tx, r, bodies["html"]); err != nil {
			return err
		}
		subject := cooperation.CycleID(ref.Biennium, ref.Name)
		return tx.Audit(ctx, "report_stored/"+ref.Biennium+"/"+ref.Name, "system", subject, "report_stored",
			map[string]any{"tasks": r.Summary.AllTasks.Tasks, "submitted": r.Summary.AllTasks.Submitted, "missing": r.Summary.AllTasks.Missing})
	})
	if errors.Is(err, store.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotFound, err)
	}
	if err != nil {
		return fmt.Errorf("store reports of cycle %s/%s: %w", ref.Biennium, ref.Name, err)
	}
	if a.Logger != nil {
		a.Logger.Info("consolidated report stored", "biennium", ref.Biennium, "cycle", ref.Name, "emails_queued", queued)
	}
	return nil
}

func renderReport(r report.Report) (map[string]string, error) {
	bodies := make(map[string]string, len(report.Formats))
	for _, f := range report.Formats {
		var b bytes.Buffer
		if err := report.Write(&b, r, f); err != nil {
			return nil, err
		}
		bodies[f] = b.String()
	}
	return bodies, nil
}

func queueReportEmails(ctx context.Context, tx *store.Store, r report.Report, html string) (int, error) {
	recipients, err := tx.ReportRecipients(ctx)
	if err != nil {
		return 0, err
	}
	cycleTitle := r.Cycle.Title
	if cycleTitle == "" {
		cycleTitle = r.Biennium + "/" + r.Cycle.Name
	}
	all := r.Summary.AllTasks
	attachment := store.Attachment{
		Name:        fmt.Sprintf("report-%s-%s.html", r.Biennium, r.Cycle.Name),
		ContentType: "text/html; charset=utf-8",
		Content:     []byte(html),
	}
	queued := 0
	for _, p := range recipients {
		data := mail.ReportData{Lang: p.Language, Title: cycleTitle, Name: p.Name,
			ProgrammeTitle: r.ProgrammeTitle, Biennium: r.Biennium, CycleTitle: cycleTitle,
			Tasks: all.Tasks, Submitted: all.Submitted, OnTime: all.OnTime, Late: all.Late, Waived: all.Waived,
			Missing: all.Missing, Rate: all.Rate(), Command: "bienal report " + r.Biennium + "/" + r.Cycle.Name}
		c, err := mail.Render(mail.KindReportReady, p.Language, data)
		if err != nil {
			return queued, err
		}
		ok, err := tx.QueueEmail(ctx, store.Email{
			DedupKey: mail.ReportKey(r.Biennium, r.Cycle.Name, p.Email), Recipient: p.Email,
			Language: p.Language, Kind: mail.KindReportReady, Subject: c.Subject, Text: c.Text, HTML: c.HTML,
			Attachments: []store.Attachment{attachment},
		})
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}
