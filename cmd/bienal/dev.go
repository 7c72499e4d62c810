//go:build !nodev

// The development server: this file links go.temporal.io/server (through
// devserver), so the production build (-tags nodev) leaves it out and gets
// dev_nodev.go instead.

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bienal/bienal/devserver"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/worker"
)

func (c *devCmd) Run(ctx context.Context, a *app) error {
	if c.HTTP != "" {
		a.cfg.HTTPAddr = c.HTTP
	}
	lock, err := devserver.LockDir(c.Data)
	if err != nil {
		return err
	}
	defer warnStop(a, "the data directory's lock", lock.Unlock)

	explicit := os.Getenv("DATABASE_URL") != "" || flagGiven("--database-url")
	pg, err := devserver.FindPostgres(ctx, a.cfg.DatabaseURL, explicit, c.Data)
	if err != nil {
		return err
	}
	defer warnStop(a, "postgres", pg.Stop)
	a.cfg.DatabaseURL = pg.URL
	a.poolSize = store.DefaultMaxConns
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	// bienal dev is the whole deployment: the portal it serves is the one
	// every e-mailed link goes to, and commands run beside it read it.
	if _, err := s.MoveBaseURL(ctx, a.cfg.PublicBaseURL(), "dev"); err != nil {
		return err
	}

	port, err := portOf(a.cfg.TemporalAddress)
	if err != nil {
		return err
	}
	tsrv, err := devserver.Start(devserver.Options{
		DatabaseFile: filepath.Join(c.Data, "temporal.db"),
		FrontendPort: port,
		Namespace:    a.cfg.TemporalNamespace,
	})
	if err != nil {
		return fmt.Errorf("%w (is another Temporal server using %s?)", err, a.cfg.TemporalAddress)
	}
	defer warnStop(a, "the embedded temporal server", tsrv.Stop)
	a.cfg.TemporalAddress = tsrv.Address()

	handler, err := newPortal(ctx, a)
	if err != nil {
		return err
	}
	stopWeb, err := serveHTTP(ctx, a, a.cfg.HTTPAddr, handler)
	if err != nil {
		return fmt.Errorf("portal on %s (HTTP_ADDR or --http): %w", a.cfg.HTTPAddr, err)
	}
	defer stopWeb()

	capture := ""
	if a.cfg.SMTPURL == "" {
		capture = filepath.Join(c.Data, "mail")
	}
	wctx, stopWorker := context.WithCancel(ctx)
	werr := make(chan error, 1)
	go func() {
		werr <- worker.Run(wctx, worker.Options{Config: a.cfg, Client: a.tc, Pool: a.pool, Logger: a.logger, CaptureDir: capture})
	}()

	printReady(c, a, pg, tsrv, applied, capture)
	select {
	case <-ctx.Done():
	case err := <-werr:
		stopWorker()
		return fmt.Errorf("worker stopped: %w", err)
	}
	fmt.Println("\nbienal dev: stopping")
	stopWorker()
	select {
	case err := <-werr:
		if err != nil && !errors.Is(err, context.Canceled) {
			a.logger.Warn("worker stopped with an error", "error", err)
		}
	case <-time.After(15 * time.Second):
		a.logger.Warn("worker did not stop within 15s")
	}
	return nil
}

// warnStop runs a deferred stop and logs its error: by then the command has
// its outcome, and a part that did not stop (a private PostgreSQL cluster
// still running) is worth telling.
func warnStop(a *app, part string, stop func() error) {
	if err := stop(); err != nil {
		a.logger.Warn("bienal dev: a part did not stop cleanly", "part", part, "error", err)
	}
}

func printReady(c *devCmd, a *app, pg *devserver.Postgres, tsrv *devserver.Server, applied []string, capture string) {
	mailLine := "sent to SMTP_URL"
	if capture != "" {
		mailLine = "captured as .eml files in " + capture + " (set SMTP_URL to send)"
	}
	fmt.Printf(`bienal dev is ready
  data       %s
  postgres   %s (%s; %d migrations applied now)
  temporal   %s, namespace %s (embedded; SQLite %s)
             temporal workflow list --address %s
  portal     %s/
  health     %s/readyz   metrics %s/metrics
  e-mail     %s
Next, in another shell:
  go run ./cmd/bienal programme import examples/programme-2017-2018.yaml
  go run ./cmd/bienal activity list
Stop with Ctrl-C; everything is kept in %s for the next start.
`, c.Data, redactURL(pg.URL), pg.Origin, len(applied), tsrv.Address(), a.cfg.TemporalNamespace,
		filepath.Join(c.Data, "temporal.db"), tsrv.Address(), a.cfg.PublicBaseURL(),
		a.cfg.PublicBaseURL(), a.cfg.PublicBaseURL(), mailLine, c.Data)
}
