package report_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bienal/bienal/web/axetest"
)

// TestHTMLPassesAxe opens the printable HTML - the page the PDF is printed
// from - in headless Chromium, in Spanish and in English, at a laptop's and
// a phone's width, and runs axe-core's rules over it: no violation at any
// impact. The PDF carries the same structure as tags (TestPDF checks
// them), which axe, a checker of web pages, does not read.
func TestHTMLPassesAxe(t *testing.T) {
	t.Parallel()
	r := closedReport(t)
	b := axetest.New(t)
	dir := t.TempDir()
	for _, lang := range []string{"es", "en"} {
		file := filepath.Join(dir, "report-"+lang+".html")
		if err := os.WriteFile(file, []byte(write(t, r, lang, "html")), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, width := range axetest.Widths {
			b.Open("file://"+file, width, "main")
			b.RequireAccessible("report." + lang + ".html")
		}
	}
}
