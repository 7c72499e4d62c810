package programme

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

func small(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/small.yaml")
	require.NoError(t, err)
	return string(b)
}

const secondActivity = `
  - code: A1
    goal: 1
    line_of_action: 1
    lead: UY
    title: Second activity
    starts_on: 2017-01-01
    ends_on: 2017-12-31
`

func TestParseSmall(t *testing.T) {
	f, err := Parse([]byte(small(t)))
	require.NoError(t, err)
	require.Equal(t, "2017-2018", f.Biennium)
	require.Equal(t, DefaultRules, f.Rules)
	require.Len(t, f.Committee, 2)
	require.Equal(t, cooperation.Chair, f.Committee[0].Role)
	require.Equal(t, []string{"UY"}, f.Activities[0].Participants)
	require.Equal(t, cooperation.ActivityProposed, f.Activities[0].Status)
	require.Equal(t, time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC), f.Activities[0].EndsOn)
}

func TestParseExample(t *testing.T) {
	b, err := os.ReadFile("../examples/programme-2017-2018.yaml")
	require.NoError(t, err)
	f, err := Parse(b)
	require.NoError(t, err)
	require.Len(t, f.Goals, 3)
	require.Len(t, f.LinesOfAction, 4)
	require.Len(t, f.Activities, 9)
	require.Len(t, f.Committee, 7)
	require.Len(t, f.Secretariat, 1)
	langs := map[string]bool{}
	for _, a := range f.Activities {
		require.Equal(t, cooperation.ActivityApproved, a.Status, a.Code)
	}
	for _, fp := range f.FocalPoints {
		langs[fp.Language] = true
	}
	require.Len(t, langs, 4, "focal points write in es, en, pt and fr")
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"unknown goal", "    goal: 1\n", "    goal: 7\n", []string{`line 21: activities[0].goal: unknown goal 7`}},
		{"unknown line of action", "    line_of_action: 1\n", "    line_of_action: 5\n", []string{`line 22: activities[0].line_of_action: unknown line of action 5`}},
		{"unknown lead", "lead: CL", "lead: XX", []string{`line 23: activities[0].lead: unknown country "XX"`}},
		{"unknown participant", "[UY]", "[UY, AR]", []string{`line 24: activities[0].participants[1]: unknown country "AR"`}},
		{"lowercase country", "lead: CL", "lead: cl", []string{`line 23: activities[0].lead: expected an ISO 3166 alpha-2 code`}},
		{"focal point of unknown country", "{country: CL, name: Camila", "{country: PE, name: Camila", []string{`line 13: focal_points[0].country: unknown country "PE"`}},
		{"duplicate code", "    ends_on: 2017-12-31\n", "    ends_on: 2017-12-31\n" + secondActivity, []string{`line 29: activities[1].code: duplicate code "A1" (also activities[0])`}},
		{"bad e-mail", "email: member@example.org", "email: member.example.org", []string{`line 16: committee[1].email: bad e-mail address "member.example.org"`}},
		{"e-mail with a name", "email: member@example.org", "email: 'Martín <member@example.org>'", []string{`line 16: committee[1].email: bad e-mail address`}},
		{"unknown language", "language: en, time_zone: America/Montevideo", "language: de, time_zone: America/Montevideo", []string{`line 16: committee[1].language: unknown language "de"`}},
		{"unknown time zone", "time_zone: America/Montevideo", "time_zone: America/Atlantis", []string{`line 16: committee[1].time_zone: unknown time zone "America/Atlantis"`}},
		{"no chair", "{role: chair, country: CL", "{role: member, country: CL", []string{`line 15: committee: no chair`}},
		{"two chairs", "{role: member, country: UY", "{role: chair, country: UY", []string{`line 16: committee[1].role: a second chair`, `line 15: committee: a chair and at least one member`}},
		{"no members", "  - {role: member, country: UY, name: Martín, email: member@example.org, language: en, time_zone: America/Montevideo}\n", "", []string{`line 15: committee: a chair and at least one member`}},
		{"unknown role", "{role: member, country: UY", "{role: vice, country: UY", []string{`line 16: committee[1].role: unknown role "vice"`}},
		{"no committee", "  - {role: chair, country: CL, name: Tomás, email: chair@example.org, language: es, time_zone: America/Santiago}\n  - {role: member, country: UY, name: Martín, email: member@example.org, language: en, time_zone: America/Montevideo}\n", "", []string{`line 14: committee: required`}},
		{"unknown top-level field", "title: A small programme\n", "title: A small programme\ntitel: typo\n", []string{`line 3: titel: unknown field`}},
		{"unknown activity field", "    title: First activity\n", "    title: First activity\n    leader: CL\n", []string{`line 26: activities[0].leader: unknown field`}},
		{"start before the biennium", "starts_on: 2017-01-01", "starts_on: 2016-12-31", []string{`line 26: activities[0].starts_on: 2016-12-31 is outside the biennium (2017-01-01 to 2018-12-31)`}},
		{"end after the biennium", "ends_on: 2017-12-31", "ends_on: 2019-01-01", []string{`line 27: activities[0].ends_on: 2019-01-01 is outside the biennium`}},
		{"end before start", "starts_on: 2017-01-01", "starts_on: 2018-01-01", []string{`line 27: activities[0].ends_on: 2017-12-31 is before starts_on 2018-01-01`}},
		{"bad date", "ends_on: 2017-12-31", "ends_on: 31/12/2017", []string{`line 27: activities[0].ends_on: expected a date written YYYY-MM-DD`}},
		{"empty title", "    title: First activity\n", "    title: \"  \"\n", []string{`line 25: activities[0].title: required, and empty`}},
		{"missing title", "    title: First activity\n", "", []string{`line 20: activities[0].title: required`}},
		{"empty programme title", "title: A small programme", "title:", []string{`line 2: title: required`}},
		{"bad biennium", `biennium: "2017-2018"`, `biennium: "2017-2019"`, []string{`line 1: biennium: "2017-2019" is not two consecutive years`}},
		{"same e-mail, other name", "name: Martín, email: member@example.org", "name: Martin, email: focal.cl@example.org", []string{`line 16: committee[1].name: focal.cl@example.org has name "Camila" in focal_points[0] but "Martin" here`}},
		{"same e-mail, other language", "name: Secretariat, email: secretariat@example.org, language: en", "name: Camila, email: focal.cl@example.org, language: en", []string{`line 18: secretariat[0].language: focal.cl@example.org has language "es" in focal_points[0] but "en" here`}},
		{"unknown status", "    ends_on: 2017-12-31\n", "    ends_on: 2017-12-31\n    status: in_execution\n", []string{`line 28: activities[0].status: unknown status "in_execution"`}},
		{"unknown proposer", "    ends_on: 2017-12-31\n", "    ends_on: 2017-12-31\n    proposed_by: nobody@example.org\n", []string{`line 28: activities[0].proposed_by: nobody@example.org is not a focal point`}},
		{"lead among participants", "[UY]", "[UY, CL]", []string{`line 24: activities[0].participants[1]: "CL" is the lead country`}},
		{"goal not a number", "    goal: 1\n", "    goal: one\n", []string{`line 21: activities[0].goal: expected a whole number, found "one"`}},
		{"bad code", "code: A1", "code: A/1", []string{`line 20: activities[0].code: expected letters, digits`}},
		{"bad rules", "title: A small programme\n", "title: A small programme\nrules: {voting_days: 0, quorum: 3}\n", []string{`line 3: rules.quorum: unknown field`, `line 3: rules.voting_days: 0 is out of range (1 to 365)`}},
		{"field given twice", "    title: First activity\n", "    title: First activity\n    title: Again\n", []string{`line 26: activities[0].title: field given twice`}},
		{"not a list", "goals:\n", "goals: 3\nx:\n", []string{`line 3: goals: expected a list, found "3"`}},
		{"NUL byte in a title", "title: A small programme", `title: "A small\0programme"`, []string{`line 2: title: holds a control character`}},
		{"control character in an output", "    title: First activity\n", "    title: First activity\n    expected_outputs: [\"ok\", \"bad\\x1b[31m\"]\n", []string{`line 26: activities[0].expected_outputs[1]: holds a control character`}},
		{"syntax error", "title: A small programme\n", "title: [unclosed\n", []string{`not valid YAML`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := small(t)
			require.Contains(t, src, tc.old)
			f, err := Parse([]byte(strings.Replace(src, tc.old, tc.new, 1)))
			require.Nil(t, f)
			var errs Errors
			require.True(t, errors.As(err, &errs), "error is %T", err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseCollectsEveryError(t *testing.T) {
	src := strings.NewReplacer("lead: CL", "lead: XX", "time_zone: America/Montevideo", "time_zone: Mars/Base",
		"    goal: 1\n", "    goal: 9\n").Replace(small(t))
	_, err := Parse([]byte(src))
	var errs Errors
	require.True(t, errors.As(err, &errs))
	require.Len(t, errs, 3, err.Error())
	require.Equal(t, []int{16, 21, 23}, []int{errs[0].Line, errs[1].Line, errs[2].Line}, "sorted by line")
	require.Equal(t, "line 23: activities[0].lead: unknown country \"XX\" (not in countries)", errs[2].Error())
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "- a\n- b\n", "just text"} {
		_, err := Parse([]byte(src))
		require.Error(t, err, src)
		require.NotEmpty(t, err.Error())
	}
}
