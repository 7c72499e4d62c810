package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// TestLinkRevoke runs `bienal link revoke` in process against a real
// database: a revocation that would change nothing, or that says not why,
// is refused and writes nothing; a real one revokes and is audited once.
func TestLinkRevoke(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewDatabase(t)
	a := &app{cfg: config.Config{DatabaseURL: url}, logger: slog.New(slog.DiscardHandler)}
	t.Cleanup(a.close)
	s, err := a.store(ctx)
	require.NoError(t, err)
	for _, p := range []string{"member@example.org", "other@example.org"} {
		_, err := a.pool.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ($1, 'P', 'en')`, p)
		require.NoError(t, err)
	}
	const subject = "activity/2017-2018/G1A4"
	expires := time.Now().Add(24 * time.Hour)
	_, err = s.CreateLink(ctx, store.PurposeVote, subject, "member@example.org", expires)
	require.NoError(t, err)
	_, err = s.CreateLink(ctx, store.PurposeVote, subject, "other@example.org", expires)
	require.NoError(t, err)

	revoke := func(subject, recipient, reason string) error {
		return (&linkRevokeCmd{Subject: subject, Recipient: recipient, By: "secretariat", Reason: reason}).Run(ctx, a)
	}
	live := func() int {
		var n int
		require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM link WHERE revoked_at IS NULL`).Scan(&n))
		return n
	}
	audited := func() int {
		var n int
		require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'links_revoked'`).Scan(&n))
		return n
	}

	refused := []struct{ name, subject, recipient, reason, want string }{
		{"no link to the subject", "activity/2017-2018/G9A9", "", "left office", "no link to activity/2017-2018/G9A9 was ever sent"},
		{"no link for the recipient", subject, "nobody@example.org", "left office", "no link to activity/2017-2018/G1A4 for nobody@example.org"},
		{"empty reason", subject, "", "", "--reason is required"},
		{"blank reason", subject, "", "  \n", "--reason is required"},
		{"NUL in the reason", subject, "", "left\x00office", "--reason holds a control character"},
		{"unknown kind", "vote/2017-2018/G1A4", "", "r", `"vote" is not task, activity or call`},
		{"no kind", "2017-2018/G1A4", "", "r", "is not task, activity or call"},
		{"activity without code", "activity/2017-2018", "", "r", "a activity subject has 2 parts"},
		{"task missing its country", "task/2017-2018/final/G1A1", "", "r", "a task subject has 4 parts"},
		{"bad biennium", "call/2017", "", "r", `biennium "2017"`},
		{"bad cycle", "task/2017-2018/Final!/G1A1/AR", "", "r", `cycle "Final!"`},
		{"bad code", "activity/2017-2018/G1 A4", "", "r", `activity code "G1 A4"`},
		{"bad country", "task/2017-2018/final/G1A1/ar", "", "r", `country "ar"`},
		{"empty", "", "", "r", "is not task, activity or call"},
		{"bad recipient", subject, "Member@Example.org", "r", `--recipient "Member@Example.org" is not an e-mail address`},
		{"bad subject", "vote/2017-2018/G1A4", "", "r", `<subject> "vote/2017-2018/G1A4": "vote" is not task`},
	}
	for _, tc := range refused {
		err := revoke(tc.subject, tc.recipient, tc.reason)
		require.ErrorContains(t, err, tc.want, tc.name)
	}
	require.Equal(t, 2, live(), "nothing was revoked")
	require.Equal(t, 0, audited(), "a refused revocation writes no audit line")

	require.NoError(t, revoke(subject, "member@example.org", "member left office"))
	require.Equal(t, 1, live())
	err = revoke(subject, "member@example.org", "again")
	require.ErrorContains(t, err, "the 1 links to activity/2017-2018/G1A4 for member@example.org are already revoked")
	var ref *operations.Refused
	require.ErrorAs(t, err, &ref)
	require.Equal(t, "no_live_links", ref.Reason)
	require.NoError(t, revoke(subject, "", "activity withdrawn"))
	require.Equal(t, 0, live())
	require.ErrorContains(t, revoke(subject, "", "once more"), "the 2 links to activity/2017-2018/G1A4 are already revoked")
	require.Equal(t, 2, audited(), "one audit line per revocation that revoked something")
	for _, sub := range []string{"task/2017-2018/final/G1A1/AR", "call/2017-2018", "task/2017-2018/mid-term_2/A1.2/UY"} {
		require.ErrorContains(t, revoke(sub, "", "r"), "was ever sent", "a well-formed subject passes the format check: %s", sub)
	}
}
