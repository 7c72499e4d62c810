package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func linkStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	s, pool := storetest.New(t)
	_, err := pool.Exec(context.Background(), `INSERT INTO person (email, name, language) VALUES
		('ana@example.org', 'Ana', 'es'), ('bob@example.org', 'Bob', 'en')`)
	require.NoError(t, err)
	return s, pool
}

var linkExpiry = time.Now().Add(24 * time.Hour)

func queueLinked(t *testing.T, s *store.Store, key, recipient, text string) int64 {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, s.QueueNewEmail(ctx, store.Email{DedupKey: key, Recipient: recipient, Language: "es",
		Kind: "task_invitation", Subject: "Informe", Text: text}))
	rows, err := s.ListEmails(ctx, store.EmailFilter{Recipient: recipient, Limit: 1})
	require.NoError(t, err)
	return rows[0].ID
}

func claimOne(t *testing.T, s *store.Store, now time.Time) store.ClaimedEmail {
	t.Helper()
	c, err := s.ClaimEmails(context.Background(), now, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, c, 1)
	return c[0]
}

func tokenIn(c store.ClaimedEmail) string {
	return strings.TrimPrefix(c.Fill(c.Text), "https://bienal.example.org/l/")
}

// A token that reaches a message by another road (a page quoting the link
// its visitor came by) is not stored: the message carries a fresh one of
// the same link, and the visitor's keeps working.
func TestQueueEmailStoresNoLiveToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := linkStore(t)
	visitor, err := s.CreateLink(ctx, store.PurposePropose, "call/2017-2018", "ana@example.org", linkExpiry)
	require.NoError(t, err)
	id := queueLinked(t, s, "receipt/1", "ana@example.org", "https://bienal.example.org/l/"+visitor)
	e, err := s.GetEmail(ctx, id)
	require.NoError(t, err)
	require.NotContains(t, e.Text, visitor)
	require.Contains(t, e.Text, "~link-")

	c := claimOne(t, s, time.Now().Add(time.Second))
	sent := tokenIn(c)
	require.NotEqual(t, visitor, sent)
	now := time.Now()
	for _, token := range []string{visitor, sent} {
		l, err := s.LookupLink(ctx, token, now)
		require.NoError(t, err)
		require.Equal(t, "call/2017-2018", l.Subject)
	}
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM link WHERE subject = 'call/2017-2018'").Scan(&n))
	require.Equal(t, 2, n)
}

// A worker that dies mid-send leaves the message to another after its
// lease: the resend carries the same link as the copy that may have arrived.
func TestReclaimedMessageCarriesTheSameLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := linkStore(t)
	ref, err := s.CreateMailLink(ctx, store.PurposeReport, "task/a", "ana@example.org", linkExpiry)
	require.NoError(t, err)
	queueLinked(t, s, "invitation/a", "ana@example.org", "https://bienal.example.org/l/"+ref)
	now := time.Now().Add(time.Second)
	first := claimOne(t, s, now)
	again := claimOne(t, s, now.Add(2*time.Minute))
	require.True(t, again.Reclaimed)
	require.Equal(t, tokenIn(first), tokenIn(again))
	_, err = s.LookupLink(ctx, tokenIn(again), time.Now())
	require.NoError(t, err)
}

// A message not accepted, that no earlier send may have delivered, forgets
// its token: nobody holds it, and the next send mints another.
func TestRefusedSendForgetsItsToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := linkStore(t)
	ref, err := s.CreateMailLink(ctx, store.PurposeReport, "task/a", "ana@example.org", linkExpiry)
	require.NoError(t, err)
	id := queueLinked(t, s, "invitation/a", "ana@example.org", "https://bienal.example.org/l/"+ref)
	now := time.Now().Add(time.Second)
	first := tokenIn(claimOne(t, s, now))
	require.NoError(t, s.MarkEmailRetry(ctx, id, store.EmailAttempt{At: now, Outcome: store.AttemptTemporary, SMTPCode: 451}, now, false))
	_, err = s.LookupLink(ctx, first, time.Now())
	require.ErrorIs(t, err, store.ErrLinkInvalid)
	var held *string
	require.NoError(t, pool.QueryRow(ctx, "SELECT link_tokens::text FROM email WHERE id = $1", id).Scan(&held))
	require.Nil(t, held)

	second := tokenIn(claimOne(t, s, now.Add(time.Second)))
	require.NotEqual(t, first, second)
	_, err = s.LookupLink(ctx, second, time.Now())
	require.NoError(t, err)
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM link").Scan(&n))
	require.Equal(t, 1, n, "the same link row, with its new token")
}

// A placeholder copied into another person's message (a comment quoting
// one) gives that person nothing: only links of the message's recipient are
// filled in.
func TestPlaceholderOfSomeoneElsesLinkStaysEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := linkStore(t)
	ref, err := s.CreateMailLink(ctx, store.PurposeReport, "task/a", "ana@example.org", linkExpiry)
	require.NoError(t, err)
	queueLinked(t, s, "comment/bob", "bob@example.org", "https://bienal.example.org/l/"+ref)
	c := claimOne(t, s, time.Now().Add(time.Second))
	require.Equal(t, "https://bienal.example.org/l/"+ref, c.Fill(c.Text))
	var minted int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM link WHERE token_hash IS NOT NULL").Scan(&minted))
	require.Zero(t, minted)
}
