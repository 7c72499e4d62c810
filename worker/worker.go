// Package worker assembles one bienal worker process: the Temporal worker
// with every workflow and activity registered, e-mail delivery and the
// reminder scheduler. It holds no business rules of its own.
package worker

import (
	"context"
	"errors"
	"fmt"
	"go.temporal.io/sdk/interceptor"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// Options are what a worker process is built from.
type Options struct {
	Config config.Config
	Client client.Client
	Pool   *pgxpool.Pool
	Logger *slog.Logger
	// CaptureDir, when SMTP_URL is empty, receives every message as an .eml file.
	CaptureDir string
	// Now replaces the clock in tests.
	Now func() time.Time
}

// Activities builds the one Activities value the worker registers.
func Activities(o Options) *activities.Activities {
	return &activities.Activities{
		Store:   store.New(o.Pool),
		BaseURL: o.Config.PublicBaseURL(),
		Now:     o.Now,
		Logger:  o.Logger,
	}
}

// Register puts every workflow and activity on w. Tests that run their own
// worker call it too, so that they run exactly what production runs.
func Register(w sdkworker.Registry, acts *activities.Activities) {
	registerWorkflows(w)
	w.RegisterActivity(acts)
}

// SDKOptions are the Temporal worker's options; tests that run their own
// worker use them too.
func SDKOptions() sdkworker.Options {
	return sdkworker.Options{Interceptors: []interceptor.WorkerInterceptor{activities.Interceptor()}}
}

// Run runs the worker until ctx ends. It refuses at once, before it polls,
// when it could not deliver e-mail (CheckMail).
func Run(ctx context.Context, o Options) error {
	if err := CheckMail(o); err != nil {
		return err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	w := sdkworker.New(o.Client, workflows.TaskQueue, SDKOptions())
	Register(w, Activities(o))
	if err := w.Start(); err != nil {
		return fmt.Errorf("start temporal worker: %w", err)
	}
	defer w.Stop()

	errc := make(chan error, 2)
	go func() { errc <- runDelivery(ctx, o) }()
	go func() { errc <- runScheduler(ctx, o) }()
	var errs []error
	for range 2 {
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
