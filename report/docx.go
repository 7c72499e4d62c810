package report

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/bienal/bienal/store"
)

// The DOCX is WordprocessingML written through these templates and packed
// with archive/zip: no Go library we could find writes Word's heading
// styles, repeated header rows, a PAGE field and the document language and
// is both well kept and freely licensed, while the few parts a report needs
// are short and stable (see README, "The report as a document").
//
//go:embed templates/docx/*.xml
var docxFiles embed.FS

// text/template, not html/template: the parts are XML. Every text reaches
// them through x, p or labelled, which escape it; the templates themselves
// only lay out elements.
var docxTemplates = template.Must(template.New("docx").Funcs(template.FuncMap{
	"x":        xmlText,
	"runs":     runs,
	"p":        paragraph,
	"labelled": labelled,
}).ParseFS(docxFiles, "templates/docx/*.xml"))

// docxParts are the package's parts: where each goes and its template.
var docxParts = []struct{ name, template string }{
	{"[Content_Types].xml", "content_types.xml"},
	{"_rels/.rels", "rels.xml"},
	{"docProps/core.xml", "core.xml"},
	{"docProps/app.xml", "app.xml"},
	{"word/_rels/document.xml.rels", "document_rels.xml"},
	{"word/document.xml", "document.xml"},
	{"word/styles.xml", "styles.xml"},
	{"word/settings.xml", "settings.xml"},
	{"word/footer1.xml", "footer.xml"},
}

// languageTags are the languages as Word's proofing tools name them:
// Spanish as written in Chile, where ECLAC sits, and English in ECLAC's
// British spelling.
var languageTags = map[string]string{"es": "es-CL", "en": "en-GB", "pt": "pt-BR", "fr": "fr-FR"}

// writeDOCX writes the report as a Word document: the front matter at the
// top of the first page, headings in Word's own Heading 1 to 3 styles (its
// navigation pane and a table of contents find them), tables whose header
// row repeats on each page, page numbers in the footer, and the language
// set on every style and in the document's properties. Two renderings of
// the same report are byte for byte the same.
func writeDOCX(w io.Writer, v view) error {
	d := docxView{v}
	z := zip.NewWriter(w)
	// A fixed time: the zip records one per part, and the document's own
	// date is in its properties.
	modified := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, part := range docxParts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		if err := docxTemplates.ExecuteTemplate(f, part.template, d); err != nil {
			return fmt.Errorf("%s: %w", part.name, err)
		}
	}
	return z.Close()
}

// docxView is the report as the DOCX templates read it.
type docxView struct{ view }

// Tag is the document's language as Word names it.
func (d docxView) Tag() string { return languageTags[d.Lang] }

// DatesLine says when reports were due and the cycle closes, and its status.
func (d docxView) DatesLine() string {
	s := fmt.Sprintf("%s %s · %s %s · %s: %s", d.T("due"), d.Day(d.Cycle.DueOn), d.T("closes"), d.Day(d.Cycle.ClosesOn),
		d.T("status"), d.CycleStatus(d.Cycle.Status))
	if c := d.Cycle.ClosedAt; c != nil {
		s += fmt.Sprintf(" (%s %s)", d.T("closed_on"), d.Day(*c))
	}
	return s
}

// LeadLine names an activity's lead and participating countries.
func (d docxView) LeadLine(a Activity) string { return leadLine(d.words, a) }

// ReportsLine is what each country reported of an activity.
func (d docxView) ReportsLine(a Activity) string { return countryReportsLine(d.words, a) }

// docTable is a table as the "table" template lays it out: a header row
// repeated on every page, then rows of text.
type docTable struct {
	Caption string
	Widths  []int // of each column, in twentieths of a point; they add up to the text width
	Head    []string
	Rows    [][]string
	Numeric []bool // columns of figures, aligned right
}

// textWidth is the width between an A4 page's 2 cm margins, in twips.
const textWidth = 9638

// columns shares the text width: the first column takes first, the
// others share the rest alike.
func columns(n, first int) []int {
	w := make([]int, n)
	w[0] = first
	for i := 1; i < n; i++ {
		w[i] = (textWidth - first) / (n - 1)
	}
	return w
}

// HeadStyle is the paragraph style of a header cell.
func (t docTable) HeadStyle(int) string { return "TableHeading" }

// CellStyle is the paragraph style of column i's cells.
func (t docTable) CellStyle(i int) string {
	if i < len(t.Numeric) && t.Numeric[i] {
		return "TableNumber"
	}
	return "TableText"
}

