package web

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

var reportTypes = map[string]string{
	"html": "text/html; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
}

// downloadReport serves a cycle's consolidated report: the stored one once
// the cycle has produced it, else one rendered now from the current rows.
func (s *server) downloadReport(w http.ResponseWriter, r *http.Request) {
	biennium, name := r.PathValue("biennium"), r.PathValue("name")
	format, ok := strings.CutPrefix(r.PathValue("file"), "report.")
	if !ok || !slices.Contains(report.Formats, format) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	body, err := s.store.GetReport(r.Context(), biennium, name, format)
	if errors.Is(err, store.ErrNotFound) {
		body, err = s.renderReport(r, biennium, name, format)
	}
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "load report", err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", reportTypes[format])
	h.Set("Content-Disposition", `attachment; filename="report-`+biennium+`-`+name+`.`+format+`"`)
	noStore(w)
	_, _ = w.Write([]byte(body))
}

func (s *server) renderReport(r *http.Request, biennium, name, format string) (string, error) {
	d, err := s.store.LoadReportData(r.Context(), biennium, name)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := report.Write(&b, report.Build(d), format); err != nil {
		return "", err
	}
	return b.String(), nil
}
