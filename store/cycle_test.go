package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// seedCycleProgramme writes a programme with two activities in execution
// (A1 led by CL with AR taking part, A2 led by MX), one still proposed, and
// a focal point for CL.
func seedCycleProgramme(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 1, 'Goal');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line');
		INSERT INTO country VALUES ('CL', 'Chile'), ('AR', 'Argentina'), ('MX', 'Mexico');
		INSERT INTO person (email, name, language, country) VALUES ('ana@cl.example', 'Ana', 'es', 'CL');
		INSERT INTO focal_point VALUES ('2017-2018', 'CL', 'ana@cl.example');
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status) VALUES
			('2017-2018', 'A1', 1, 1, 'CL', 'Broadband', 'in_execution'),
			('2017-2018', 'A2', 1, 1, 'MX', 'Open data', 'in_execution'),
			('2017-2018', 'A3', 1, 1, 'MX', 'Proposed', 'proposed');
		INSERT INTO activity_country VALUES ('2017-2018', 'A1', 'CL', 'lead'), ('2017-2018', 'A1', 'AR', 'participant');`)
	require.NoError(t, err)
}

func TestOpenCycleValidatesAndRefusesASecond(t *testing.T) {
	s, pool := storetest.New(t)
	seedCycleProgramme(t, pool)
	ctx := context.Background()

	for _, tc := range []struct{ name, due, closes, want string }{
		{"Final!", "2018-06-30", "2018-07-31", `name: "Final!"`},
		{"final", "2016-06-30", "2018-07-31", "due: 2016-06-30 is outside"},
		{"final", "2018-06-30", "2018-06-01", "closes: 2018-06-01 is before the due date"},
	} {
		_, err := s.OpenCycle(ctx, "2017-2018", tc.name, "", day(tc.due), day(tc.closes))
		require.ErrorIs(t, err, store.ErrInvalid)
		require.ErrorContains(t, err, tc.want)
		require.NotContains(t, err.Error(), "--", "the store speaks of the domain, not of a command's flags")
	}
	_, err := s.OpenCycle(ctx, "2019-2020", "final", "", day("2020-06-30"), time.Time{})
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorContains(t, err, "no programme for biennium 2019-2020")
	cs, err := s.ListCycles(ctx, "2017-2018")
	require.NoError(t, err)
	require.Empty(t, cs)

	// Two commands at once: one cycle, one clear refusal.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.OpenCycle(ctx, "2017-2018", "final", "Final report", day("2018-06-30"), day("2018-07-31"))
		}()
	}
	wg.Wait()
	failed := errs[0]
	if failed == nil {
		failed = errs[1]
	} else {
		require.NoError(t, errs[1])
	}
	require.ErrorIs(t, failed, store.ErrCycleExists)
	require.EqualError(t, failed, "cycle 2017-2018/final is already open: cycle already exists")
	cs, err = s.ListCycles(ctx, "2017-2018")
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.Equal(t, "Final report", cs[0].Title)
	require.Equal(t, day("2018-07-31"), cs[0].ClosesOn.UTC())
}

func TestCycleTargetsPagesLeadAndParticipants(t *testing.T) {
	s, pool := storetest.New(t)
	seedCycleProgramme(t, pool)
	ctx := context.Background()
	first, err := s.CycleTargets(ctx, "2017-2018", cooperation.Target{}, 2)
	require.NoError(t, err)
	require.Equal(t, []cooperation.Target{{Code: "A1", Country: "AR"}, {Code: "A1", Country: "CL"}}, first)
	rest, err := s.CycleTargets(ctx, "2017-2018", first[1], 2)
	require.NoError(t, err)
	require.Equal(t, []cooperation.Target{{Code: "A2", Country: "MX"}}, rest)
}

func TestSubmissionsVersionsLateAndRefusals(t *testing.T) {
	s, pool := storetest.New(t)
	seedCycleProgramme(t, pool)
	ctx := context.Background()
	_, err := s.OpenCycle(ctx, "2017-2018", "final", "Final", day("2018-06-30"), day("2018-07-31"))
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final", Code: "A1", Country: "CL"}
	_, created, err := s.EnsureTask(ctx, k, day("2018-06-30"))
	require.NoError(t, err)
	require.True(t, created)
	_, created, err = s.EnsureTask(ctx, k, day("2018-06-30"))
	require.NoError(t, err)
	require.False(t, created)

	receipt := func(d store.TaskDetail, sub store.Submission, to store.Recipient) (store.Email, error) {
		return store.Email{DedupKey: "receipt/" + d.Key().String() + "/" + to.Email + "/" + string(rune('0'+sub.Version)),
			Recipient: to.Email, Language: to.Language, Kind: "receipt", Subject: d.ActivityTitle.Stored, Text: "ok"}, nil
	}
	in := store.NewSubmission{Task: k, Status: "on_track", Progress: "half", SubmittedBy: "ana@cl.example", At: day("2018-06-30").Add(23 * time.Hour)}
	bad := in
	bad.Status = "fine"
	_, err = s.CreateSubmission(ctx, bad, receipt)
	require.ErrorContains(t, err, `status "fine"`)
	bad = in
	bad.Results = string([]byte{0xff})
	_, err = s.CreateSubmission(ctx, bad, receipt)
	require.ErrorContains(t, err, "results: not valid UTF-8")

	first, err := s.CreateSubmission(ctx, in, receipt)
	require.NoError(t, err)
	require.False(t, first.Late)
	in.Status, in.At = "completed", day("2018-07-02")
	second, err := s.CreateSubmission(ctx, in, receipt)
	require.NoError(t, err)
	require.Equal(t, 2, second.Version)
	require.True(t, second.Late)

	subs, err := s.ListSubmissions(ctx, k)
	require.NoError(t, err)
	require.Len(t, subs, 2)
	require.False(t, subs[0].Counted)
	require.True(t, subs[1].Counted)
	task, err := s.GetTask(ctx, k)
	require.NoError(t, err)
	require.Equal(t, cooperation.TaskSubmitted, task.Status)
	require.True(t, task.Late)
	var receipts int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM email WHERE kind = 'receipt' AND recipient = 'ana@cl.example'`).Scan(&receipts))
	require.Equal(t, 2, receipts)

	missing, err := s.CloseCycle(ctx, "2017-2018", "final")
	require.NoError(t, err)
	require.Zero(t, missing)
	_, err = s.CreateSubmission(ctx, in, receipt)
	require.True(t, errors.Is(err, store.ErrTaskClosed), err)
	counts, err := s.CycleCounts(ctx, "2017-2018", "final")
	require.NoError(t, err)
	require.Equal(t, 1, counts[cooperation.TaskSubmitted])
	require.Equal(t, 0, counts[cooperation.TaskOpen])
}

