package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func proposalStore(t *testing.T) (*store.Store, func(string) int) {
	t.Helper()
	s, pool := storetest.New(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme')`,
		`INSERT INTO goal VALUES ('2017-2018', 1, 'Goal one')`,
		`INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line one')`,
		`INSERT INTO country VALUES ('CL', 'Chile'), ('MX', 'Mexico')`,
	} {
		_, err := pool.Exec(ctx, q)
		require.NoError(t, err)
	}
	count := func(table string) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n))
		return n
	}
	return s, count
}

func proposal(code string, participants ...string) *programme.ActivityProposal {
	return &programme.ActivityProposal{Biennium: "2017-2018", Activity: programme.Activity{
		Code: code, Goal: 1, LineOfAction: 1, Lead: "CL", Participants: participants, Title: "Open data",
		Description: "Shared portal", StartsOn: time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC),
		EndsOn: time.Date(2018, 6, 30, 0, 0, 0, 0, time.UTC), Status: cooperation.ActivityProposed}}
}

// A country listed twice, or the lead among the participants, is a field
// error naming the participant, not a unique violation reported as a code
// already taken.
func TestProposeRefusesACountryListedTwice(t *testing.T) {
	t.Parallel()
	s, count := proposalStore(t)
	ctx := context.Background()
	err := s.ProposeActivity(ctx, "2017-2018", proposal("G1P1", "MX", "MX"), "ana@example.org")
	var errs programme.Errors
	require.ErrorAs(t, err, &errs)
	require.Len(t, errs, 1)
	require.Equal(t, "participants[1]", errs[0].Field)
	err = s.ProposeActivity(ctx, "2017-2018", proposal("G1P1", "CL"), "ana@example.org")
	require.ErrorAs(t, err, &errs)
	require.Equal(t, "participants[0]", errs[0].Field)
	require.Contains(t, errs[0].Message, "listed twice (or is the lead)")
	require.Zero(t, count("activity"))
	require.NoError(t, s.ProposeActivity(ctx, "2017-2018", proposal("G1P1", "MX"), "ana@example.org"))
}

// Ten transactions choosing a code under one goal at once each get their
// own: the advisory lock makes them choose in turn.
func TestNextProposalCodeUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, count := proposalStore(t)
	ctx := context.Background()
	const n = 10
	codes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.InTx(ctx, func(tx *store.Store) error {
				code, err := tx.NextProposalCode(ctx, "2017-2018", 1)
				if err != nil {
					return err
				}
				codes[i] = code
				return tx.ProposeActivity(ctx, "2017-2018", proposal(code, "MX"), "ana@example.org")
			})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "proposal %d", i)
	}
	require.ElementsMatch(t, []string{"G1P1", "G1P2", "G1P3", "G1P4", "G1P5", "G1P6", "G1P7", "G1P8", "G1P9", "G1P10"}, codes)
	require.Equal(t, n, count("activity"))
}
