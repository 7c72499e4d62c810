package main

import (
	"context"
	"net"
	"net/http"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/web"
)

// newPortal builds the portal's handler with the process's connections.
func newPortal(ctx context.Context, a *app) (http.Handler, error) {
	s, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	tc, err := a.temporal(ctx)
	if err != nil {
		return nil, err
	}
	health := a.registerGauges(s, tc)
	return web.New(web.Options{
		Health:   health,
		Store:    s,
		Temporal: tc,
		Logger:   a.logger.With("component", "web"),
		BaseURL:  a.cfg.PublicBaseURL(),
		Metrics:  a.metrics.Handler(),
		Receipt:  activities.ComposeReceipt,
	})
}

func listen(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}
