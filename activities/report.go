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

// StoreCycleReports keeps the report of a cycle as it stands when the
// cycle closes (store.SaveReportSnapshot: every language and format is
// rendered from it, with the cycle's front matter as it is when asked for)
// and queues one e-mail to every secretariat user, with the HTML report in
// their language attached and a link to the dashboard, where the cycle
// lists its downloads - all in one transaction. A retry takes the same rows
// again and queues no second e-mail.
func (a *Activities) StoreCycleReports(ctx context.Context, ref ReportRef) error {
	if ref.Biennium == "" || ref.Name == "" {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("store cycle reports: biennium %q and cycle name %q are both required", ref.Biennium, ref.Name),
			ErrTypeInvalid, nil)
	}
	queued := 0
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SaveReportSnapshot(ctx, ref.Biennium, ref.Name); err != nil {
			return err
		}
		d, err := tx.ReportDocument(ctx, ref.Biennium, ref.Name)
		if err != nil {
			return err
		}
		r := report.Build(d)
		if queued, err = a.queueReportEmails(ctx, tx, r); err != nil {
			return err
		}
		subject := cooperation.CycleID(ref.Biennium, ref.Name)
		return tx.Audit(ctx, "report_stored/"+ref.Biennium+"/"+ref.Name, "system", subject, "report_stored",
			map[string]any{"tasks": r.Summary.AllTasks.Tasks, "reported": r.Summary.AllTasks.Reported, "missing": r.Summary.AllTasks.Missing})
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

func (a *Activities) queueReportEmails(ctx context.Context, tx *store.Store, r report.Report) (int, error) {
	recipients, err := tx.ReportRecipients(ctx)
	if err != nil {
		return 0, err
	}
	cycleTitle := r.Cycle.Title
	if cycleTitle == "" {
		cycleTitle = r.Biennium + "/" + r.Cycle.Name
	}
	all := r.Summary.AllTasks
	queued := 0
	for _, p := range recipients {
		var html bytes.Buffer
		if err := report.Write(ctx, &html, r, p.Language, "html"); err != nil {
			return queued, err
		}
		data := mail.ReportData{Lang: p.Language, Title: cycleTitle, Name: p.Name,
			ProgrammeTitle: r.ProgrammeTitleSet().Show(p.Language), Biennium: r.Biennium, CycleTitle: cycleTitle,
			Tasks: all.Tasks, Submitted: all.Reported, OnTime: all.OnTime, Late: all.Late, Waived: all.Waived,
			Missing: all.Missing, Rate: all.Rate(), Command: "bienal report " + r.Biennium + "/" + r.Cycle.Name,
			URL: mail.CycleReportsURL(a.BaseURL, r.Biennium, r.Cycle.Name)}
		c, err := mail.Render(mail.KindReportReady, p.Language, data)
		if err != nil {
			return queued, err
		}
		ok, err := tx.QueueEmail(ctx, store.Email{
			DedupKey: mail.ReportKey(r.Biennium, r.Cycle.Name, p.Email), Recipient: p.Email,
			Language: p.Language, Kind: mail.KindReportReady, Subject: c.Subject, Text: c.Text, HTML: c.HTML,
			Attachments: []store.Attachment{{Name: report.FileName(r, p.Language, "html"),
				ContentType: report.ContentType("html"), Content: html.Bytes()}},
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
