package operations_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// A call is opened once: its closing day is checked as the portal and the
// command line both need it, every focal point gets one invitation whose
// link works until the closing day ends, the same call opened again mails
// no one, and another call while it is open is refused.
func TestOpenCall(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	ctx := context.Background()
	refused := []struct {
		name string
		req  operations.CallRequest
		want map[string]string
	}{
		{"no closing day", operations.CallRequest{Biennium: "2017-2018", By: "ana@example.org"},
			map[string]string{"closes": cooperation.ErrRequired}},
		{"closed yesterday", operations.CallRequest{Biennium: "2017-2018", Closes: "2026-03-04", By: "ana@example.org"},
			map[string]string{"closes": cooperation.ErrPast}},
		{"over a year ahead", operations.CallRequest{Biennium: "2017-2018", Closes: "2027-03-06", By: "ana@example.org"},
			map[string]string{"closes": cooperation.ErrRange}},
		{"year 9999", operations.CallRequest{Biennium: "2017-2018", Closes: "9999-12-31", By: "ana@example.org"},
			map[string]string{"closes": cooperation.ErrRange}},
		{"not a day", operations.CallRequest{Biennium: "2017-2018", Closes: "2026-04-31", By: "ana@example.org"},
			map[string]string{"closes": cooperation.ErrDate}},
		{"bad biennium, no one", operations.CallRequest{Biennium: "2017", Closes: "2026-04-30"},
			map[string]string{"biennium": cooperation.ErrChoice, "by": cooperation.ErrRequired}},
		{"no such programme", operations.CallRequest{Biennium: "2099-2100", Closes: "2026-04-30", By: "ana@example.org"},
			map[string]string{"biennium": "err_no_programme"}},
	}
	for _, c := range refused {
		_, err := ops.OpenCall(ctx, c.req)
		require.Equal(t, c.want, fields(t, err), c.name)
	}
	require.Zero(t, count(t, pool, "call_for_proposals")+count(t, pool, "email")+count(t, pool, "link"), "a refused call writes nothing")

	c, err := ops.OpenCall(ctx, operations.CallRequest{Biennium: "2017-2018", Closes: "2026-04-30", By: "ana@example.org"})
	require.NoError(t, err)
	require.False(t, c.Existing)
	require.Equal(t, 2, c.Invited)
	require.Equal(t, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), c.ClosesAt.UTC(), "the links work until the closing day ends")
	require.Equal(t, 2, count(t, pool, "email WHERE kind = 'call_for_proposals'"))
	require.Equal(t, 2, count(t, pool, "link WHERE purpose = 'propose' AND subject = 'call/2017-2018' AND expires_at = $1", c.ClosesAt))
	claimed, err := ops.Store.ClaimEmails(ctx, time.Now().Add(time.Second), 10, time.Minute)
	require.NoError(t, err)
	for _, e := range claimed {
		text := e.Fill(e.Text)
		require.Contains(t, text, "https://portal.example.org/l/", "one slash after the base address")
		if e.Recipient == "fp.mx@example.org" {
			require.Contains(t, e.Subject, "Chamada de propostas", "in the focal point's language")
		}
	}

	again, err := ops.OpenCall(ctx, operations.CallRequest{Biennium: "2017-2018", Closes: "2026-04-30", By: "ana@example.org"})
	require.NoError(t, err)
	require.True(t, again.Existing, "the same call again is the call open")
	require.Equal(t, c.ID, again.ID)
	_, err = ops.OpenCall(ctx, operations.CallRequest{Biennium: "2017-2018", Closes: "2026-05-31", By: "ana@example.org"})
	require.Equal(t, "call_open", refusal(err))
	require.ErrorContains(t, err, "open until 2026-04-30")
	require.Equal(t, 1, count(t, pool, "call_for_proposals"))
	require.Equal(t, 2, count(t, pool, "email"), "nobody invited twice")
	require.Equal(t, 1, count(t, pool, "audit_log WHERE action = 'call_opened'"))

	// Once the call has closed, the next one opens.
	ops.Now = func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }
	next, err := ops.OpenCall(ctx, operations.CallRequest{Biennium: "2017-2018", Closes: "2026-05-01", By: "ana@example.org"})
	require.NoError(t, err, "closing today is fine: proposals are taken until the day ends")
	require.False(t, next.Existing)
	require.Equal(t, 4, count(t, pool, "email"))
}

// A double click, or the portal and the command line at once, open one
// call: each request is answered with it, and each focal point is mailed once.
func TestOpenCallAtOnceOpensOne(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	const n = 6
	var wg sync.WaitGroup
	results := make([]operations.OpenedCall, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			results[i], errs[i] = ops.OpenCall(context.Background(),
				operations.CallRequest{Biennium: "2017-2018", Closes: "2026-04-30", By: "ana@example.org"})
		})
	}
	wg.Wait()
	opened := 0
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, results[0].ID, results[i].ID)
		if !results[i].Existing {
			opened++
		}
	}
	require.Equal(t, 1, opened)
	require.Equal(t, 1, count(t, pool, "call_for_proposals"))
	require.Equal(t, 2, count(t, pool, "email"))
}
