package mail_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// clock is a fake clock the tests move by hand, to pass backoff without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts a little ahead of the database, so rows queued now are due.
func newClock() *clock { return &clock{t: time.Now().Add(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var quiet = slog.New(slog.DiscardHandler)

func newDeliverer(t testing.TB, st *store.Store, smtpURL string, clk *clock) *mail.Deliverer {
	t.Helper()
	d, err := mail.NewDeliverer(mail.DeliveryOptions{
		Store: st, SMTPURL: smtpURL, From: "bienal@cepal.example", Now: clk.Now, Logger: quiet,
		BatchSize: 10, Timeout: 5 * time.Second,
	})
	require.NoError(t, err)
	return d
}

func queue(t testing.TB, st *store.Store, key, recipient string) int64 {
	t.Helper()
	ctx := context.Background()
	ok, err := st.QueueEmail(ctx, store.Email{
		DedupKey: key, Recipient: recipient, Language: "es", Kind: "task",
		Subject: "Informe de ejecución: vence el 30 de junio", Text: "Hola\n", HTML: "<p>Hola</p>",
	})
	require.NoError(t, err)
	require.True(t, ok)
	rows, err := st.ListEmails(ctx, store.EmailFilter{Recipient: recipient, Limit: 1})
	require.NoError(t, err)
	return rows[0].ID
}

func deliverOnce(t testing.TB, d *mail.Deliverer) int {
	t.Helper()
	n, err := d.DeliverOnce(context.Background())
	require.NoError(t, err)
	return n
}

func outcomes(e store.EmailRow) []string {
	var out []string
	for _, a := range e.AttemptLog {
		out = append(out, a.Outcome)
	}
	return out
}

func TestTemporaryFailuresThenAccepted(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	srv := mailtest.Start(t)
	clk := newClock()
	d := newDeliverer(t, st, srv.URL(), clk)
	srv.FailNext(2, 451, "4.3.0", "try again later")
	id := queue(t, st, "task/1", "ana@cl.example")
	ctx := context.Background()

	require.Equal(t, 1, deliverOnce(t, d))
	require.Zero(t, deliverOnce(t, d), "not due before the backoff")
	clk.Add(time.Minute)
	require.Equal(t, 1, deliverOnce(t, d))
	clk.Add(time.Minute)
	require.Zero(t, deliverOnce(t, d), "the second wait is two minutes")
	clk.Add(time.Minute)
	require.Equal(t, 1, deliverOnce(t, d))

	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	e, err := st.GetEmail(ctx, id)
	require.NoError(t, err)
	require.Equal(t, store.EmailSent, e.Status)
	require.Equal(t, []string{"temporary", "temporary", "sent"}, outcomes(e))
	require.Equal(t, 451, e.AttemptLog[0].SMTPCode)
	require.Equal(t, "4.3.0", e.AttemptLog[0].EnhancedStatus)
	require.Contains(t, e.AttemptLog[0].Error, "try again later")
	require.Equal(t, "<"+mail.MessageID("task/1")+">", msgs[0].MessageID)
	require.Equal(t, []string{"ana@cl.example"}, msgs[0].To)
	require.Equal(t, "bienal@cepal.example", msgs[0].From)
}

func TestPermanentFailureTellsTheSecretariat(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	require.NoError(t, st.SetPassword(ctx, "sec@cepal.example", "Marta", "secretariat", "a long enough password"))
	srv := mailtest.Start(t)
	clk := newClock()
	d := newDeliverer(t, st, srv.URL(), clk)
	srv.FailNext(1, 550, "5.1.1", "no such mailbox")
	id := queue(t, st, "task/2", "nadie@cl.example")

	require.Equal(t, 1, deliverOnce(t, d))
	e, err := st.GetEmail(ctx, id)
	require.NoError(t, err)
	require.Equal(t, store.EmailFailed, e.Status)
	require.Equal(t, []string{"permanent"}, outcomes(e))
	require.Equal(t, 550, e.AttemptLog[0].SMTPCode)
	require.Equal(t, "5.1.1", e.AttemptLog[0].EnhancedStatus)

	notices, err := st.ListEmails(ctx, store.EmailFilter{Recipient: "sec@cepal.example"})
	require.NoError(t, err)
	require.Len(t, notices, 1)
	require.Equal(t, "failure-notice/"+clk.Now().UTC().Format("2006-01-02")+"/sec@cepal.example", notices[0].DedupKey)
	require.Contains(t, notices[0].Subject, "1 mensaje(s) no entregado(s)")

	// The notice goes out; the failed message is never tried again.
	clk.Add(2 * time.Hour)
	require.Equal(t, 1, deliverOnce(t, d))
	msgs := srv.WaitFor(1, 5*time.Second)
	require.Len(t, msgs, 1)
	require.Equal(t, []string{"sec@cepal.example"}, msgs[0].To)
	parts, err := msgs[0].Parts()
	require.NoError(t, err)
	require.Contains(t, parts.Text, "nadie@cl.example")
	require.Contains(t, parts.Text, "no such mailbox")
	require.Contains(t, parts.HTML, "nadie@cl.example")
	clk.Add(48 * time.Hour)
	require.Zero(t, deliverOnce(t, d))
	e, err = st.GetEmail(ctx, id)
	require.NoError(t, err)
	require.Len(t, e.AttemptLog, 1)
}

func TestConnectionDroppedAfterDataResendsOnce(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	srv := mailtest.Start(t)
	clk := newClock()
	d := newDeliverer(t, st, srv.URL(), clk)

	srv.DropAfterData(1)
	once := queue(t, st, "task/3", "ana@cl.example")
	require.Equal(t, 1, deliverOnce(t, d))
	e, err := st.GetEmail(ctx, once)
	require.NoError(t, err)
	require.Equal(t, store.EmailQueued, e.Status)
	require.True(t, e.ResentAfterUnknown)
	clk.Add(time.Minute)
	require.Equal(t, 1, deliverOnce(t, d))
	e, err = st.GetEmail(ctx, once)
	require.NoError(t, err)
	require.Equal(t, store.EmailSent, e.Status)
	require.Equal(t, []string{"unknown", "sent"}, outcomes(e))
	msgs := srv.Messages()
	require.Len(t, msgs, 2, "the server got it twice")
	require.Equal(t, msgs[0].MessageID, msgs[1].MessageID)
	require.Equal(t, "<"+mail.MessageID("task/3")+">", msgs[0].MessageID)

	// Unknown twice: no third send.
	srv.DropAfterData(2)
	twice := queue(t, st, "task/4", "luis@uy.example")
	require.Equal(t, 1, deliverOnce(t, d))
	clk.Add(time.Minute)
	require.Equal(t, 1, deliverOnce(t, d))
	clk.Add(time.Hour)
	require.Zero(t, deliverOnce(t, d))
	e, err = st.GetEmail(ctx, twice)
	require.NoError(t, err)
	require.Equal(t, store.EmailFailed, e.Status)
	require.Equal(t, []string{"unknown", "unknown"}, outcomes(e))
	require.Len(t, srv.Messages(), 4)
}

func TestServerDownThenUpDrainsTheQueue(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	ctx := context.Background()
	srv := mailtest.Start(t)
	const n = 25
	for i := range n {
		queue(t, st, fmt.Sprintf("down/%d", i), fmt.Sprintf("p%d@example.org", i))
	}
	clk := newClock()
	d := newDeliverer(t, st, srv.URL(), clk)
	srv.Stop()
	for deliverOnce(t, d) > 0 {
	}
	rows, err := st.ListEmails(ctx, store.EmailFilter{Status: store.EmailQueued})
	require.NoError(t, err)
	require.Len(t, rows, n)
	require.Equal(t, "temporary", rows[0].AttemptLog[0].Outcome)
	require.Contains(t, rows[0].AttemptLog[0].Error, "connect")

	// Down for a while: two more rounds fail.
	clk.Add(time.Minute)
	for deliverOnce(t, d) > 0 {
	}
	srv.Restart()
	clk.Add(4 * time.Minute)
	for deliverOnce(t, d) > 0 {
	}
	msgs := srv.WaitFor(n, 5*time.Second)
	require.Len(t, msgs, n)
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.MessageID] = true
	}
	require.Len(t, ids, n, "every message once")
	counts, err := st.EmailCounts(ctx)
	require.NoError(t, err)
	require.Equal(t, map[string]int{"queued": 0, "sending": 0, "sent": n, "failed": 0}, counts)
}

func TestTwoDeliverersNeverSendTwice(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	srv := mailtest.Start(t)
	const n = 200
	for i := range n {
		queue(t, st, fmt.Sprintf("pair/%d", i), fmt.Sprintf("p%d@example.org", i))
	}
	clk := newClock()
	var wg sync.WaitGroup
	attempted := make([]int, 2)
	for w := range 2 {
		d := newDeliverer(t, st, srv.URL(), clk)
		wg.Go(func() {
			for {
				k, err := d.DeliverOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if k == 0 {
					return
				}
				attempted[w] += k
			}
		})
	}
	wg.Wait()
	require.Equal(t, n, attempted[0]+attempted[1], "each row claimed once")
	msgs := srv.WaitFor(n, 5*time.Second)
	require.Len(t, msgs, n)
	seen := map[string]bool{}
	for _, m := range msgs {
		require.False(t, seen[m.MessageID], "sent twice: %s", m.MessageID)
		seen[m.MessageID] = true
	}
	for i := range n {
		require.True(t, seen["<"+mail.MessageID(fmt.Sprintf("pair/%d", i))+">"])
	}
}

func TestCaptureModeWritesEML(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	dir := filepath.Join(t.TempDir(), "outbox")
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, CaptureDir: dir, From: "bienal@cepal.example", Logger: quiet})
	require.NoError(t, err)
	id := queue(t, st, "task/5", "ana@cl.example")
	require.Equal(t, 1, deliverOnce(t, d))

	raw, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d-task.eml", id)))
	require.NoError(t, err)
	msg := mailtest.Message{Raw: raw}
	parts, err := msg.Parts()
	require.NoError(t, err)
	require.Equal(t, "Hola\n", parts.Text)
	require.Contains(t, string(raw), "Message-ID: <"+mail.MessageID("task/5")+">")
	e, err := st.GetEmail(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, store.EmailSent, e.Status)
}

