package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// hostile are texts a focal point could type, each with what cell makes of it.
var hostile = []struct{ in, want string }{
	{"=1+1", "'=1+1"},
	{"+1", "'+1"},
	{"-1", "'-1"},
	{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
	{"\t=1", "'\t'=1"},
	{"\r=1", "'\r'=1"},
	{"safe;=1+1", "safe;'=1+1"},
	{"safe,=1+1", "safe,'=1+1"},
	{"safe\t=1+1", "safe\t'=1+1"},
	{"a\n=1", "a\n'=1"},
	{"a\r\n=1", "a\r\n'=1"},
	{"safe; =1+1", "safe;' =1+1"},
	{`safe;"=1+1"`, `safe;'"=1+1"`},
	{`"=1+1`, `'"=1+1`},
	{"  -2+3", "'  -2+3"},
	{"safe;;=1", "safe;;'=1"},
	{"＝1+1", "'＝1+1"},
	{"x;＠SUM(A1)", "x;'＠SUM(A1)"},
	{"x,＋1", "x,'＋1"},
	{"x;－1", "x;'－1"},
	// Left as they are: no formula starts anywhere in them.
	{"", ""},
	{"2017-2018", "2017-2018"},
	{"A1.2", "A1.2"},
	{"Parks | incubators\nsecond line", "Parks | incubators\nsecond line"},
	{"down 5% (from 7%), see annex", "down 5% (from 7%), see annex"},
	{"e-mail: ana@cepal.org; 1+1=2", "e-mail: ana@cepal.org; 1+1=2"},
	{`<script>alert("x")</script>`, `<script>alert("x")</script>`},
}

func TestCellNeutralisesEveryPlaceAFormulaCanStart(t *testing.T) {
	for _, tc := range hostile {
		require.Equal(t, tc.want, cell(tc.in), "%q", tc.in)
	}
}

// hostileReport puts every hostile text in every free-text column.
func hostileReport() Report {
	var tasks []store.ReportTask
	for _, h := range hostile {
		tasks = append(tasks, store.ReportTask{Country: store.ReportCountry{Code: "CL"}, Role: "lead", Status: "submitted",
			Submission: &store.ReportSubmission{Status: "on_track", Progress: h.in, Results: h.in, Difficulties: h.in,
				NextSteps: h.in, SubmittedAt: time.Date(2018, 7, 5, 10, 0, 0, 0, time.UTC)},
			// A file's name is the focal point's text too.
			Evidence: []store.EvidenceFile{{Name: h.in, Type: cooperation.EvidencePDF, Size: 1, SHA256: "abc"}}})
	}
	return Report{Biennium: "2017-2018", Cycle: store.ReportCycle{Name: "final"}, Goals: []Goal{{Number: 1,
		Activities: []Activity{{ReportActivity: store.ReportActivity{Code: "A1", Title: "=HYPERLINK(\"http://x\";\"y\")", Tasks: tasks}}}}}}
}

// dangerous is what a spreadsheet would run: a cell whose first character,
// after the spaces and quotes some readers drop, starts a formula.
func dangerous(field string) bool {
	if field == "" {
		return false
	}
	return field[0] == '\t' || field[0] == '\r' || startsFormula(field)
}

// TestCSVIsSafeWhateverTheSeparator reads the file as readers in different
// locales and of different care would, and finds no cell that is a formula.
func TestCSVIsSafeWhateverTheSeparator(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, writeCSV(&b, view{Report: hostileReport(), words: words{Lang: "en"}}))
	require.True(t, strings.HasPrefix(b.String(), bom), "a byte order mark, so that Excel reads UTF-8")
	file := strings.TrimPrefix(b.String(), bom)

	// The file parses as RFC 4180 with ',' and gives back each text with
	// only the neutralising quotes added.
	rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows[0], len(CSVColumns))
	require.Equal(t, "Biennium", rows[0][0])
	require.Len(t, rows, 1+len(hostile))
	for i, h := range hostile {
		want := strings.ReplaceAll(h.want, "\r\n", "\n") // encoding/csv reads a quoted CRLF as LF
		require.Equal(t, want, rows[1+i][11], "%q", h.in)
		require.Equal(t, want+" (PDF, 1 B, SHA-256 abc)", rows[1+i][17], "%q", h.in)
		require.Equal(t, "'=HYPERLINK(\"http://x\";\"y\")", rows[1+i][4])
	}

	// Every cell is quoted, header included.
	for _, line := range strings.Split(strings.TrimSuffix(file, "\n"), "\n")[:1] {
		require.True(t, strings.HasPrefix(line, `"`) && strings.HasSuffix(line, `"`), line)
		require.Equal(t, len(CSVColumns)-1, strings.Count(line, `","`), line)
	}

	readers := map[string]func(string) [][]string{}
	for name, sep := range map[string]rune{"comma": ',', "semicolon (es, pt, fr)": ';', "tab": '\t'} {
		readers[name] = func(s string) [][]string {
			r := csv.NewReader(strings.NewReader(s))
			r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
			rows, err := r.ReadAll()
			require.NoError(t, err, name)
			return rows
		}
	}
	// A reader that ignores quotes altogether, splitting on any separator
	// and any line break.
	readers["no quotes"] = func(s string) [][]string {
		return [][]string{strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;\t\r\n", r) })}
	}
	for name, read := range readers {
		cells := 0
		for _, row := range read(file) {
			for _, f := range row {
				cells++
				require.False(t, dangerous(f), "%s reader: cell %q is a formula", name, f)
			}
		}
		require.Greater(t, cells, len(hostile), name)
	}
}

// The same check on the file the old rule wrote shows what it missed.
func TestFirstCharacterRuleWasNotEnough(t *testing.T) {
	old := func(s string) string {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			return "'" + s
		}
		return s
	}
	r := csv.NewReader(strings.NewReader(old("safe;=1+1") + "\n"))
	r.Comma = ';'
	row, err := r.Read()
	require.NoError(t, err)
	require.True(t, dangerous(row[1]), "with ';' as separator the second cell is =1+1")
	r = csv.NewReader(strings.NewReader(cell("safe;=1+1") + "\n"))
	r.Comma = ';'
	row, err = r.Read()
	require.NoError(t, err)
	require.False(t, dangerous(row[1]))
}
