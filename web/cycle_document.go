package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

// reportDownloads is a cycle's report in every language and format, as the
// dashboard and the cycle page list it (template "downloads"): one row per
// language, each named in itself, one link per format.
type reportDownloads struct {
	// Caption and Language are the table's words in the page's language.
	Caption, Language string
	Base              string
	Languages         []langLink
	Formats           []formatLink
}

type formatLink struct{ Code, Name string }

func downloadsOf(p page, biennium, name string) reportDownloads {
	d := reportDownloads{Caption: p.T("downloads_table"), Language: p.T("language"), Base: cyclePath(biennium, name),
		Languages: languageChoices()}
	for _, f := range report.Formats {
		d.Formats = append(d.Formats, formatLink{Code: f, Name: report.FormatNames[f]})
	}
	return d
}

// documentForm is the front matter as its form shows it before any edit.
func documentForm(d store.CycleDocument) map[string]string {
	own := ""
	if d.OwnLanguage {
		own = d.OriginalLanguage
	}
	return map[string]string{"symbol": d.Symbol, "distribution": string(d.Distribution),
		"revision": strconv.Itoa(d.Revision), "original_language": own}
}

// setCycleDocument changes the front matter of a cycle's report from the
// cycle page, answering by redirect to the page at its form: saved, or each
// refusal beside its field with nothing changed.
func (s *server) setCycleDocument(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCycle(w, r)
	if !ok {
		return
	}
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	symbol, dist, rev, lang := f.value(r, "symbol"), f.value(r, "distribution"), f.value(r, "revision"), f.value(r, "original_language")
	_, err := s.ops.SetCycleDocument(r.Context(), operations.CycleDocumentRequest{Biennium: c.Biennium, Name: c.Name,
		Symbol: &symbol, Distribution: &dist, Revision: &rev, OriginalLanguage: &lang, By: currentUser(r).user.Email})
	switch {
	case err == nil:
		s.answerCycle(w, r, c, "document", nil, false, "document_saved")
	case f.refuseOperation(err, nil):
		s.answerCycle(w, r, c, "document", f, true, "")
	case errors.Is(err, store.ErrNotFound):
		s.failIn(w, r, http.StatusNotFound, "err_not_found", f.lang)
	default:
		s.internal(w, r, "set front matter", err)
	}
}
