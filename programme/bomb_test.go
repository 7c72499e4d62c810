package programme

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// aliasBomb is a programme file of about 49 KB in which one activity, whose
// participants list holds n unknown countries, is repeated n times through
// an alias: read node by node it is n*n participants, each one an error.
func aliasBomb(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	head, _, _ := strings.Cut(small(t), "activities:\n")
	b.WriteString(head)
	b.WriteString("activities:\n  - &act\n    code: A1\n    goal: 1\n    line_of_action: 1\n    lead: CL\n    participants: [")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("XX")
	}
	b.WriteString("]\n    title: T\n    starts_on: 2017-01-01\n    ends_on: 2017-12-31\n")
	for range n {
		b.WriteString("  - *act\n")
	}
	return b.Bytes()
}

// laughs is the classic billion laughs: each level a list of ten aliases to
// the level below, in a field the reader walks (expected_outputs).
func laughs(levels int) []byte {
	var b strings.Builder
	b.WriteString("biennium: \"2017-2018\"\ncode: X1\ngoal: 1\nline_of_action: 1\nlead: CL\ntitle: t\nstarts_on: 2017-01-01\nends_on: 2017-12-31\n")
	b.WriteString("description: &l0 lol\nexpected_outputs:\n")
	for l := 1; l <= levels; l++ {
		fmt.Fprintf(&b, "  - &l%d [", l)
		for i := range 10 {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", l-1)
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}

// measure runs f once and returns the bytes it allocated and how long it took.
func measure(f func()) (uint64, time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, elapsed
}

func TestAliasBombIsRefusedCheaply(t *testing.T) {
	bomb := aliasBomb(t, 3900)
	require.Greater(t, len(bomb), 40_000)
	require.Less(t, len(bomb), 50_000)
	for name, parse := range map[string]func([]byte) error{
		"programme": func(b []byte) error { _, err := Parse(b); return err },
		"proposal":  func(b []byte) error { _, err := ParseActivity(b); return err },
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			alloc, took := measure(func() { err = parse(bomb) })
			t.Logf("%d-byte alias bomb: %d bytes allocated in %s", len(bomb), alloc, took)
			require.Less(t, alloc, uint64(20<<20), "the parse allocates less than 20 MB")
			require.Less(t, took, 5*time.Second)
			var errs Errors
			require.True(t, errors.As(err, &errs), "error is %T: %v", err, err)
			require.LessOrEqual(t, strings.Count(err.Error(), "\n")+1, MaxReported+1, "at most MaxReported lines and a summary")
			require.Contains(t, err.Error(), "anchors and aliases")
			if name == "programme" {
				require.Contains(t, err.Error(), "line 20: ", "the line of the anchor &act")
			}
		})
	}
}

func TestBillionLaughsIsRefusedCheaply(t *testing.T) {
	bomb := laughs(9)
	var err error
	alloc, took := measure(func() { _, err = ParseActivity(bomb) })
	t.Logf("%d-byte billion laughs: %d bytes allocated in %s", len(bomb), alloc, took)
	require.Less(t, alloc, uint64(20<<20))
	require.Less(t, took, 5*time.Second)
	require.ErrorContains(t, err, "line 9: ")
	require.ErrorContains(t, err, "anchors and aliases")
}

func TestAliasesAreRefusedWhereverTheyAre(t *testing.T) {
	for _, src := range []string{
		"biennium: &b \"2017-2018\"\ntitle: x\n",         // an anchor on a scalar
		"biennium: \"2017-2018\"\nx: &x {}\ntitle: *x\n", // an alias of an unknown field's value
		"? &k biennium\n: \"2017-2018\"\n",               // an anchor on a key
	} {
		_, err := Parse([]byte(src))
		require.ErrorContains(t, err, "anchors and aliases", src)
		_, err = ParseActivity([]byte(src))
		require.ErrorContains(t, err, "anchors and aliases", src)
	}
}

func TestSecondDocumentIsRefused(t *testing.T) {
	src := small(t) + "\n---\ntitle: ignored until now\n"
	_, err := Parse([]byte(src))
	require.ErrorContains(t, err, "line 29: a second YAML document")
	p, err := ParseActivity([]byte(proposal + "---\n"))
	require.Nil(t, p)
	require.ErrorContains(t, err, "line 10: a second YAML document")
	// A document end marker without a document after it is one document.
	_, err = ParseActivity([]byte(proposal + "...\n"))
	require.NoError(t, err)
	// A leading --- starts the first document.
	_, err = ParseActivity([]byte("---\n" + proposal))
	require.NoError(t, err)
}

func TestErrorsAreCappedWhenPrinted(t *testing.T) {
	// Every one of 400 participants is an unknown country: 400 problems.
	src := strings.Replace(small(t), "participants: [UY]", "participants: ["+strings.Repeat("XX, ", 399)+"XX]", 1)
	_, err := Parse([]byte(src))
	var errs Errors
	require.True(t, errors.As(err, &errs))
	require.Greater(t, len(errs), 399, "every problem is still in the value")
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, MaxReported+1)
	require.Equal(t, fmt.Sprintf("... and %d more problems (%d in all)", len(errs)-MaxReported, len(errs)), lines[MaxReported])
}

func TestFileSizeIsCapped(t *testing.T) {
	big := small(t) + "# " + strings.Repeat("x", MaxFileSize) + "\n"
	_, err := Parse([]byte(big))
	require.ErrorContains(t, err, "larger than")
	_, err = ParseActivity([]byte(big))
	require.ErrorContains(t, err, "larger than")

	dir := t.TempDir()
	path := dir + "/big.yaml"
	require.NoError(t, os.WriteFile(path, []byte(big), 0o600))
	_, err = ReadFile(path)
	require.ErrorContains(t, err, "larger than")
	path = dir + "/small.yaml"
	require.NoError(t, os.WriteFile(path, []byte(small(t)), 0o600))
	b, err := ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, small(t), string(b))
}

// A file at the size limit and full of errors still parses in bounded memory.
func TestLargestFileStaysBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(small(t), "participants: [UY]", "participants: [", 1))
	body := b.String()
	items := strings.Repeat("XX,", (MaxFileSize-len(body)-10)/3)
	src := strings.Replace(small(t), "participants: [UY]", "participants: ["+items+"XX]", 1)
	require.LessOrEqual(t, len(src), MaxFileSize)
	var err error
	alloc, took := measure(func() { _, err = Parse([]byte(src)) })
	t.Logf("%d-byte file with %d problems: %d bytes allocated in %s", len(src), strings.Count(items, ","), alloc, took)
	require.Error(t, err)
	require.Less(t, alloc, uint64(1<<30))
}
