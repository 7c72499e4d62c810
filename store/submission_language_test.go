package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestSubmissionKeepsTheLanguageItWasWrittenIn(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	ctx := context.Background()

	bad := report(nil, store.EvidenceOptions{})
	bad.Language = "de"
	_, err := s.CreateSubmission(ctx, bad, nil)
	require.ErrorContains(t, err, `language: unknown language "de"`)
	require.Zero(t, rows(t, pool, "submission"), "a refused language stores nothing")
	_, err = s.SaveDraft(ctx, store.NewDraft{Task: evidenceTask, Progress: "Dois seminários.", Language: "de",
		SavedBy: "fp.cl@example.org", At: bad.At})
	require.ErrorContains(t, err, `language: unknown language "de"`)
	require.Zero(t, rows(t, pool, "task_draft"))

	_, err = s.SaveDraft(ctx, store.NewDraft{Task: evidenceTask, Progress: "Two workshops.", Language: "en",
		SavedBy: "fp.cl@example.org", At: bad.At})
	require.NoError(t, err)
	d, err := s.SaveDraft(ctx, store.NewDraft{Task: evidenceTask, Progress: "Dois seminários.", Language: "pt",
		SavedBy: "fp.cl@example.org", At: bad.At})
	require.NoError(t, err)
	require.Equal(t, "pt", d.Language)
	d, err = s.GetDraft(ctx, evidenceTask)
	require.NoError(t, err)
	require.Equal(t, "pt", d.Language, "the draft keeps its language")

	in := report(nil, store.EvidenceOptions{})
	in.Language = "pt"
	sub, err := s.CreateSubmission(ctx, in, nil)
	require.NoError(t, err)
	require.Equal(t, "pt", sub.Language)
	got, err := s.GetSubmission(ctx, sub.ID)
	require.NoError(t, err)
	require.Equal(t, "pt", got.Language)
	data, err := s.LoadReportData(ctx, evidenceTask.Biennium, evidenceTask.Cycle)
	require.NoError(t, err)
	var reported []string
	for _, g := range data.Goals {
		for _, a := range g.Activities {
			for _, task := range a.Tasks {
				if task.Submission != nil {
					reported = append(reported, a.Code+"/"+task.Country.Code+":"+task.Submission.Language)
				}
			}
		}
	}
	require.Equal(t, []string{"A1/CL:pt"}, reported, "the report reads the language")

	// A version sent before the question existed has none: "not said".
	in.Language = ""
	old, err := s.CreateSubmission(ctx, in, nil)
	require.NoError(t, err)
	var stored *string
	require.NoError(t, pool.QueryRow(ctx, `SELECT language FROM submission WHERE id = $1`, old.ID).Scan(&stored))
	require.Nil(t, stored, "not said is NULL, not a language")
	subs, err := s.ListSubmissions(ctx, evidenceTask)
	require.NoError(t, err)
	require.Equal(t, []string{"pt", ""}, []string{subs[0].Language, subs[1].Language})

	_, err = pool.Exec(ctx, `UPDATE submission SET language = 'de' WHERE id = $1`, old.ID)
	require.ErrorContains(t, err, "submission_language_check", "the database refuses it too")
}
