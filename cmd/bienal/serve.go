package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bienal/bienal/worker"
)

type migrateCmd struct{}

func (c *migrateCmd) Run(ctx context.Context, a *app) error {
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Println("schema is current; nothing to apply")
		return nil
	}
	for _, v := range applied {
		fmt.Println("applied", v)
	}
	return nil
}

type workerCmd struct{}

func (c *workerCmd) Run(ctx context.Context, a *app) error {
	s, tc, err := a.connect(ctx)
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
	a.logger.Info("worker running", "task_queue", "bienal", "metrics", "http://"+a.cfg.MetricsAddr+"/metrics")
	return worker.Run(ctx, worker.Options{Config: a.cfg, Client: tc, Pool: a.pool, Logger: a.logger})
}

type webCmd struct{}

func (c *webCmd) Run(ctx context.Context, a *app) error {
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