func TestCalendarAttachmentArrivesAsMultipart(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	srv := mailtest.Start(t)
	d := newDeliverer(t, st, srv.URL(), newClock())
	due := time.Date(2017, 6, 30, 0, 0, 0, 0, time.UTC)
	ics := mail.ICS(mail.Event{UID: "task/2017-2018/mid/A1/CL@bienal", Summary: "Informe A1", Due: due, Stamp: due})
	_, err := st.QueueEmail(context.Background(), store.Email{
		DedupKey: "task/6", Recipient: "ana@cl.example", Language: "es", Kind: "task",
		Subject: "Informe de ejecución: vence el 30 de junio", Text: "Hola Ana\n", HTML: "<p>Hola Ana</p>",
		Attachments: []store.Attachment{{Name: "informe.ics", ContentType: "text/calendar; charset=utf-8", Content: ics}},
	})
	require.NoError(t, err)
	require.Equal(t, 1, deliverOnce(t, d))

	m := srv.WaitFor(1, 5*time.Second)[0]
	require.Equal(t, "Informe de ejecución: vence el 30 de junio", m.Subject)
	require.Equal(t, "es", m.Header.Get("Content-Language"))
	parts, err := m.Parts()
	require.NoError(t, err)
	require.Equal(t, "multipart/mixed", parts.ContentType)
	require.Equal(t, "Hola Ana\n", parts.Text)
	require.Equal(t, "<p>Hola Ana</p>", parts.HTML)
	require.Len(t, parts.Attachments, 1)
	a := parts.Attachments[0]
	require.Equal(t, "informe.ics", a.Name)
	require.Equal(t, "text/calendar", a.MediaType)
	require.Equal(t, "PUBLISH", a.Params["method"])
	require.Equal(t, string(ics), string(a.Content))
	require.True(t, strings.Contains(string(m.Raw), "multipart/alternative"))
}

