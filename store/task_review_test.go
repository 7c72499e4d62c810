package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// A report sent back for clarification waits for a new version: reminders
// follow its new due date; accepted, it gets no reminder and takes no
// version. Every refusal changes nothing.
func TestReviewMovesRemindersAndRefusesWhatItMust(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture)
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final", Code: "A1", Country: "AR"}
	at := time.Date(2018, 6, 9, 13, 0, 0, 0, time.UTC)
	taskItems := func() []store.ReminderItem {
		items, err := s.OpenReminderItems(ctx, at)
		require.NoError(t, err)
		var out []store.ReminderItem
		for _, it := range items {
			if it.Kind == "task" {
				out = append(out, it)
			}
		}
		return out
	}
	require.Len(t, taskItems(), 1)

	_, _, err = s.AcceptTask(ctx, k, "", "sec@eclac.example", at)
	require.ErrorIs(t, err, store.ErrNotSubmitted, "nothing submitted yet")
	_, _, err = s.ClarifyTask(ctx, k, "why", day("2018-07-20"), "sec@eclac.example", at)
	require.ErrorIs(t, err, store.ErrNotSubmitted)

	_, err = s.CreateSubmission(ctx, store.NewSubmission{Task: k, Status: "on_track", Progress: "two workshops",
		SubmittedBy: "ana@ar.example", At: at}, nil)
	require.NoError(t, err)
	require.Empty(t, taskItems(), "a submitted report gets no reminder")

	_, _, err = s.ClarifyTask(ctx, k, "add output 2", day("2018-06-01"), "sec@eclac.example", at)
	require.ErrorIs(t, err, store.ErrInvalid, "a due date in the past")
	_, _, err = s.ClarifyTask(ctx, k, "add output 2", day("2019-01-01"), "sec@eclac.example", at)
	require.ErrorIs(t, err, store.ErrInvalid, "a due date after the cycle closes")
	_, _, err = s.ClarifyTask(ctx, k, "", day("2018-07-20"), "sec@eclac.example", at)
	require.ErrorIs(t, err, store.ErrInvalid, "no reason")
	n := 0
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM task_review`).Scan(&n))
	require.Zero(t, n, "refusals write nothing")

	r, changed, err := s.ClarifyTask(ctx, k, "add output 2", day("2018-07-20"), "sec@eclac.example", at)
	require.NoError(t, err)
	require.True(t, changed)
	_, changed, err = s.ClarifyTask(ctx, k, "add output 2", day("2018-07-20"), "sec@eclac.example", at)
	require.NoError(t, err)
	require.False(t, changed, "the same clarification again changes nothing")
	items := taskItems()
	require.Len(t, items, 1, "sent back, the report is awaited again")
	require.Equal(t, day("2018-07-20"), items[0].DueOn, "reminders follow the new due date")

	_, _, err = s.RequestExtension(ctx, k, day("2018-07-25"), "elections", "ana@ar.example", at)
	require.NoError(t, err)
	_, _, err = s.RequestExtension(ctx, k, day("2018-07-28"), "more", "ana@ar.example", at)
	require.True(t, errors.Is(err, store.ErrRequestPending), "one request waits at a time: %v", err)

	_, err = s.CreateSubmission(ctx, store.NewSubmission{Task: k, Status: "completed", Progress: "with output 2",
		SubmittedBy: "ana@ar.example", At: at.Add(time.Hour)}, nil)
	require.NoError(t, err)
	accepted, changed, err := s.AcceptTask(ctx, k, "thanks", "sec@eclac.example", at.Add(2*time.Hour))
	require.NoError(t, err)
	require.True(t, changed)
	require.Equal(t, 2, accepted.Version)
	require.Equal(t, r.SubmissionID+1, accepted.SubmissionID)
	require.Empty(t, taskItems(), "accepted: no reminder")
	_, err = s.CreateSubmission(ctx, store.NewSubmission{Task: k, Status: "completed", Progress: "again",
		SubmittedBy: "ana@ar.example", At: at.Add(3 * time.Hour)}, nil)
	require.ErrorIs(t, err, store.ErrTaskClosed, "an accepted report takes no newer version")
}