// GoalTable is the summary of activities by status, per goal.
func (d docxView) GoalTable() docTable {
	t := docTable{Caption: d.T("by_goal"), Head: []string{d.T("goal")}}
	for _, st := range ExecutionStatuses {
		t.Head = append(t.Head, d.Execution(st))
	}
	t.Head = append(t.Head, d.T("total"))
	t.Widths = columns(len(t.Head), 2838)
	t.Numeric = make([]bool, len(t.Head))
	for i := 1; i < len(t.Numeric); i++ {
		t.Numeric[i] = true
	}
	for _, g := range append(d.Summary.Goals, d.TotalRow()) {
		name := g.Title
		if g.Number > 0 {
			name = fmt.Sprintf("%d. %s", g.Number, g.Title)
		}
		row := []string{name}
		for _, c := range g.Counts {
			row = append(row, fmt.Sprint(c))
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprint(g.Total)))
	}
	return t
}

// CountryTable is the summary of reports by country.
func (d docxView) CountryTable() docTable {
	t := docTable{Caption: d.T("by_country"), Head: countryHeader(d.words)}
	t.Widths = columns(len(t.Head), 2158)
	t.Numeric = make([]bool, len(t.Head))
	for i := 1; i < len(t.Numeric); i++ {
		t.Numeric[i] = true
	}
	for _, c := range append(d.Summary.Countries, d.AllCountries()) {
		t.Rows = append(t.Rows, countryCells(d.words, c))
	}
	return t
}

// VersionTable is a task's history.
func (d docxView) VersionTable(task store.ReportTask) docTable {
	t := docTable{Caption: d.T("versions"), Head: []string{d.Cap("version"), d.T("submitted_on"), d.T("status"), d.T("review")},
		Widths: []int{1638, 2800, 1600, 3600}, Numeric: []bool{true}}
	for _, v := range task.Versions {
		t.Rows = append(t.Rows, versionCells(d.words, task, v))
	}
	return t
}

// EvidenceTable lists an activity's files.
func (d docxView) EvidenceTable(a ActivityEvidence) docTable {
	t := docTable{Caption: d.T("evidence") + " · " + a.Code, Head: []string{d.T("country"), d.T("file"), d.T("type"), d.T("size"), "SHA-256"},
		Widths: []int{2300, 3538, 1000, 1200, 1600}, Numeric: []bool{false, false, false, true}}
	for _, f := range a.Files {
		t.Rows = append(t.Rows, []string{d.Country(f.Country), f.Name, f.Kind(), f.SizeText(), f.ShortSHA()})
	}
	return t
}

// xmlText escapes s for XML text or an attribute, leaving out the
// characters XML 1.0 cannot hold at all (most C0 controls), which a
// document would otherwise fail to open over.
func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)))
	return b.String()
}

// runs is s as the runs of a paragraph: each line break a <w:br/>, so a
// narrative keeps its lines inside its paragraph or cell.
func runs(s string) string { return runsIn(s, "") }

// runsIn is runs in the language tag (as Word names it), or in the
// document's when tag is "".
func runsIn(s, tag string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	b.WriteString("<w:r>")
	if tag != "" {
		b.WriteString(`<w:rPr><w:lang w:val="` + xmlText(tag) + `"/></w:rPr>`)
	}
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		b.WriteString(xmlText(strings.ReplaceAll(line, "\t", " ")))
		b.WriteString("</w:t>")
	}
	b.WriteString("</w:r>")
	return b.String()
}

// P is a paragraph of style holding text, in which a programme text
// shown in its original language (words.text) is a run in that language,
// so that Word's proofing and a screen reader read it in it.
func (d docxView) P(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + d.runs(text) + `</w:p>`
}

// runs is the package's runs with the foreign texts of s in their own
// language: the earliest one found first, the longer of two found at one
// place, so that the same report makes the same file.
func (d docxView) runs(s string) string {
	at, full := -1, ""
	for f := range d.foreign {
		if i := strings.Index(s, f); i >= 0 && (at < 0 || i < at || (i == at && len(f) > len(full))) {
			at, full = i, f
		}
	}
	if at < 0 {
		return runs(s)
	}
	shown := d.foreign[full]
	var b strings.Builder
	if at > 0 {
		b.WriteString(runs(s[:at]))
	}
	b.WriteString(runsIn(shown.Text, languageTags[shown.Lang]))
	if rest := s[at+len(shown.Text):]; rest != "" {
		b.WriteString(d.runs(rest))
	}
	return b.String()
}

// paragraph is one paragraph of style holding text.
func paragraph(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + runs(text) + `</w:p>`
}

// labelled is a paragraph that starts with a label in bold, its text in
// the language tag (as Word names it; "" for the document's).
func labelled(label, text, tag string) string {
	return `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` +
		xmlText(label) + `: </w:t></w:r>` + runsIn(text, tag) + `</w:p>`
}

// TextTag is the language of a country's texts as Word names it, where it
// is not the report's; "" otherwise.
func (d docxView) TextTag(s *store.ReportSubmission) string { return languageTags[d.TextLang(s)] }
