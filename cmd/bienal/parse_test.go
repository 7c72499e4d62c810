package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

// A mistake on the command line is two lines, the error first, then where
// the usage is; the usage itself (some forty lines) only with --help.
func TestCommandLineMistakesAreShort(t *testing.T) {
	cases := map[string]struct {
		args       []string
		first, see string
	}{
		"bad value":        {[]string{"vote", "2017-2018/G1A1", "--member", "m@example.org", "--decision", "maybe"}, `bienal: --decision must be one of "approve","reject","request_changes" but got "maybe"`, "Run 'bienal vote --help' for its usage."},
		"unknown flag":     {[]string{"cycle", "open", "--bogus"}, "bienal: unknown flag --bogus", "Run 'bienal cycle open --help' for its usage."},
		"unknown command":  {[]string{"nope"}, `bienal: unexpected argument nope`, "Run 'bienal --help' for its usage."},
		"missing argument": {[]string{"cycle", "show"}, "bienal: expected \"<cycle>\"", "Run 'bienal cycle show --help' for its usage."},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := -1
			var cli CLI
			parseCLI(&cli, c.args, &out, &errOut, func(n int) { code = n })
			require.Equal(t, 2, code)
			lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
			require.Len(t, lines, 2, errOut.String())
			require.True(t, strings.HasPrefix(lines[0], c.first), lines[0])
			require.Equal(t, c.see, lines[1])
			require.Empty(t, out.String(), "no usage")
		})
	}
	var out, errOut bytes.Buffer
	var cli CLI
	parseCLI(&cli, []string{"vote", "--help"}, &out, &errOut, func(int) {})
	require.Contains(t, out.String(), "Usage: bienal vote", "the usage with --help")
}

// The commands print words, not Go's formatting of values.
func TestOutputInWords(t *testing.T) {
	require.Equal(t, "3 approved, 6 in execution", byStatus(map[cooperation.ActivityStatus]int{
		cooperation.ActivityInExecution: 6, cooperation.ActivityApproved: 3, cooperation.ActivityRejected: 0}))
	require.Equal(t, "none", byStatus(nil))
	require.Empty(t, titled(""), `no "" for a cycle without a title`)
	require.Equal(t, " “Final”", titled("Final"))
	require.Equal(t, "none", list([]string{}))
	require.Equal(t, "a@x.org, b@x.org", list([]string{"a@x.org", "b@x.org"}))
	require.Equal(t, "14, 7, 2", numbers([]int{14, 7, 2}))
	require.Equal(t, "yes", yesNo(true))
}

// A password piped in is no terminal: user add asks nothing of it.
func TestPipedPasswordIsNotPrompted(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	require.False(t, isTerminal(r))
}
