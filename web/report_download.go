package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

// pdfDeadline bounds a PDF download: printing starts a browser, which under
// load takes longer than a page's deadline allows.
const pdfDeadline = 2 * time.Minute

// downloadReport serves a cycle's consolidated report, always as a
// download: /cycles/B/N/report.<lang>.<format> (report.es.docx), or
// report.<format> in the cycle's original language. A language or format
// the report is not written in is refused, saying so.
func (s *server) downloadReport(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.PathValue("file"), "report.")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	lang, format, ok := strings.Cut(name, ".")
	if !ok {
		lang, format = "", name
	}
	ctx := r.Context()
	if format == "pdf" {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), pdfDeadline)
		defer cancel()
	}
	rep, err := s.ops.Report(ctx, operations.ReportRequest{Biennium: r.PathValue("biennium"), Name: r.PathValue("name"),
		Lang: lang, Format: format})
	var inv *operations.Invalid
	switch {
	case errors.As(err, &inv):
		key := "err_report_format"
		if inv.Fields[0].Field == "lang" {
			key = "err_report_lang"
		}
		s.fail(w, r, http.StatusNotFound, key)
		return
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	case errors.Is(err, report.ErrNoBrowser):
		s.log.Error("report pdf", "path", r.URL.Path, "error", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_report_pdf")
		return
	case err != nil:
		s.internal(w, r, "render report", err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", rep.ContentType)
	h.Set("Content-Disposition", `attachment; filename="`+rep.FileName+`"`)
	noStore(w)
	_, _ = w.Write(rep.Body)
}
