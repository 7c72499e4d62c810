package main

// devCmd is `bienal dev`. Its flags live here, in no build tag, so that a
// production binary (built with -tags nodev) parses the same command line
// and answers with why it cannot run it rather than with an unknown flag.
// Run is in dev.go (the embedded Temporal server) or dev_nodev.go.
type devCmd struct {
	Data string `default:".bienal" help:"Directory for the embedded Temporal server's SQLite file, captured e-mail and, if needed, a private PostgreSQL cluster."`
	HTTP string `name:"http" help:"Address of the portal (overrides HTTP_ADDR)."`
}
