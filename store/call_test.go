package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestOpenCall(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 2, 'Goal two');
		INSERT INTO country VALUES ('CL', 'Chile'), ('MX', 'Mexico');
		INSERT INTO person (email, name, language, country) VALUES ('fp@example.org', 'Focal', 'es', 'CL');
		INSERT INTO focal_point VALUES ('2017-2018', 'CL', 'fp@example.org'), ('2017-2018', 'MX', 'fp@example.org');`)
	require.NoError(t, err)
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	compose := func(c store.Call, to store.Recipient, token string) (store.Email, error) {
		return store.Email{Recipient: to.Email, Language: to.Language, Kind: "call_for_proposals", Subject: "Call", Text: token}, nil
	}
	_, err = s.OpenCall(ctx, "2017-2018", now.Add(-time.Hour), "ana@example.org", now, compose)
	require.ErrorIs(t, err, store.ErrCallClosed)
	_, err = s.OpenCall(ctx, "2099-2100", now.Add(time.Hour), "ana@example.org", now, compose)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.OpenCall(ctx, "2017-2018", now.Add(time.Hour), "ana@example.org", now, func(store.Call, store.Recipient, string) (store.Email, error) {
		return store.Email{}, errors.New("template broken")
	})
	require.Error(t, err)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM call_for_proposals) + (SELECT count(*) FROM email) + (SELECT count(*) FROM link)`).Scan(&n))
	require.Zero(t, n, "a refused call writes nothing")

	c, err := s.OpenCall(ctx, "2017-2018", now.AddDate(0, 1, 0), "ana@example.org", now, compose)
	require.NoError(t, err)
	require.Equal(t, 1, c.Invited, "a focal point of two countries gets one invitation")
	var stored string
	require.NoError(t, pool.QueryRow(ctx, `SELECT body_text FROM email`).Scan(&stored))
	_, err = s.LookupLink(ctx, stored, now)
	require.ErrorIs(t, err, store.ErrLinkInvalid, "the stored message holds no token")
	claimed, err := s.ClaimEmails(ctx, time.Now().Add(time.Second), 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	token := claimed[0].Fill(claimed[0].Text)
	l, err := s.LookupLink(ctx, token, now)
	require.NoError(t, err)
	require.Equal(t, store.PurposePropose, l.Purpose)
	require.Equal(t, "call/2017-2018", l.Subject)
	require.True(t, l.ExpiresAt.Equal(now.AddDate(0, 1, 0)))

	// While it is open, no second call opens: the open one is returned.
	open, err := s.OpenCall(ctx, "2017-2018", now.AddDate(0, 2, 0), "ana@example.org", now, compose)
	require.ErrorIs(t, err, store.ErrCallOpen)
	require.Equal(t, c.ID, open.ID)
	require.True(t, open.ClosesAt.Equal(now.AddDate(0, 1, 0)))
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM call_for_proposals) + (SELECT count(*) FROM email)`).Scan(&n))
	require.Equal(t, 2, n, "the open call and its one invitation")
	later := now.AddDate(0, 1, 0)
	_, err = s.OpenCall(ctx, "2017-2018", later.AddDate(0, 1, 0), "ana@example.org", later, compose)
	require.NoError(t, err, "once it has closed, the next one opens")

	code, err := s.NextProposalCode(ctx, "2017-2018", 2)
	require.NoError(t, err)
	require.Equal(t, "G2P1", code)
	country, err := s.FocalPointCountry(ctx, "2017-2018", "fp@example.org")
	require.NoError(t, err)
	require.Equal(t, "CL", country)
}
