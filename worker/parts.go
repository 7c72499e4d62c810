package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/reminder"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

func registerWorkflows(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.Activity, workflow.RegisterOptions{Name: workflows.ActivityWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.ReportingCycle, workflow.RegisterOptions{Name: workflows.CycleWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.ReportTask, workflow.RegisterOptions{Name: workflows.TaskWorkflowName})
}

// NewDeliverer builds e-mail delivery from SMTP_URL and MAIL_FROM, or the
// capture directory when no SMTP server is set.
func NewDeliverer(o Options) (*mail.Deliverer, error) {
	return mail.NewDeliverer(mail.DeliveryOptions{
		Store:      store.New(o.Pool),
		SMTPURL:    o.Config.SMTPURL,
		From:       o.Config.MailFrom,
		CaptureDir: o.CaptureDir,
		Now:        o.Now,
		Logger:     o.Logger.With("component", "mail"),
	})
}

// CheckMail refuses a worker that could not deliver. Without SMTP_URL and
// without a capture directory every message would wait in Postgres while
// the worker polled and looked healthy, so Run says so before it starts.
func CheckMail(o Options) error {
	if o.Config.SMTPURL == "" && o.CaptureDir == "" {
		return errors.New("SMTP_URL: not set; a worker needs an SMTP server to deliver e-mail (smtp://user:pass@host:port or smtps://...; only bienal dev captures mail instead)")
	}
	return nil
}

func runDelivery(ctx context.Context, o Options) error {
	d, err := NewDeliverer(o)
	if err != nil {
		return err
	}
	return d.Run(ctx)
}

// NewSweeper builds the reminder sweep.
func NewSweeper(o Options) *reminder.Sweeper {
	return &reminder.Sweeper{
		Store:   store.New(o.Pool),
		Now:     o.Now,
		Logger:  o.Logger.With("component", "reminder"),
		BaseURL: o.Config.PublicBaseURL(),
	}
}

func runScheduler(ctx context.Context, o Options) error {
	ops := &operations.Service{Store: store.New(o.Pool), Temporal: o.Client, Logger: o.Logger.With("component", "operations"), Now: o.Now}
	log := o.Logger.With("component", "scheduler")
	s, err := reminder.Schedule(ctx, reminder.ScheduleOptions{
		Sweeper: NewSweeper(o),
		Cron:    o.Config.ReminderSchedule,
		Pool:    o.Pool,
		Logger:  log,
		Jobs: []reminder.Job{{Name: "tell-submissions", Every: time.Minute, Run: func(ctx context.Context) {
			if _, err := ops.TellSubmissions(ctx, o.Client); err != nil {
				log.Warn("stored reports not all told to their tasks", "error", err)
			}
			if _, err := ops.TellRevisions(ctx, o.Client); err != nil {
				log.Warn("stored revisions not all told to their activities", "error", err)
			}
			if _, err := ops.StartProposals(ctx); err != nil {
				log.Warn("stored proposals not all started", "error", err)
			}
			if _, err := ops.ApplyDueReplacements(ctx); err != nil {
				log.Warn("scheduled replacements not all made", "error", err)
			}
		}}},
	})
	if err != nil {
		return err
	}
	<-ctx.Done()
	if err := s.Shutdown(); err != nil {
		return fmt.Errorf("stop scheduler: %w", err)
	}
	return ctx.Err()
}
