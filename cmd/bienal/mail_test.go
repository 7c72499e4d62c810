package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// `bienal mail resend` writes a new copy of an invitation with a fresh
// link, audited, and refuses a message that is no invitation, writing
// nothing.
func TestMailResend(t *testing.T) {
	ctx := context.Background()
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t)}, logger: slog.New(slog.DiscardHandler)}
	t.Cleanup(a.close)
	s, err := a.store(ctx)
	require.NoError(t, err)
	_, err = a.pool.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ('fp@example.org', 'P', 'en')`)
	require.NoError(t, err)
	queue := func(key, kind string) int64 {
		ref, err := s.CreateMailLink(ctx, store.PurposePropose, "call/2017-2018", "fp@example.org", time.Now().Add(24*time.Hour))
		require.NoError(t, err)
		_, err = s.QueueEmail(ctx, store.Email{DedupKey: key, Recipient: "fp@example.org", Language: "en", Kind: kind,
			Subject: "Call", Text: "Propose here: https://bienal.example/l/" + ref})
		require.NoError(t, err)
		var id int64
		require.NoError(t, a.pool.QueryRow(ctx, `SELECT id FROM email WHERE dedup_key = $1`, key).Scan(&id))
		return id
	}
	count := func(q string) int {
		var n int
		require.NoError(t, a.pool.QueryRow(ctx, q).Scan(&n))
		return n
	}
	call := queue("call/1", "call_for_proposals")
	require.NoError(t, (&mailResendCmd{ID: call, By: "ana@example.org"}).Run(ctx, a))
	require.Equal(t, 2, count(`SELECT count(*) FROM email`))
	require.Equal(t, 2, count(`SELECT count(*) FROM link WHERE subject = 'call/2017-2018' AND revoked_at IS NULL`))
	require.Equal(t, 1, count(`SELECT count(*) FROM audit_log WHERE action = 'email_resent' AND actor = 'ana@example.org'`))

	receipt := queue("receipt/1", "proposal_receipt")
	err = (&mailResendCmd{ID: receipt, By: "ana@example.org"}).Run(ctx, a)
	require.ErrorContains(t, err, "refused: not resendable")
	require.ErrorContains(t, err, "is a proposal_receipt, not an invitation")
	require.Equal(t, 3, count(`SELECT count(*) FROM email`), "nothing written")
	require.ErrorContains(t, (&mailResendCmd{ID: 9999, By: "ana@example.org"}).Run(ctx, a), "e-mail 9999 not found")
}
