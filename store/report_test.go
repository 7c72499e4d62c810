package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestLoadReportData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)

	d, err := s.LoadReportData(ctx, reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	require.Equal(t, "Biennial programme of the Conference on Science, Innovation and ICTs", d.ProgrammeTitle)
	require.Equal(t, "Final report 2017-2018", d.Cycle.Title)
	require.EqualValues(t, "closed", d.Cycle.Status)
	require.Equal(t, time.Date(2018, 6, 30, 0, 0, 0, 0, time.UTC), d.Cycle.DueOn)
	require.NotNil(t, d.Cycle.ClosedAt)

	var goals []int
	codes := map[int][]string{}
	for _, g := range d.Goals {
		goals = append(goals, g.Number)
		for _, a := range g.Activities {
			codes[g.Number] = append(codes[g.Number], a.Code)
		}
	}
	require.Equal(t, []int{1, 2, 3}, goals)
	// Codes in people's order (A1.2 before A1.10); the rejected A3.9 is not in the report.
	require.Equal(t, map[int][]string{1: {"A1.2", "A1.10"}, 2: {"A2.1", "A2.2"}, 3: {"A3.1"}}, codes)

	a := d.Goals[0].Activities[0]
	require.Equal(t, store.ReportCountry{Code: "BR", Name: "Brazil"}, a.Lead)
	require.Equal(t, []store.ReportCountry{{Code: "CL", Name: "Chile"}, {Code: "UY", Name: "Uruguay"}}, a.Participants)
	require.Equal(t, []string{"Network charter", "Two workshops"}, a.ExpectedOutputs)
	require.Len(t, a.Tasks, 3)

	lead := a.Tasks[0]
	require.Equal(t, "BR", lead.Country.Code)
	require.Equal(t, "lead", lead.Role)
	require.EqualValues(t, "accepted", lead.Status)
	require.True(t, lead.Late)
	require.NotNil(t, lead.Submission)
	require.Equal(t, 2, lead.Submission.Version, "the counted version is shown")
	// Its history: both versions with their times, each with its review.
	require.Len(t, lead.Versions, 2)
	v1, v2 := lead.Versions[0], lead.Versions[1]
	require.Equal(t, []int{1, 2}, []int{v1.Version, v2.Version})
	require.False(t, v1.Counted)
	require.True(t, v2.Counted)
	require.Equal(t, time.Date(2018, 7, 2, 10, 0, 0, 0, time.UTC), v1.SubmittedAt.UTC())
	require.Equal(t, "on_track", v1.Status)
	require.Len(t, v1.Reviews, 1)
	require.EqualValues(t, "clarification_requested", v1.Reviews[0].Decision)
	require.Equal(t, "Please give the dates of the workshops", v1.Reviews[0].Comment)
	require.Equal(t, "2018-07-04", v1.Reviews[0].DueOn.Format(time.DateOnly))
	require.Equal(t, "ana@cepal.org", v1.Reviews[0].ReviewedBy)
	require.Len(t, v2.Reviews, 1)
	require.EqualValues(t, "accepted", v2.Reviews[0].Decision)
	require.Nil(t, v2.Reviews[0].DueOn)
	require.EqualValues(t, "delayed", lead.Submission.Status)
	require.Equal(t, "Funding cut", lead.Submission.Difficulties)
	require.Equal(t, "br@gov.br", lead.Submission.SubmittedBy)

	waived := a.Tasks[1]
	require.Equal(t, "CL", waived.Country.Code)
	require.Equal(t, "participant", waived.Role)
	require.EqualValues(t, "waived", waived.Status)
	require.Equal(t, "No activity in Chile in 2018", waived.WaiveReason)
	require.Nil(t, waived.Submission)
	require.Empty(t, waived.Versions)

	// A submission flagged late makes its task late even if the task row says otherwise.
	a31 := d.Goals[2].Activities[0]
	require.EqualValues(t, "missing", a31.Tasks[0].Status)
	require.Equal(t, "BR", a31.Tasks[1].Country.Code)
	require.True(t, a31.Tasks[1].Late)

	tasks := 0
	for _, g := range d.Goals {
		for _, a := range g.Activities {
			tasks += len(a.Tasks)
		}
	}
	require.Equal(t, 10, tasks)
}

func TestLoadReportDataUnknownCycle(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	_, err := s.LoadReportData(context.Background(), reporttest.Biennium, "midterm")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorContains(t, err, "2017-2018/midterm")
}

func TestReportRecipients(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	got, err := s.ReportRecipients(context.Background())
	require.NoError(t, err)
	require.Equal(t, []store.ReportRecipient{
		{Email: "ana@cepal.org", Name: "Ana Secretaria", Language: "es"},
		{Email: "bob@cepal.org", Name: "Bob Secretariat", Language: "en"},
	}, got)
}
