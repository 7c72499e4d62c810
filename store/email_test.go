package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// A message written by an overlapping attempt rolls back the link made for
// the second copy: no link outlives the message meant to carry it.
func TestQueueNewEmailRollsBackTheSecondCopysLink(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ('ana@example.org', 'Ana', 'es')`)
	require.NoError(t, err)
	msg := store.Email{DedupKey: "invitation/x", Recipient: "ana@example.org", Language: "es", Kind: "task_invitation",
		Subject: "s", Text: "t"}
	send := func() error {
		return s.InTx(ctx, func(tx *store.Store) error {
			if _, err := tx.CreateLink(ctx, store.PurposeReport, "task/x", "ana@example.org", time.Now().Add(time.Hour)); err != nil {
				return err
			}
			return tx.QueueNewEmail(ctx, msg)
		})
	}
	require.NoError(t, send())
	require.ErrorIs(t, send(), store.ErrEmailWritten)
	var links, emails int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM link), (SELECT count(*) FROM email)`).Scan(&links, &emails))
	require.Equal(t, 1, links)
	require.Equal(t, 1, emails)
}
