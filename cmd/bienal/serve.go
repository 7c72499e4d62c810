package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/worker"
)

type migrateCmd struct {
	MoveBaseURL bool `name:"move-base-url" help:"Make BASE_URL the deployment's public URL in place of the stored one (links already e-mailed keep the old address); then restart every worker and web."`
}

func (c *migrateCmd) Run(ctx context.Context, a *app) error {
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Println("schema is current; nothing to apply")
	}
	for _, v := range applied {
		fmt.Println("applied", v)
	}
	return c.settleBaseURL(ctx, a, s)
}

// settleBaseURL stores BASE_URL as the deployment's public URL when none is
// stored, or moves it when asked, and says which URL e-mailed links use.
func (c *migrateCmd) settleBaseURL(ctx context.Context, a *app, s *store.Store) error {
	own := a.cfg.PublicBaseURL()
	if c.MoveBaseURL {
		if !a.baseURLGiven {
			return errors.New("--move-base-url: set BASE_URL (or --base-url) to the portal's new public URL")
		}
		prev, err := s.MoveBaseURL(ctx, own, "migrate")
		if err != nil {
			return err
		}
		if prev != "" && prev != own {
			fmt.Printf("public URL moved from %s to %s: restart every worker and web, which read it at start\n", prev, own)
			return nil
		}
	} else if err := a.settleBaseURL(ctx, s, "migrate"); err != nil {
		return err
	}
	if _, err := s.BaseURL(ctx); errors.Is(err, store.ErrNotFound) {
		fmt.Printf("public URL not stored: set BASE_URL and run bienal migrate again (until then each process links to its own BASE_URL, now %s)\n", own)
		return nil
	}
	fmt.Println("public URL of e-mailed links:", a.cfg.PublicBaseURL())
	return nil
}

type workerCmd struct{}

func (c *workerCmd) Run(ctx context.Context, a *app) error {
	if err := worker.CheckMail(worker.Options{Config: a.cfg}); err != nil {
		return err
	}
	a.poolSize = store.WorkerMaxConns
	s, tc, err := a.ready(ctx, "worker")
	if err != nil {
		return err
	}
	a.registerGauges(s, tc)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	stopMetrics, err := serveHTTP(ctx, a, a.cfg.MetricsAddr, mux)
	if err != nil {
		return err
	}
	defer stopMetrics()
	a.logger.Info("worker running", "task_queue", "bienal", "metrics", "http://"+a.cfg.MetricsAddr+"/metrics", "base_url", a.cfg.PublicBaseURL())
	return worker.Run(ctx, worker.Options{Config: a.cfg, Client: tc, Pool: a.pool, Logger: a.logger})
}

type webCmd struct{}

func (c *webCmd) Run(ctx context.Context, a *app) error {
	a.poolSize = store.PortalMaxConns
	if _, _, err := a.ready(ctx, "web"); err != nil {
		return err
	}
	h, err := newPortal(ctx, a)
	if err != nil {
		return err
	}
	stop, err := serveHTTP(ctx, a, a.cfg.HTTPAddr, h)
	if err != nil {
		return err
	}
	defer stop()
	a.logger.Info("portal running", "url", a.cfg.PublicBaseURL())
	<-ctx.Done()
	return nil
}

// serveHTTP listens on addr and serves h until the returned stop is called.
func serveHTTP(ctx context.Context, a *app, addr string, h http.Handler) (stop func(), err error) {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ln, err := listen(addr)
	if err != nil {
		return nil, err
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.logger.Error("http server stopped", "addr", addr, "error", err)
		}
	}()
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}, nil
}