func TestTemporaryFailuresStopAfterMaxAge(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	srv := mailtest.Start(t)
	clk := newClock()
	d := newDeliverer(t, st, srv.URL(), clk)
	srv.FailNext(1000, 421, "4.4.2", "overloaded")
	id := queue(t, st, "task/7", "ana@cl.example")
	for range 60 {
		deliverOnce(t, d)
		clk.Add(time.Hour)
	}
	e, err := st.GetEmail(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, store.EmailFailed, e.Status)
	require.Contains(t, e.LastError, "given up 48h0m0s after it was queued")
	// 1+2+4+...+32 min, then hourly up to 48 h: about 50 attempts, not 60.
	require.Less(t, len(e.AttemptLog), 52)
	require.Greater(t, len(e.AttemptLog), 45)
}

func TestRunSendsANewRowAtOnce(t *testing.T) {
	t.Parallel()
	st, _ := storetest.New(t)
	srv := mailtest.Start(t)
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: srv.URL(), From: "bienal@cepal.example",
		Logger: quiet, PollInterval: time.Hour})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	time.Sleep(200 * time.Millisecond) // let it listen
	start := time.Now()
	queue(t, st, "task/8", "ana@cl.example")
	srv.WaitFor(1, 2*time.Second)
	require.Less(t, time.Since(start), time.Second)
	cancel()
	require.NoError(t, <-done)
}

func TestNewDelivererRefusesBadOptions(t *testing.T) {
	t.Parallel()
	st := store.New(nil)
	for _, tc := range []struct{ url, from, want string }{
		{"", "a@b.example", "set SMTP_URL"},
		{"http://mail.example", "a@b.example", "SMTP_URL \"http://mail.example\": scheme must be smtp or smtps"},
		{"smtp://:25", "a@b.example", "no host"},
		{"smtp://mail.example:99999", "a@b.example", "bad port"},
		{"smtp://u:secret@mail.example", "", "MAIL_FROM is empty"},
		{"smtp://u:secret@mail.example", "not an address", "MAIL_FROM"},
	} {
		_, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: tc.url, From: tc.from})
		require.ErrorContains(t, err, tc.want, tc.url)
		require.NotContains(t, err.Error(), "secret")
	}
	for _, u := range []string{"smtp://u:p@mail.example:587", "smtps://mail.example", "smtp://127.0.0.1:2525"} {
		_, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: u, From: "Bienal <a@b.example>"})
		require.NoError(t, err, u)
	}
}
