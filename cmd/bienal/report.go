package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

type reportCmd struct {
	Cycle  string `arg:"" help:"<biennium>/<name>, e.g. 2017-2018/final."`
	Lang   string `help:"es, en, pt or fr (default: the cycle's original language, the secretariat's unless set with bienal cycle set --original-language)."`
	Format string `default:"html" help:"html, md, csv, docx or pdf (pdf needs Chromium on PATH)."`
	Output string `short:"o" help:"Write to this file instead of standard output."`
}

// Run prints the consolidated report: the rows kept when the cycle closed,
// or, while it is open, those in Postgres now, under the cycle's current
// front matter.
func (c *reportCmd) Run(ctx context.Context, a *app) error {
	p, err := splitRef(c.Cycle, 2, "<biennium>/<name>")
	if err != nil {
		return err
	}
	binary := c.Format == "docx" || c.Format == "pdf"
	if binary && c.Output == "" && isTerminal(os.Stdout) {
		return fmt.Errorf("--format %s writes a binary file: give -o FILE (or redirect standard output)", c.Format)
	}
	ops, err := a.operations(ctx)
	if err != nil {
		return err
	}
	r, err := ops.Report(ctx, operations.ReportRequest{Biennium: p[0], Name: p[1], Lang: c.Lang, Format: c.Format})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFoundAs(err, "cycle "+c.Cycle)
	case errors.Is(err, report.ErrNoBrowser):
		return fmt.Errorf("--format pdf: %w; the other formats need nothing more", err)
	case err != nil:
		return flagged(err, nil)
	}
	if c.Output == "" {
		_, err := os.Stdout.Write(r.Body)
		return err
	}
	// os.WriteFile returns Close's error too: a file's last bytes can fail
	// to reach the disk there.
	if err := os.WriteFile(c.Output, r.Body, 0o666); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%s, %s, %d bytes)\n", c.Output, report.FormatNames[c.Format], r.Lang, len(r.Body))
	return nil
}
