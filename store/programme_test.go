package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func exampleFile(t *testing.T, edit func(string) string) *programme.File {
	t.Helper()
	b, err := os.ReadFile("../examples/programme-2017-2018.yaml")
	require.NoError(t, err)
	src := string(b)
	if edit != nil {
		src = edit(src)
	}
	f, err := programme.Parse([]byte(src))
	require.NoError(t, err)
	return f
}

// tableCounts counts the rows of every table an import writes, and the audit log.
func tableCounts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"programme", "goal", "line_of_action", "country", "person", "focal_point",
		"committee_member", "secretariat_user", "activity", "activity_country", "activity_version", "audit_log"} {
		var n int
		require.NoError(t, pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

func TestImportExampleTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)

	res, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	require.Equal(t, store.ImportCount{Created: 9}, res.Counts[store.KindActivity])
	require.Equal(t, store.ImportCount{Created: 7}, res.Counts[store.KindCommitteeMember])
	require.Equal(t, store.ImportCount{Created: 14}, res.Counts[store.KindFocalPoint])
	require.Equal(t, store.ImportCount{Created: 3}, res.Counts[store.KindGoal])
	require.Equal(t, store.ImportCount{Created: 22}, res.Counts[store.KindPerson])
	require.Len(t, res.Activities, 9)
	require.Equal(t, store.ImportedActivity{Biennium: "2017-2018", Code: "G1A1", Status: "approved", Created: true}, res.Activities[0])

	before := tableCounts(t, pool)
	require.Equal(t, 9, before["activity_version"])
	require.Equal(t, 9+30, before["activity_country"], "nine leads and 30 participations")
	listed, err := s.ListActivities(ctx, store.ActivityFilter{Biennium: "2017-2018"})
	require.NoError(t, err)
	require.Len(t, listed, 9)

	again, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	require.Zero(t, again.Changes())
	require.Equal(t, store.ImportCount{Unchanged: 9}, again.Counts[store.KindActivity])
	require.False(t, again.Activities[0].Created)
	require.Equal(t, before, tableCounts(t, pool), "no row and no audit line added")
	relisted, err := s.ListActivities(ctx, store.ActivityFilter{Biennium: "2017-2018"})
	require.NoError(t, err)
	require.Equal(t, listed, relisted, "updated_at unchanged")

	a, err := s.GetActivity(ctx, "2017-2018", "G1A1")
	require.NoError(t, err)
	require.Equal(t, "AR", a.LeadCountry)
	require.Equal(t, []string{"CL", "PE", "UY"}, a.Participants)
	require.Equal(t, "2017-02-01", a.StartsOn)
	require.Equal(t, 1, a.Version)
	require.Equal(t, "focal.ar@example.org", a.ProposedBy)
	_, err = s.GetActivity(ctx, "2017-2018", "G9A9")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestImportChangedTitleUpdatesOneActivity(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	old, err := s.GetActivity(ctx, "2017-2018", "G2A2")
	require.NoError(t, err)
	before := tableCounts(t, pool)

	res, err := s.ImportProgramme(ctx, exampleFile(t, func(src string) string {
		return strings.Replace(src, "Identify best practices in innovative entrepreneurship", "Identify good practices in innovative entrepreneurship", 1)
	}))
	require.NoError(t, err)
	require.Equal(t, 2, res.Changes(), "the activity's row and its English text")
	require.Equal(t, store.ImportCount{Updated: 1, Unchanged: 8}, res.Counts[store.KindActivity])
	require.Equal(t, 1, res.Counts[store.KindText].Updated, "the English title changed, the Spanish one did not")

	a, err := s.GetActivity(ctx, "2017-2018", "G2A2")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(a.Title, "Identify good practices"))
	require.Equal(t, 2, a.Version, "a new text is a new version")
	require.True(t, a.UpdatedAt.After(old.UpdatedAt))
	after := tableCounts(t, pool)
	require.Equal(t, before["activity_version"]+1, after["activity_version"])
	require.Equal(t, before["audit_log"]+1, after["audit_log"])
	diffs, err := s.ActivityDiff(ctx, "2017-2018", "G2A2", 1, 2)
	require.NoError(t, err)
	require.Len(t, diffs, 1)
	require.Equal(t, "title", diffs[0].Field)
	log, err := s.AuditLog(ctx, store.ActivityRef("2017-2018", "G2A2"))
	require.NoError(t, err)
	require.Equal(t, []string{"imported", "updated"}, []string{log[0].Action, log[1].Action})
}

