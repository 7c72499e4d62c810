package programme

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const reportSrc = `status: on_track
progress: |
  Two workshops held.
results: Draft diagnostic shared.
next_steps: Survey in the field
submitted_by: focal.cl@example.org
`

func TestParseReport(t *testing.T) {
	rf, err := ParseReport([]byte(reportSrc))
	require.NoError(t, err)
	require.Equal(t, ReportFile{Status: "on_track", Progress: "Two workshops held.", Results: "Draft diagnostic shared.",
		NextSteps: "Survey in the field", SubmittedBy: "focal.cl@example.org"}, *rf)
}

func TestParseReportLanguage(t *testing.T) {
	rf, err := ParseReport([]byte(reportSrc + "language: pt\n"))
	require.NoError(t, err)
	require.Equal(t, "pt", rf.Language)
}

func TestParseReportErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown field", reportSrc + "progres: typo\n", "line 7: progres: unknown field"},
		{"no status", strings.Replace(reportSrc, "status: on_track\n", "", 1), "status: required"},
		{"second document", reportSrc + "---\nstatus: completed\n", "line 7: a second YAML document"},
		{"alias", "status: &s on_track\nprogress: *s\n", "line 1: YAML anchors and aliases are not accepted (found &s)"},
		{"bomb", string(laughs(9)), "anchors and aliases"},
		{"NUL byte", reportSrc + "difficulties: \"none\\0\"\n", "line 7: difficulties: holds a control character"},
		{"too long", reportSrc + "difficulties: " + strings.Repeat("x", 20001) + "\n", "line 7: difficulties: too long (20001 characters, at most 20000)"},
		{"too large", reportSrc + "#" + strings.Repeat("x", MaxFileSize), "larger than"},
		{"not a mapping", "- on_track\n", "expected a mapping of fields"},
		{"unknown language", reportSrc + "language: de\n", `line 7: language: unknown language "de" (expected es, en, pt or fr)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rf, err := ParseReport([]byte(tc.src))
			require.Nil(t, rf)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
