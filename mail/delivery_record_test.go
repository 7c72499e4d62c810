package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// A worker that dies after the server accepted a batch and before the
// batch's outcomes are recorded leaves its rows 'sending': once the lease
// runs out another worker sends them again under the same Message-ID,
// flagged as resent after an unknown outcome, and never a third time.
func TestWorkerDeadBeforeRecordingResendsFlagged(t *testing.T) {
	t.Parallel()
	url := storetest.NewDatabase(t)
	ctx := context.Background()
	open := func() *pgxpool.Pool {
		pool, err := pgxpool.New(ctx, url)
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		return pool
	}
	dying, alive := open(), open()
	st := store.New(alive)
	srv := mailtest.Start(t)
	const n = 5
	for i := range n {
		queue(t, st, fmt.Sprintf("crash/%d", i), fmt.Sprintf("p%d@example.org", i))
	}

	// The dying worker loses its database once the server holds the whole
	// batch: its next look at the clock comes before the record.
	clk := newClock()
	var once sync.Once
	dyingNow := func() time.Time {
		if len(srv.Messages()) == n {
			once.Do(dying.Close)
		}
		return clk.Now()
	}
	d1, err := mail.NewDeliverer(mail.DeliveryOptions{Store: store.New(dying), SMTPURL: srv.URL(),
		From: "bienal@cepal.example", Now: dyingNow, Logger: quiet, BatchSize: 10, Lease: time.Minute})
	require.NoError(t, err)
	got, err := d1.DeliverOnce(ctx)
	require.Error(t, err)
	require.Equal(t, n, got)
	counts, err := st.EmailCounts(ctx)
	require.NoError(t, err)
	require.Equal(t, n, counts[store.EmailSending], "accepted but unrecorded")

	d2, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: srv.URL(),
		From: "bienal@cepal.example", Now: clk.Now, Logger: quiet, BatchSize: 10, Lease: time.Minute})
	require.NoError(t, err)
	require.Zero(t, deliverOnce(t, d2), "the lease still holds")
	clk.Add(time.Minute)
	require.Equal(t, n, deliverOnce(t, d2))
	clk.Add(time.Hour)
	require.Zero(t, deliverOnce(t, d2))

	msgs := srv.WaitFor(2*n, 5*time.Second)
	require.Len(t, msgs, 2*n)
	times := map[string]int{}
	for _, m := range msgs {
		times[m.MessageID]++
	}
	rows, err := st.ListEmails(ctx, store.EmailFilter{})
	require.NoError(t, err)
	require.Len(t, rows, n)
	for _, e := range rows {
		require.Equal(t, store.EmailSent, e.Status)
		require.True(t, e.ResentAfterUnknown, "e-mail %s", e.DedupKey)
		require.Equal(t, 2, times["<"+mail.MessageID(e.DedupKey)+">"], "e-mail %s", e.DedupKey)
	}
}

// A worker told to stop while its batch is out still records what the
// server accepted, so those messages are not sent again.
func TestStoppingWorkerRecordsAcceptedMessages(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	srv := mailtest.Start(t)
	const n = 3
	for i := range n {
		queue(t, st, fmt.Sprintf("stop/%d", i), fmt.Sprintf("p%d@example.org", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	clk := newClock()
	stopping := func() time.Time {
		if len(srv.Messages()) == n {
			cancel()
		}
		return clk.Now()
	}
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: srv.URL(),
		From: "bienal@cepal.example", Now: stopping, Logger: quiet, BatchSize: 10})
	require.NoError(t, err)
	got, err := d.DeliverOnce(ctx)
	require.NoError(t, err)
	require.Equal(t, n, got)
	counts, err := st.EmailCounts(context.Background())
	require.NoError(t, err)
	require.Equal(t, n, counts[store.EmailSent])
}

// A worker stopped in the middle of a batch hands the messages it never
// attempted back to the queue at once, unflagged: they are due now, not
// after the lease, and keep their one resend for a real unknown outcome.
func TestStoppingWorkerReleasesUnattemptedMessages(t *testing.T) {
	t.Parallel()
	st, pool := storetest.New(t)
	srv := mailtest.Start(t)
	const n = 5
	for i := range n {
		queue(t, st, fmt.Sprintf("release/%d", i), fmt.Sprintf("p%d@example.org", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	clk := newClock()
	stopping := func() time.Time {
		if len(srv.Messages()) == 2 {
			cancel()
		}
		return clk.Now()
	}
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: srv.URL(),
		From: "bienal@cepal.example", Now: stopping, Logger: quiet, BatchSize: 10})
	require.NoError(t, err)
	_, err = d.DeliverOnce(ctx)
	require.NoError(t, err)
	var sent, queued, flagged int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT
		count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'queued'),
		count(*) FILTER (WHERE resent_after_unknown) FROM email`).Scan(&sent, &queued, &flagged))
	require.Equal(t, 2, sent)
	require.Equal(t, n-2, queued, "the rest are back in the queue")
	require.Zero(t, flagged)
}
