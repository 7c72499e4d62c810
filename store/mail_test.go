package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func queueTestEmails(t *testing.T, st *store.Store, n int) {
	t.Helper()
	for i := range n {
		ok, err := st.QueueEmail(context.Background(), store.Email{
			DedupKey: fmt.Sprintf("test/%d", i), Recipient: fmt.Sprintf("p%d@example.org", i), Language: "es",
			Kind: "task", Subject: fmt.Sprintf("Asunto %d", i), Text: "texto",
			Attachments: []store.Attachment{{Name: "a.ics", ContentType: "text/calendar", Content: []byte("X")}},
		})
		require.NoError(t, err)
		require.True(t, ok)
	}
}

func TestClaimEmailsNeverSharesARow(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	queueTestEmails(t, st, 5)
	now := time.Now()

	first, err := st.ClaimEmails(ctx, now, 3, time.Minute)
	require.NoError(t, err)
	second, err := st.ClaimEmails(ctx, now, 3, time.Minute)
	require.NoError(t, err)
	require.Len(t, first, 3)
	require.Len(t, second, 2)
	seen := map[int64]bool{}
	for _, c := range append(first, second...) {
		require.False(t, seen[c.ID], "e-mail %d claimed twice", c.ID)
		seen[c.ID] = true
		require.False(t, c.Reclaimed)
	}
	require.Equal(t, "a.ics", first[0].Attachments[0].Name)
	require.Equal(t, []byte("X"), first[0].Attachments[0].Content)

	none, err := st.ClaimEmails(ctx, now.Add(30*time.Second), 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, none, "a leased row must stay with its worker")

	// After the lease, a worker that stopped gives its rows back, flagged.
	again, err := st.ClaimEmails(ctx, now.Add(2*time.Minute), 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, again, 5)
	for _, c := range again {
		require.True(t, c.Reclaimed)
		require.True(t, c.ResentAfterUnknown)
	}
}

func TestEmailAttemptsAndLog(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	queueTestEmails(t, st, 2)
	now := time.Now().Truncate(time.Microsecond)
	claimed, err := st.ClaimEmails(ctx, now, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 2)
	a, b := claimed[0], claimed[1]

	temp := store.EmailAttempt{At: now, Outcome: store.AttemptTemporary, SMTPCode: 451, EnhancedStatus: "4.3.0", Error: "451 busy"}
	require.NoError(t, st.MarkEmailRetry(ctx, a.ID, temp, now.Add(time.Minute), false))
	require.NoError(t, st.MarkEmailFailed(ctx, b.ID, store.EmailAttempt{At: now, Outcome: store.AttemptPermanent, SMTPCode: 550, Error: "550 no such user"}))

	got, err := st.GetEmail(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, store.EmailQueued, got.Status)
	require.Equal(t, 1, got.Attempts)
	require.Equal(t, "451 busy", got.LastError)
	require.Equal(t, "texto", got.Text)
	require.Equal(t, []store.EmailAttempt{temp}, []store.EmailAttempt{{At: got.AttemptLog[0].At.Truncate(time.Microsecond),
		Outcome: got.AttemptLog[0].Outcome, SMTPCode: got.AttemptLog[0].SMTPCode,
		EnhancedStatus: got.AttemptLog[0].EnhancedStatus, Error: got.AttemptLog[0].Error}})
	require.True(t, got.AttemptLog[0].At.Equal(now))

	// Not due yet; due a minute later.
	c, err := st.ClaimEmails(ctx, now.Add(30*time.Second), 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, c)
	c, err = st.ClaimEmails(ctx, now.Add(time.Minute), 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, c, 1)
	require.NoError(t, st.MarkEmailSent(ctx, a.ID, store.EmailAttempt{At: now.Add(time.Minute), Outcome: store.AttemptSent}))

	failed, err := st.ListEmails(ctx, store.EmailFilter{Status: store.EmailFailed})
	require.NoError(t, err)
	require.Len(t, failed, 1)
	require.Equal(t, b.ID, failed[0].ID)
	require.Equal(t, 550, failed[0].AttemptLog[0].SMTPCode)
	all, err := st.ListEmails(ctx, store.EmailFilter{Recipient: a.Recipient})
	require.NoError(t, err)
	require.Len(t, all, 1)
	require.Equal(t, store.EmailSent, all[0].Status)
	require.Len(t, all[0].AttemptLog, 2)
	require.NotNil(t, all[0].SentAt)

	counts, err := st.EmailCounts(ctx)
	require.NoError(t, err)
	require.Equal(t, map[string]int{"queued": 0, "sending": 0, "sent": 1, "failed": 1}, counts)

	_, err = st.ListEmails(ctx, store.EmailFilter{Status: "lost"})
	require.ErrorContains(t, err, `status "lost"`)
}