func TestExtendOverdueAndWaive(t *testing.T) {
	s, pool := storetest.New(t)
	seedCycleProgramme(t, pool)
	ctx := context.Background()
	_, err := s.OpenCycle(ctx, "2017-2018", "mid", "", day("2018-01-31"), day("2018-03-31"))
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid", Code: "A2", Country: "MX"}
	_, _, err = s.EnsureTask(ctx, k, day("2018-01-31"))
	require.NoError(t, err)

	ok, err := s.MarkTaskOverdue(ctx, k, day("2018-01-31"))
	require.NoError(t, err)
	require.True(t, ok)
	_, _, err = s.ExtendTask(ctx, k, day("2018-01-15"), "late start", "sec@eclac.example", day("2018-02-01"))
	require.ErrorContains(t, err, "the new due date 2018-01-15 is not after the current one, 2018-01-31")
	_, _, err = s.ExtendTask(ctx, k, day("2018-04-01"), "late start", "sec@eclac.example", day("2018-02-01"))
	require.ErrorIs(t, err, store.ErrInvalid)
	require.ErrorContains(t, err, "the new due date 2018-04-01 is after the cycle closes, on 2018-03-31")
	task, extended, err := s.ExtendTask(ctx, k, day("2018-02-15"), "late start", "sec@eclac.example", day("2018-02-01"))
	require.NoError(t, err)
	require.True(t, extended)
	require.Equal(t, cooperation.TaskOpen, task.Status)
	require.Equal(t, day("2018-02-15"), task.DueOn.UTC())
	_, extended, err = s.ExtendTask(ctx, k, day("2018-02-15"), "late start", "sec@eclac.example", day("2018-02-01"))
	require.NoError(t, err)
	require.False(t, extended, "asking again for the same date is harmless")
	d, err := s.GetTaskDetail(ctx, k)
	require.NoError(t, err)
	require.Equal(t, 1, d.Extensions)
	ok, err = s.MarkTaskOverdue(ctx, k, day("2018-01-31"))
	require.NoError(t, err)
	require.False(t, ok, "the old due date no longer makes the task overdue")

	task, err = s.WaiveTask(ctx, k, "activity suspended")
	require.NoError(t, err)
	require.Equal(t, cooperation.TaskWaived, task.Status)
	ok, err = s.MarkTaskMissing(ctx, k)
	require.NoError(t, err)
	require.False(t, ok)
	ts, err := s.ListTasks(ctx, "2017-2018", "mid", store.TaskFilter{Status: cooperation.TaskWaived})
	require.NoError(t, err)
	require.Len(t, ts, 1)
}

