package main

import (
	"context"
	"net"
	"net/http"

	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/config"
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
		Temporal: namespacedClient{Client: tc, cfg: a.cfg},
		Logger:   a.logger.With("component", "web"),
		BaseURL:  a.cfg.PublicBaseURL(),
		Metrics:  a.metrics.Handler(),
		Receipt:  activities.ComposeReceipt,
		Evidence: a.evidence(),
	})
}

// namespacedClient is the portal's Temporal client with the check /readyz
// makes of TEMPORAL_NAMESPACE (web.NamespaceChecker).
type namespacedClient struct {
	client.Client
	cfg config.Config
}

func (c namespacedClient) CheckNamespace(ctx context.Context) error {
	return checkNamespace(ctx, c.cfg, c.Client)
}

func listen(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}
