package programme

import (
	"errors"

	"github.com/bienal/bienal/cooperation"
)

// ReportFile is the report an operator submits for a task from a file
// (`bienal task submit --file`): one YAML mapping of these fields, read with
// the same rules as the programme file (one document, no anchors or
// aliases, at most MaxFileSize bytes, unknown fields refused, every problem
// reported with its line). Whether the status is one a report may have is
// for the store to check, where the portal's submissions are checked too.
type ReportFile struct {
	Status       string `json:"status"`
	Progress     string `json:"progress"`
	Results      string `json:"results"`
	Difficulties string `json:"difficulties"`
	NextSteps    string `json:"next_steps"`
	SubmittedBy  string `json:"submitted_by"`
	// Language is the language the texts are written in (es, en, pt or
	// fr), "" when the file does not say.
	Language string `json:"language"`
}

// ParseReport reads a report file; on any problem it returns Errors.
func ParseReport(data []byte) (*ReportFile, error) {
	root, err := documentRoot(data)
	if err != nil {
		return nil, err
	}
	w := &walker{}
	o := w.object(root, "", "status", "progress", "results", "difficulties", "next_steps", "submitted_by", "language")
	rf := &ReportFile{
		Status:       o.str("status", true, 20),
		Progress:     o.str("progress", false, cooperation.MaxReportText),
		Results:      o.str("results", false, cooperation.MaxReportText),
		Difficulties: o.str("difficulties", false, cooperation.MaxReportText),
		NextSteps:    o.str("next_steps", false, cooperation.MaxReportText),
		SubmittedBy:  o.str("submitted_by", false, cooperation.MaxEmail),
		Language:     o.str("language", false, 20),
	}
	var fe *cooperation.FieldError
	if errors.As(cooperation.TextLanguage("language", rf.Language), &fe) {
		o.fail("language", "%s", fe.Detail)
	}
	if len(w.errs) > 0 {
		return nil, w.errs.sorted()
	}
	return rf, nil
}
