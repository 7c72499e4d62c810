package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser says that a PDF cannot be printed here: no Chromium (or
// Chrome) is installed. The other formats need nothing.
var ErrNoBrowser = errors.New("printing a PDF needs Chromium or Chrome on PATH (Debian: apt-get install chromium)")

// browsers are the programs PDF looks for on PATH, in order.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"}

// printing lets one browser print at a time in this process: each is a few
// hundred MB, and a burst of downloads must not start one per request.
var printing = make(chan struct{}, 1)

// pdfTimeout bounds one printing, the browser's start included.
const pdfTimeout = 90 * time.Second

// writePDF prints the printable HTML with headless Chromium, which makes a
// tagged PDF: its language is the page's lang, its headings, lists and
// tables (header cells included) are in its structure tree for a screen
// reader, and its outline lists the headings. The footer carries the
// symbol and the page number.
//
// The browser runs without its sandbox, which needs privileges a container
// rarely grants, so it is given nothing to run: the page is this package's
// own HTML, every text in it escaped by html/template, scripts are
// switched off before it loads, and it cannot resolve any host name.
func writePDF(ctx context.Context, w io.Writer, v view) error {
	var page bytes.Buffer
	if err := writeHTML(&page, v); err != nil {
		return err
	}
	path, err := findBrowser()
	if err != nil {
		return err
	}
	select {
	case printing <- struct{}{}:
		defer func() { <-printing }()
	case <-ctx.Done():
		return fmt.Errorf("wait to print: %w", ctx.Err())
	}
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "bienal-pdf-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o600); err != nil {
		return err
	}
	pdf, err := printFile(ctx, path, dir, file, footer(v))
	if err != nil {
		return fmt.Errorf("print with %s: %w", path, err)
	}
	_, err = w.Write(pdf)
	return err
}

func findBrowser() (string, error) {
	for _, b := range browsers {
		if p, err := exec.LookPath(b); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

func printFile(ctx context.Context, path, dir, file, footer string) ([]byte, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	noScripts := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(bctx, noScripts, chromedp.Navigate("file://"+file)); err != nil {
		return nil, err
	}
	return chromedp.Run(bctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFMargins(0.8, 0.75, 0.8, 0.75),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
		chromedp.PDFHeaderTemplate(`<span></span>`),
		chromedp.PDFFooterTemplate(footer),
		chromedp.PDFStream(),
	))
}

// footer is the PDF's page footer: the symbol on the left, "Page N" on the
// right, as the DOCX's.
func footer(v view) string {
	return `<div style="font:8px Arial,Helvetica,sans-serif;width:100%;margin:0 0.75in;display:flex;justify-content:space-between">` +
		`<span>` + html.EscapeString(v.Symbol()) + `</span><span>` + html.EscapeString(v.T("page")) +
		` <span class="pageNumber"></span></span></div>`
}