func TestConcurrentSubmissionsTakeConsecutiveVersions(t *testing.T) {
	s, pool := storetest.New(t)
	seedCycleProgramme(t, pool)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO person (email, name, language, country) VALUES ('bea@cl.example', 'Bea', 'en', 'CL');
		INSERT INTO focal_point VALUES ('2017-2018', 'CL', 'bea@cl.example')`)
	require.NoError(t, err)
	_, err = s.OpenCycle(ctx, "2017-2018", "final", "Final", day("2018-06-30"), day("2018-07-31"))
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final", Code: "A1", Country: "CL"}
	_, _, err = s.EnsureTask(ctx, k, day("2018-06-30"))
	require.NoError(t, err)
	receipt := func(d store.TaskDetail, sub store.Submission, to store.Recipient) (store.Email, error) {
		return store.Email{DedupKey: fmt.Sprintf("receipt/%s/v%d/%s", d.Key(), sub.Version, to.Email),
			Recipient: to.Email, Language: to.Language, Kind: "receipt", Subject: d.ActivityTitle.Stored, Text: sub.Status}, nil
	}
	in := store.NewSubmission{Task: k, Status: "on_track", SubmittedBy: "ana@cl.example", At: day("2018-06-01")}

	const n = 8
	var wg sync.WaitGroup
	versions := make([]int, n)
	for i := range n {
		wg.Go(func() {
			sub, err := s.CreateSubmission(ctx, in, receipt)
			assert.NoError(t, err)
			versions[i] = sub.Version
		})
	}
	wg.Wait()
	slices.Sort(versions)
	require.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8}, versions)
	subs, err := s.ListSubmissions(ctx, k)
	require.NoError(t, err)
	require.Len(t, subs, n)
	for _, sub := range subs {
		require.Equal(t, sub.Version == n, sub.Counted, "only the latest version counts")
	}
	var receipts int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(DISTINCT dedup_key) FROM email WHERE kind = 'receipt'`).Scan(&receipts))
	require.Equal(t, 2*n, receipts, "one receipt per focal point and version")
}

func TestSubmissionInsideTransactionWritesNothingWhenRefused(t *testing.T) {
	s, pool := storetest.New(t)
	seedCycleProgramme(t, pool)
	ctx := context.Background()
	_, err := s.OpenCycle(ctx, "2017-2018", "final", "Final", day("2018-06-30"), day("2018-07-31"))
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final", Code: "A1", Country: "CL"}
	_, _, err = s.EnsureTask(ctx, k, day("2018-06-30"))
	require.NoError(t, err)
	in := store.NewSubmission{Task: k, Status: "delayed", SubmittedBy: "ana@cl.example", At: day("2018-06-01")}
	failing := func(store.TaskDetail, store.Submission, store.Recipient) (store.Email, error) {
		return store.Email{}, errors.New("no template")
	}
	var sub store.Submission
	err = s.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.CreateSubmission(ctx, in, failing)
		require.EqualError(t, err, "submission to 2017-2018/final/A1/CL: compose receipt for ana@cl.example: no template")
		_, err = tx.CreateSubmission(ctx, store.NewSubmission{Task: cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final",
			Code: "A2", Country: "CL"}, Status: "delayed", SubmittedBy: "x", At: in.At}, nil)
		require.ErrorIs(t, err, store.ErrNotFound)
		// The refusals wrote nothing and left the transaction usable.
		sub, err = tx.CreateSubmission(ctx, in, nil)
		return err
	})
	require.NoError(t, err)
	require.Equal(t, 1, sub.Version)
	require.EqualValues(t, "delayed", sub.Status)
	require.True(t, sub.Counted)
	require.Equal(t, in.At, sub.SubmittedAt.UTC())
	var emails int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM email`).Scan(&emails))
	require.Zero(t, emails)

	_, err = s.WaiveTask(ctx, k, "suspended")
	require.ErrorIs(t, err, store.ErrTaskClosed, "a submitted task is not waived")
	_, err = s.GetTaskDetail(ctx, cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid", Code: "A1", Country: "CL"})
	require.EqualError(t, err, "get task 2017-2018/mid/A1/CL: not found")
}