func TestRetryEmail(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	queueTestEmails(t, st, 2)
	now := time.Now()
	claimed, err := st.ClaimEmails(ctx, now, 10, time.Minute)
	require.NoError(t, err)
	require.NoError(t, st.MarkEmailFailed(ctx, claimed[0].ID, store.EmailAttempt{At: now, Outcome: store.AttemptPermanent, Error: "550"}))

	require.NoError(t, st.RetryEmail(ctx, claimed[0].ID))
	got, err := st.GetEmail(ctx, claimed[0].ID)
	require.NoError(t, err)
	require.Equal(t, store.EmailQueued, got.Status)
	require.Equal(t, 0, got.Attempts)
	require.Len(t, got.AttemptLog, 1, "the history stays")

	err = st.RetryEmail(ctx, claimed[1].ID)
	require.ErrorContains(t, err, "it is sending, only a failed message can be retried")
	err = st.RetryEmail(ctx, 999999)
	require.True(t, errors.Is(err, store.ErrNotFound))
	_, err = st.GetEmail(ctx, 999999)
	require.True(t, errors.Is(err, store.ErrNotFound))
}

func TestQueueFailureNoticesOncePerDay(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	compose := func(r store.NoticeRecipient, failed []store.FailedEmail) (store.Email, error) {
		return store.Email{Language: r.Language, Subject: fmt.Sprintf("%d failed", len(failed)), Text: r.Name}, nil
	}
	queueTestEmails(t, st, 3)
	now := time.Now()
	claimed, err := st.ClaimEmails(ctx, now, 10, time.Minute)
	require.NoError(t, err)
	require.NoError(t, st.MarkEmailFailed(ctx, claimed[0].ID, store.EmailAttempt{At: now, Outcome: store.AttemptPermanent, Error: "550"}))

	_, err = st.QueueFailureNotices(ctx, "2017-03-01", now, compose)
	require.ErrorContains(t, err, "no secretariat user")
	require.NoError(t, st.SetPassword(ctx, "sec@cepal.example", "Secretaría", "secretariat", "a long enough password"))

	n, err := st.QueueFailureNotices(ctx, "2017-03-01", now, compose)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.NoError(t, st.MarkEmailFailed(ctx, claimed[1].ID, store.EmailAttempt{At: now, Outcome: store.AttemptPermanent, Error: "550"}))
	n, err = st.QueueFailureNotices(ctx, "2017-03-01", now, compose)
	require.NoError(t, err)
	require.Zero(t, n, "one notice a day")

	n, err = st.QueueFailureNotices(ctx, "2017-03-02", now, compose)
	require.NoError(t, err)
	require.Equal(t, 1, n, "the next day lists what came after")
	notices, err := st.ListEmails(ctx, store.EmailFilter{Recipient: "sec@cepal.example"})
	require.NoError(t, err)
	require.Len(t, notices, 2)
	require.Equal(t, "failure-notice/2017-03-02/sec@cepal.example", notices[0].DedupKey)
	require.Equal(t, "1 failed", notices[0].Subject)
	require.Equal(t, store.FailureNoticeKind, notices[0].Kind)

	n, err = st.QueueFailureNotices(ctx, "2017-03-03", now, compose)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left to tell")
}

func TestListenEmailsWakesOnNewRow(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	woken := make(chan struct{}, 10)
	go func() {
		_ = st.ListenEmails(ctx, func() { woken <- struct{}{} }, func(error) {})
	}()
	select {
	case <-woken: // the first wake comes when listening starts
	case <-time.After(5 * time.Second):
		t.Fatal("listener did not start")
	}
	queueTestEmails(t, st, 1)
	select {
	case <-woken:
	case <-time.After(5 * time.Second):
		t.Fatal("no wake after a new row")
	}
}
