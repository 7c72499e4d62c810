package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestRecordEmailAttemptsInOneStatement(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	queueTestEmails(t, st, 4)
	now := time.Now().Truncate(time.Microsecond)
	claimed, err := st.ClaimEmails(ctx, now, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 4)
	sent, retry, unknown, failed := claimed[0], claimed[1], claimed[2], claimed[3]

	next := now.Add(2 * time.Minute)
	err = st.RecordEmailAttempts(ctx, []store.EmailOutcome{
		{ID: sent.ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptSent}, Status: store.EmailSent},
		{ID: retry.ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptTemporary, SMTPCode: 451, Error: "451 busy"},
			Status: store.EmailQueued, NextAttemptAt: next},
		{ID: unknown.ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptUnknown, Error: "connection lost"},
			Status: store.EmailQueued, NextAttemptAt: next, ResentAfterUnknown: true},
		{ID: failed.ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptPermanent, SMTPCode: 550, EnhancedStatus: "5.1.1"},
			Status: store.EmailFailed},
	})
	require.NoError(t, err)

	get := func(id int64) store.EmailRow {
		e, err := st.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Len(t, e.AttemptLog, 1)
		require.Equal(t, 1, e.Attempts)
		return e
	}
	e := get(sent.ID)
	require.Equal(t, store.EmailSent, e.Status)
	require.NotNil(t, e.SentAt)
	require.True(t, e.SentAt.Equal(now))
	require.False(t, e.ResentAfterUnknown)
	e = get(retry.ID)
	require.Equal(t, store.EmailQueued, e.Status)
	require.True(t, e.NextAttemptAt.Equal(next))
	require.Equal(t, "451 busy", e.LastError)
	require.Equal(t, 451, e.AttemptLog[0].SMTPCode)
	require.False(t, e.ResentAfterUnknown)
	e = get(unknown.ID)
	require.Equal(t, store.EmailQueued, e.Status)
	require.True(t, e.ResentAfterUnknown)
	require.Equal(t, store.AttemptUnknown, e.AttemptLog[0].Outcome)
	e = get(failed.ID)
	require.Equal(t, store.EmailFailed, e.Status)
	require.Nil(t, e.SentAt)
	require.Equal(t, "5.1.1", e.AttemptLog[0].EnhancedStatus)
	require.Empty(t, e.LastError)

	// A row no longer 'sending' keeps its state: the attempt is logged only.
	err = st.RecordEmailAttempts(ctx, []store.EmailOutcome{
		{ID: sent.ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptSent}, Status: store.EmailSent}})
	require.NoError(t, err)
	e, err = st.GetEmail(ctx, sent.ID)
	require.NoError(t, err)
	require.Equal(t, store.EmailSent, e.Status)
	require.Equal(t, 1, e.Attempts)
}

func TestRecordEmailAttemptsRefusesBadInputWholly(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	queueTestEmails(t, st, 2)
	now := time.Now()
	claimed, err := st.ClaimEmails(ctx, now, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 2)
	ok := store.EmailOutcome{ID: claimed[0].ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptSent}, Status: store.EmailSent}

	err = st.RecordEmailAttempts(ctx, []store.EmailOutcome{ok,
		{ID: claimed[1].ID, Attempt: store.EmailAttempt{At: now, Outcome: store.AttemptSent}, Status: "delivered"}})
	require.ErrorContains(t, err, `outcome 1 (e-mail `)
	require.ErrorContains(t, err, `status "delivered"`)
	err = st.RecordEmailAttempts(ctx, []store.EmailOutcome{ok, ok})
	require.ErrorContains(t, err, "appears twice")

	counts, err := st.EmailCounts(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, counts[store.EmailSending], "nothing recorded")
	require.NoError(t, st.RecordEmailAttempts(ctx, nil))
}
