package operations

import (
	"bytes"
	"context"

	"github.com/bienal/bienal/report"
)

// ReportRequest asks for a cycle's consolidated report in one language and
// format. An empty Lang is the cycle's original language (the
// secretariat's, unless the cycle names another).
type ReportRequest struct {
	Biennium, Name string
	Lang, Format   string
}

// RenderedReport is a report written out, with the name and media type a
// download carries.
type RenderedReport struct {
	Body        []byte
	Lang        string
	FileName    string
	ContentType string
}

// Report writes a cycle's consolidated report: the rows kept when it
// closed (or as they stand, while it is open) under its current front
// matter. A language or format the report is not written in is Invalid
// before anything is read; a cycle that does not exist is store.ErrNotFound;
// a PDF with no browser to print it is report.ErrNoBrowser.
func (s *Service) Report(ctx context.Context, r ReportRequest) (RenderedReport, error) {
	errs := []error{report.CheckFormat("format", r.Format)}
	if r.Lang != "" {
		errs = append(errs, report.CheckLanguage("lang", r.Lang))
	}
	if err := invalid(errs...); err != nil {
		return RenderedReport{}, err
	}
	d, err := s.Store.ReportDocument(ctx, r.Biennium, r.Name)
	if err != nil {
		return RenderedReport{}, err
	}
	rep := report.Build(d)
	if rep.Date.IsZero() {
		rep.Date = s.now()
	}
	lang := r.Lang
	if lang == "" {
		lang = d.Cycle.OriginalLanguage
	}
	var b bytes.Buffer
	if err := report.Write(ctx, &b, rep, lang, r.Format); err != nil {
		return RenderedReport{}, err
	}
	return RenderedReport{Body: b.Bytes(), Lang: lang, FileName: report.FileName(rep, lang, r.Format),
		ContentType: report.ContentType(r.Format)}, nil
}
