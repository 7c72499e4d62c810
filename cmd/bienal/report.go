package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

type reportCmd struct {
	Cycle  string `arg:"" help:"<biennium>/<name>, e.g. 2017-2018/final."`
	Format string `default:"html" enum:"html,md,csv" help:"html, md or csv."`
	Output string `short:"o" help:"Write to this file instead of standard output."`
}

// Run prints the consolidated report: the one stored when the cycle closed,
// or, while it is open, one built now from what is in Postgres.
func (c *reportCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Cycle, 2, "<biennium>/<name>")
	if err != nil {
		return err
	}
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	body, err := s.GetReport(ctx, p[0], p[1], c.Format)
	if errors.Is(err, store.ErrNotFound) {
		data, lerr := s.LoadReportData(ctx, p[0], p[1])
		if lerr != nil {
			return notFoundAs(lerr, "cycle "+c.Cycle)
		}
		var b strings.Builder
		if err := report.Write(&b, report.Build(data), c.Format); err != nil {
			return err
		}
		body, err = b.String(), nil
	}
	if err != nil {
		return err
	}
	if c.Output == "" {
		_, err := io.WriteString(os.Stdout, body)
		return err
	}
	// os.WriteFile returns Close's error too: a file's last bytes can fail
	// to reach the disk there.
	if err := os.WriteFile(c.Output, []byte(body), 0o666); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes)\n", c.Output, len(body))
	return nil
}
