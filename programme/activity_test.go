package programme

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

func TestParseActivityExample(t *testing.T) {
	b, err := os.ReadFile("../examples/proposal.yaml")
	require.NoError(t, err)
	p, err := ParseActivity(b)
	require.NoError(t, err)
	require.Equal(t, "2017-2018", p.Biennium)
	require.Equal(t, "G1A4", p.Code)
	require.Equal(t, cooperation.ActivityProposed, p.Status)
	require.Equal(t, []string{"CO", "PE"}, p.Participants)
	require.Equal(t, "focal.ec@example.org", p.ProposedBy)
}

const proposal = `biennium: "2017-2018"
code: X1
goal: 1
line_of_action: 2
lead: CL
participants: [AR]
title: A proposal
starts_on: 2017-03-01
ends_on: 2018-03-01
`

func TestParseActivityErrors(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{"approved", "title: A proposal\n", "title: A proposal\nstatus: approved\n", `line 8: status: a proposal is always proposed; found "approved"`},
		{"no biennium", `biennium: "2017-2018"` + "\n", "", `line 1: biennium: required`},
		{"outside biennium", "ends_on: 2018-03-01", "ends_on: 2019-03-01", `line 9: ends_on: 2019-03-01 is outside the biennium`},
		{"unknown field", "title: A proposal\n", "title: A proposal\ncountry: CL\n", `line 8: country: unknown field`},
		{"bad proposer", "title: A proposal\n", "title: A proposal\nproposed_by: someone\n", `line 8: proposed_by: bad e-mail address "someone"`},
		{"no title", "title: A proposal\n", "", `line 1: title: required`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, proposal, tc.old)
			p, err := ParseActivity([]byte(strings.Replace(proposal, tc.old, tc.new, 1)))
			require.Nil(t, p)
			var errs Errors
			require.True(t, errors.As(err, &errs))
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseActivityLeavesReferencesToTheStore(t *testing.T) {
	p, err := ParseActivity([]byte(strings.Replace(proposal, "goal: 1", "goal: 99", 1)))
	require.NoError(t, err)
	require.Equal(t, 99, p.Goal)
}

// A proposal may leave its code out, for the store to choose it; a bad code
// is still refused, and an activity of the programme file still needs one.
func TestParseActivityCodeOptional(t *testing.T) {
	p, err := ParseActivity([]byte(strings.Replace(proposal, "code: X1\n", "", 1)))
	require.NoError(t, err)
	require.Empty(t, p.Code)
	_, err = ParseActivity([]byte(strings.Replace(proposal, "code: X1", "code: X 1", 1)))
	require.ErrorContains(t, err, "code: expected letters")
	b, err := os.ReadFile("testdata/small.yaml")
	require.NoError(t, err)
	_, err = Parse([]byte(strings.Replace(string(b), "  - code: A1\n    goal: 1", "  - goal: 1", 1)))
	require.ErrorContains(t, err, "activities[0].code: required")
}

func FuzzParse(f *testing.F) {
	for _, path := range []string{"testdata/small.yaml", "../examples/programme-2017-2018.yaml", "../examples/proposal.yaml"} {
		b, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(reportSrc))
	f.Add(laughs(3))
	f.Fuzz(func(t *testing.T, data []byte) {
		if file, err := Parse(data); err != nil {
			require.Nil(t, file)
			requireNonEmpty(t, err)
		} else {
			require.NotEmpty(t, file.Biennium)
			require.NotEmpty(t, file.Committee)
		}
		if p, err := ParseActivity(data); err != nil {
			require.Nil(t, p)
			requireNonEmpty(t, err)
		} else {
			require.Equal(t, cooperation.ActivityProposed, p.Status)
		}
		if rf, err := ParseReport(data); err != nil {
			require.Nil(t, rf)
			requireNonEmpty(t, err)
		} else {
			require.NotEmpty(t, rf.Status)
		}
	})
}

func requireNonEmpty(t *testing.T, err error) {
	require.NotEmpty(t, err.Error())
	var errs Errors
	require.True(t, errors.As(err, &errs))
	require.NotEmpty(t, errs)
	for _, e := range errs {
		require.NotEmpty(t, e.Message)
	}
}
