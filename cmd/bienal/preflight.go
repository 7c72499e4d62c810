package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// startTimeout bounds what a worker or portal checks before it serves.
// An address that never answers (a firewall dropping packets) would
// otherwise hold the process in its first connect for minutes, looking
// started; this way it exits saying which setting to fix.
const startTimeout = 15 * time.Second

// ready checks, before a worker or a portal serves anything, that what it
// needs is there, and names the setting or the missing step when it is
// not: Postgres at DATABASE_URL with this binary's schema, the
// deployment's public URL, Temporal at TEMPORAL_ADDRESS with
// TEMPORAL_NAMESPACE registered and its search attributes. part ("worker", "web") is recorded as
// the one that stored the public URL, when it is the first to give one.
func (a *app) ready(ctx context.Context, part string) (*store.Store, client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := s.CheckSchema(ctx); err != nil {
		return nil, nil, fmt.Errorf("postgres at %s: %w", redactURL(a.cfg.DatabaseURL), err)
	}
	if err := a.settleBaseURL(ctx, s, part); err != nil {
		return nil, nil, err
	}
	tc, err := a.temporal(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := checkNamespace(ctx, a.cfg, tc); err != nil {
		return nil, nil, err
	}
	return s, tc, nil
}

// checkNamespace tells whether TEMPORAL_NAMESPACE is registered with every
// search attribute the workflows set.
func checkNamespace(ctx context.Context, cfg config.Config, tc client.Client) error {
	if err := cfg.CheckNamespace(ctx, config.Namespaces(tc)); err != nil {
		return err
	}
	return cfg.CheckSearchAttributes(ctx, config.SearchAttributesOf(tc), requiredSearchAttributes())
}

// requiredSearchAttributes are the workflows' search attributes as the
// check takes them.
func requiredSearchAttributes() []config.RequiredSearchAttribute {
	var out []config.RequiredSearchAttribute
	for _, sa := range workflows.SearchAttributes() {
		out = append(out, config.RequiredSearchAttribute{Name: sa.Name, Type: sa.Type})
	}
	return out
}

// settleBaseURL makes the deployment's public URL, stored in Postgres,
// the one this process puts in e-mailed links. Each process reading its
// own BASE_URL let a command run from an operator's shell (a reminder
// sweep, a call for proposals) mail links to that shell's default. So:
// with nothing stored, a process given BASE_URL stores it when claimAs
// names it (migrate, worker, web) and uses it; a process not given
// BASE_URL uses the stored URL; one given a different BASE_URL is refused,
// naming both, before it composes anything.
func (a *app) settleBaseURL(ctx context.Context, s *store.Store, claimAs string) error {
	own := a.cfg.PublicBaseURL()
	var st store.Setting
	var err error
	if claimAs != "" && a.baseURLGiven {
		st, err = s.ClaimBaseURL(ctx, own, claimAs)
	} else {
		st, err = s.BaseURL(ctx)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case st.Value == own:
		return nil
	case a.baseURLGiven:
		return fmt.Errorf("BASE_URL is %s, but this deployment's e-mailed links go to %s (stored by bienal %s on %s): "+
			"unset BASE_URL to use the stored one, or, if the portal has moved, run: BASE_URL=%s bienal migrate --move-base-url",
			own, st.Value, st.SetBy, st.SetAt.UTC().Format(time.DateOnly), own)
	}
	a.cfg.BaseURL = st.Value
	return nil
}
