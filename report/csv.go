package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSVColumns are the keys of the CSV report's columns, whose header row
// is written in the report's language.
var CSVColumns = []string{"biennium", "cycle", "goal", "code", "activity", "country", "iso_code", "role",
	"task_status", "late", "reported_status", "f_progress", "f_results", "f_difficulties", "f_next_steps",
	"submitted_on", "language", "evidence"}

// bom is the UTF-8 byte order mark. Excel reads a CSV without one in the
// machine's legacy code page (Windows-1252 in Spanish, Portuguese or
// French), so "Perú" would open as "PerÃº"; with it, as UTF-8. Other
// readers skip it.
const bom = "\uFEFF"

// writeCSV writes the report as one header row and one row per report task,
// every cell made safe by cell and quoted, after a byte order mark. Words
// (the header, statuses, roles, country names) are in the report's
// language; dates are ISO 8601 days, which every spreadsheet reads as dates
// whatever its locale; the language the texts were written in is its code
// (es, en, pt, fr), empty when not said. The evidence annex is the last
// column: a task's files, one per line, "name (type, size, SHA-256 prefix)". A second table
// in the same file would break every reader that expects one header, which
// is what a CSV is opened with; so the front matter is left to the other
// formats.
//
// Every cell is quoted, not only those that need it, so that the file has
// one shape for every reader: a cell boundary always begins with a quote,
// and a ';' or a tab a reader might split on only ever appears inside a
// quoted cell, where cell has already made what follows it inert.
func writeCSV(w io.Writer, v view) error {
	cw := &quotedWriter{w: w}
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	head := make([]string, len(CSVColumns))
	for i, k := range CSVColumns {
		head[i] = v.Cap(k)
	}
	cw.write(head)
	for _, g := range v.Goals {
		for _, a := range g.Activities {
			for _, t := range a.Tasks {
				row := []string{v.Biennium, v.Cycle.Name, strconv.Itoa(g.Number), a.Code, a.Title,
					v.CountryName(t.Country), t.Country.Code, v.Role(t.Role), v.TaskStatus(t.Status), v.YesNo(t.Late),
					"", "", "", "", "", "", "", ""}
				if s := t.Submission; s != nil {
					copy(row[10:], []string{v.Execution(s.Status), s.Progress, s.Results, s.Difficulties,
						s.NextSteps, s.SubmittedAt.UTC().Format(time.DateOnly), s.Language})
				}
				files := make([]string, len(t.Evidence))
				for i, f := range t.Evidence {
					e := Evidence{Country: t.Country, EvidenceFile: f}
					files[i] = fmt.Sprintf("%s (%s, %s, SHA-256 %s)", e.Name, e.Kind(), e.SizeText(), e.ShortSHA())
				}
				row[17] = strings.Join(files, "\n")
				cw.write(row)
			}
		}
	}
	return cw.err
}

// quotedWriter writes RFC 4180 records with every field quoted; the first
// error is kept and stops later writes.
type quotedWriter struct {
	w   io.Writer
	buf strings.Builder
	err error
}

func (q *quotedWriter) write(fields []string) {
	if q.err != nil {
		return
	}
	q.buf.Reset()
	for i, f := range fields {
		if i > 0 {
			q.buf.WriteByte(',')
		}
		q.buf.WriteByte('"')
		q.buf.WriteString(strings.ReplaceAll(cell(f), `"`, `""`))
		q.buf.WriteByte('"')
	}
	q.buf.WriteByte('\n')
	_, q.err = io.WriteString(q.w, q.buf.String())
}

// cell neutralises text a spreadsheet would take for a formula, so that
// opening the file never runs what a focal point typed.
//
// A spreadsheet runs a cell that starts with =, +, - or @ (and, in some
// locales, their full-width forms), and the reader decides where cells
// start: Excel in Spanish, Portuguese or French splits a CSV line on ';',
// a tab-separated import splits on tabs, a careless parser splits on ','
// even inside quotes, and a reader that loses the quotes starts a row at an
// embedded line break. So the rule applies at every place a cell may start
// for some reader: the start of the text and just after each ',', ';',
// tab, carriage return and line feed. There, after any spaces and quote
// characters (which some readers drop), a formula character gets a single
// quote put before it, at that place; a text starting with a tab or a
// carriage return is prefixed too, as some readers strip them. The cost
// is a visible quote in text such as "down, -5%" ("down, '-5%"), which
// reads the same to a person.
func cell(s string) string {
	var b strings.Builder
	start := true
	for i, r := range s {
		if start {
			if startsFormula(s[i:]) {
				b.WriteByte('\'')
			}
			start = false
		}
		b.WriteRune(r)
		if strings.ContainsRune(",;\t\r\n", r) {
			start = true
		}
	}
	return b.String()
}

// startsFormula tells whether a cell beginning with s would be a formula:
// its first character other than spaces and quotes is a formula character,
// or it begins with a tab or a carriage return.
func startsFormula(s string) bool {
	if s[0] == '\t' || s[0] == '\r' {
		return true
	}
	for _, r := range s {
		switch r {
		case ' ', '"':
			continue
		case '=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20': // and ＝ ＋ － ＠
			return true
		}
		return false
	}
	return false
}
