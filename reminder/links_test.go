package reminder_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// A stored digest holds its links' placeholders; the tokens exist only once
// it is claimed for sending. sent gives the bodies as they are sent, by
// claiming every due message the way delivery does and filling in its
// tokens; a message claimed before is served from what its claim gave.
var sentBodies sync.Map // *store.Store -> *sentCache

type sentCache struct {
	mu   sync.Mutex
	byID map[int64][2]string
}

func sent(t *testing.T, s *store.Store, pool *pgxpool.Pool, query string, args ...any) (text, html string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	require.NoError(t, pool.QueryRow(ctx, query, args...).Scan(&id))
	v, _ := sentBodies.LoadOrStore(s, &sentCache{byID: map[int64][2]string{}})
	c := v.(*sentCache)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byID[id]; !ok {
		claimed, err := s.ClaimEmails(ctx, time.Now().Add(time.Second), 100000, time.Hour)
		require.NoError(t, err)
		for _, e := range claimed {
			c.byID[e.ID] = [2]string{e.Fill(e.Text), e.Fill(e.HTML)}
		}
	}
	b, ok := c.byID[id]
	require.True(t, ok, "e-mail %d was claimed by nobody", id)
	return b[0], b[1]
}
