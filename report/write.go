package report

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bienal/bienal/cooperation"
)

// Formats are the renderings of a report: printable HTML, Markdown, CSV
// for spreadsheets, DOCX to edit in Word or LibreOffice, and PDF to publish.
var Formats = []string{"html", "md", "csv", "docx", "pdf"}

// FormatNames are the formats as people know them.
var FormatNames = map[string]string{"html": "HTML", "md": "Markdown", "csv": "CSV", "docx": "Word (DOCX)", "pdf": "PDF"}

var contentTypes = map[string]string{
	"html": "text/html; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"pdf":  "application/pdf",
}

// ContentType is the media type of a format.
func ContentType(format string) string { return contentTypes[format] }

// CheckFormat refuses a format the report is not written in, naming those it is.
func CheckFormat(field, format string) error {
	if slices.Contains(Formats, format) {
		return nil
	}
	return &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice,
		Detail: fmt.Sprintf("report format %q: want one of %s", cooperation.Excerpt(format, 20), strings.Join(Formats, ", "))}
}

// FileName is the name a rendering is saved under:
// report-2017-2018-final-es.docx, with -rev1 once revised.
func FileName(r Report, lang, format string) string {
	rev := ""
	if r.Cycle.Revision > 0 {
		rev = fmt.Sprintf("-rev%d", r.Cycle.Revision)
	}
	return fmt.Sprintf("report-%s-%s-%s%s.%s", r.Biennium, r.Cycle.Name, lang, rev, format)
}

// Write writes the report in lang and format. ctx bounds the printing of a
// PDF, the one format that needs another program (see PDF).
func Write(ctx context.Context, w io.Writer, r Report, lang, format string) error {
	if err := CheckLanguage("lang", lang); err != nil {
		return err
	}
	if err := CheckFormat("format", format); err != nil {
		return err
	}
	ws := wordsOf(lang)
	ws.foreign = map[string]cooperation.Shown{}
	v := view{Report: localized(r, ws), words: ws}
	var err error
	switch format {
	case "html":
		err = writeHTML(w, v)
	case "md":
		err = writeMarkdown(w, v)
	case "csv":
		err = writeCSV(w, v)
	case "docx":
		err = writeDOCX(w, v)
	case "pdf":
		err = writePDF(ctx, w, v)
	}
	if err != nil {
		return fmt.Errorf("write the %s report of %s/%s in %s: %w", format, r.Biennium, r.Cycle.Name, lang, err)
	}
	return nil
}
