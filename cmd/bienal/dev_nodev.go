//go:build nodev

package main

import (
	"context"
	"errors"
)

// errNoDevServer is what `bienal dev` answers in the production build, which
// leaves the embedded Temporal server (go.temporal.io/server, about 200 MB
// and 300 packages) out of the binary.
var errNoDevServer = errors.New(`this binary was built without the development server (-tags nodev, the production build).
  In production, run "bienal migrate", "bienal worker" and "bienal web" against a Temporal server (see docker-compose.yml).
  For development, run "go run ./cmd/bienal dev" in a checkout of the source, or build a binary with it: go build ./cmd/bienal`)

// Run refuses: see errNoDevServer.
func (c *devCmd) Run(context.Context, *app) error {
	return errNoDevServer
}