func TestImportKeepsStatusAndRefusesChangesInExecution(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE activity SET status = 'in_execution' WHERE code = 'G3A1'`)
	require.NoError(t, err)

	res, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	require.EqualValues(t, "in_execution", res.Activities[6].Status, "the workflow's status stays")

	before := tableCounts(t, pool)
	_, err = s.ImportProgramme(ctx, exampleFile(t, func(src string) string {
		return strings.Replace(strings.Replace(src, "participants: [DO, GT, PA, JM]", "participants: [DO, GT]", 1),
			"title: Goal", "title: goal", 1)
	}))
	require.ErrorContains(t, err, `activities[6] (G3A1): ["participants"] cannot change once the activity is in_execution`)
	require.Equal(t, before, tableCounts(t, pool))
}

func TestImportReplacesCommitteeAndFocalPoints(t *testing.T) {
	ctx := context.Background()
	s, _ := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	res, err := s.ImportProgramme(ctx, exampleFile(t, func(src string) string {
		src = strings.Replace(src, "  - {role: member, country: MX, name: Javier Ramírez, email: committee.mx@example.org, language: es, time_zone: America/Mexico_City, term_start: 2016-09-13, term_end: 2018-12-31}\n", "", 1)
		src = strings.Replace(src, "{role: member, country: JM", "{role: member, country: PE", 1)
		return strings.Replace(src, "  - {country: PA, name: Carlos Castillo, email: focal.pa@example.org, language: es, time_zone: America/Panama}\n", "", 1)
	}))
	require.NoError(t, err)
	// Seats by country: Mexico's and Jamaica's go, Peru's comes (with Jamaica's delegate).
	require.Equal(t, store.ImportCount{Created: 1, Unchanged: 5, Removed: 2}, res.Counts[store.KindCommitteeMember])
	require.Equal(t, store.ImportCount{Unchanged: 13, Removed: 1}, res.Counts[store.KindFocalPoint])
	sum, err := s.ProgrammeSummary(ctx, "2017-2018")
	require.NoError(t, err)
	require.Len(t, sum.Committee, 6)
	require.Equal(t, "chair", sum.Committee[0].Role)
	require.Equal(t, "CR", sum.Committee[0].Country)
	require.Len(t, sum.FocalPoints, 13)
}

func TestImportBadFileChangesNothing(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	before := tableCounts(t, pool)
	// Valid in itself, refused by the database half-way: an e-mail the
	// schema refuses would be caught by the parser, so break a reference instead.
	f := exampleFile(t, func(src string) string { return strings.Replace(src, "title: Line of", "title: line of", 1) })
	f.Title = "A new title that would be written first"
	f.Activities[8].Lead = "ZZ"
	_, err = s.ImportProgramme(ctx, f)
	require.Error(t, err)
	require.Contains(t, err.Error(), "G3A3")
	require.Equal(t, before, tableCounts(t, pool))
	p, err := s.GetProgramme(ctx, "2017-2018")
	require.NoError(t, err)
	require.NotEqual(t, f.Title, p.Title)
}

func TestProgrammeSummaryAndLists(t *testing.T) {
	ctx := context.Background()
	s, _ := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	sum, err := s.ProgrammeSummary(ctx, "2017-2018")
	require.NoError(t, err)
	require.Len(t, sum.Goals, 3)
	require.Len(t, sum.LinesOfAction, 4)
	require.Len(t, sum.Countries, 14)
	require.Len(t, sum.Committee, 7)
	require.Equal(t, "2016-09-13", sum.Committee[0].TermStart)
	require.Len(t, sum.Secretariat, 1)
	require.Equal(t, map[cooperation.ActivityStatus]int{cooperation.ActivityApproved: 9}, sum.ActivitiesByStatus)
	require.Equal(t, 14, sum.VotingDays)

	ps, err := s.ListProgrammes(ctx)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	_, err = s.GetProgramme(ctx, "2019-2020")
	require.ErrorIs(t, err, store.ErrNotFound)
	approved, err := s.ListActivities(ctx, store.ActivityFilter{Status: "approved"})
	require.NoError(t, err)
	require.Len(t, approved, 9)
	none, err := s.ListActivities(ctx, store.ActivityFilter{Status: "proposed"})
	require.NoError(t, err)
	require.Empty(t, none)
	_, err = s.ListActivities(ctx, store.ActivityFilter{Status: "bogus"})
	require.ErrorContains(t, err, `unknown status "bogus"`)
}

func proposalFile(t *testing.T, edit func(string) string) *programme.ActivityProposal {
	t.Helper()
	b, err := os.ReadFile("../examples/proposal.yaml")
	require.NoError(t, err)
	src := string(b)
	if edit != nil {
		src = edit(src)
	}
	p, err := programme.ParseActivity([]byte(src))
	require.NoError(t, err)
	return p
}

func TestProposeActivity(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)

	require.NoError(t, s.ProposeActivity(ctx, "2017-2018", proposalFile(t, nil), "focal.ec@example.org"))
	a, err := s.GetActivity(ctx, "2017-2018", "G1A4")
	require.NoError(t, err)
	require.EqualValues(t, "proposed", a.Status)
	require.Equal(t, 1, a.Version)
	require.Equal(t, "EC", a.LeadCountry)
	require.Equal(t, []string{"CO", "PE"}, a.Participants)
	log, err := s.AuditLog(ctx, store.ActivityRef("2017-2018", "G1A4"))
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, "proposed", log[0].Action)
	require.Equal(t, "focal.ec@example.org", log[0].Actor)
	var versions int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM activity_version WHERE code = 'G1A4' AND version = 1`).Scan(&versions))
	require.Equal(t, 1, versions)
}

