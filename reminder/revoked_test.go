package reminder_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// The secretariat revokes Ana's link to one of her tasks (the message went
// to a mailbox others read): the next reminder must not hand her a working
// link to that task again. Her other task is reminded as before.
func TestReminderNeverReissuesARevokedLink(t *testing.T) {
	t.Parallel()
	s, pool, sw := setup(t)
	ctx := context.Background()
	const revoked = "task/2017-2018/final/A1/AR"
	_, err := s.CreateLink(ctx, store.PurposeReport, revoked, "ana@ar.example", utc("2018-08-31T00:00:00Z"))
	require.NoError(t, err)
	_, err = s.RevokeLiveLinks(ctx, revoked, "ana@ar.example", "sec@example.org", "the invitation went to a shared mailbox")
	require.NoError(t, err)

	// Seven days before the due date, 10:00 in Buenos Aires: both her tasks are due a reminder.
	res, err := sw.Sweep(ctx, utc("2018-05-24T13:00:00Z"))
	require.NoError(t, err)
	require.Positive(t, res.Digests)
	var live int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM link WHERE subject = $1 AND recipient = 'ana@ar.example'
		AND revoked_at IS NULL`, revoked).Scan(&live))
	require.Zero(t, live, "no working link to the revoked task comes back")
	text, _ := sent(t, s, pool, `SELECT id FROM email WHERE kind = 'reminder' AND recipient = 'ana@ar.example'`)
	require.Contains(t, text, "Broadband observatory", "her other task is reminded, with its link")
	require.NotContains(t, text, "Regional digital agenda", "the revoked task is left out: she cannot act on it")

	// A later sweep does not bring it back either.
	_, err = sw.Sweep(ctx, utc("2018-05-29T13:00:00Z"))
	require.NoError(t, err)
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM link WHERE subject = $1 AND recipient = 'ana@ar.example'
		AND revoked_at IS NULL`, revoked).Scan(&live))
	require.Zero(t, live)
}

// A link the secretariat sends again after a revocation (a replacement's
// handover, an invitation sent again) is the latest one: reminders then
// give the task a link again.
func TestReminderLinksAgainOnceALinkIsSentAfterTheRevocation(t *testing.T) {
	t.Parallel()
	s, pool, sw := setup(t)
	ctx := context.Background()
	const subject = "task/2017-2018/final/A1/AR"
	_, err := s.CreateLink(ctx, store.PurposeReport, subject, "ana@ar.example", utc("2018-08-31T00:00:00Z"))
	require.NoError(t, err)
	_, err = s.RevokeLiveLinks(ctx, subject, "ana@ar.example", "sec@example.org", "went astray")
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE link SET created_at = created_at - interval '1 minute'`)
	require.NoError(t, err)
	_, err = s.CreateLink(ctx, store.PurposeReport, subject, "ana@ar.example", utc("2018-08-31T00:00:00Z"))
	require.NoError(t, err)

	_, err = sw.Sweep(ctx, utc("2018-05-24T13:00:00Z"))
	require.NoError(t, err)
	text, _ := sent(t, s, pool, `SELECT id FROM email WHERE kind = 'reminder' AND recipient = 'ana@ar.example'`)
	require.Contains(t, text, "Regional digital agenda")
}