func TestProposeActivityRefusals(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	cases := []struct {
		name     string
		biennium string
		edit     func(string) string
		want     []string
	}{
		{"unknown goal", "", func(s string) string { return strings.Replace(s, "goal: 1", "goal: 7", 1) },
			[]string{"goal: no goal 7 in programme 2017-2018"}},
		{"unknown line and countries", "", func(s string) string {
			return strings.NewReplacer("line_of_action: 3", "line_of_action: 9", "lead: EC", "lead: XX", "[CO, PE]", "[CO, YY]").Replace(s)
		}, []string{"line_of_action: no line of action 9", `lead: no country "XX"`, `participants[1]: no country "YY"`}},
		{"existing code", "", func(s string) string { return strings.Replace(s, "code: G1A4", "code: G1A1", 1) },
			[]string{"code: activity G1A1 already exists in programme 2017-2018 (status approved)"}},
		{"unknown biennium", "", func(s string) string {
			return strings.NewReplacer(`biennium: "2017-2018"`, `biennium: "2019-2020"`, "2017-09-01", "2019-09-01", "2018-12-15", "2020-12-15").Replace(s)
		},
			[]string{"biennium: no programme 2019-2020 (import it first)"}},
		{"other biennium", "2019-2020", nil, []string{"biennium: the file says 2017-2018, not 2019-2020"}},
		{"unknown proposer", "", func(s string) string { return strings.Replace(s, "focal.ec@", "nobody@", 1) },
			[]string{"proposed_by: no person nobody@example.org"}},
	}
	before := tableCounts(t, pool)
	for _, tc := range cases {
		err := s.ProposeActivity(ctx, tc.biennium, proposalFile(t, tc.edit), "secretariat@example.org")
		var errs programme.Errors
		require.True(t, errors.As(err, &errs), "%s: %v", tc.name, err)
		for _, w := range tc.want {
			require.Contains(t, err.Error(), w, tc.name)
		}
	}
	require.Equal(t, before, tableCounts(t, pool), "nothing written")
}
