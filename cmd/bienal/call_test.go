package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCallOpen runs `bienal call open` in process against a real
// database: the closing day is checked as the portal checks it, naming the
// flag; the call mails every focal point once, however often it is opened,
// and a second call while it is open is refused. Temporal is not needed.
func TestCallOpen(t *testing.T) {
	ctx := context.Background()
	a := programmeApp(t, nil)
	open := func(closes string) (string, error) {
		return printed(t, func() error {
			return (&callOpenCmd{Biennium: "2017-2018", Closes: closes, By: "secretariat"}).Run(ctx, a)
		})
	}
	day := func(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly) }
	emails := func() int {
		var n int
		require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM email WHERE kind = 'call_for_proposals'`).Scan(&n))
		return n
	}

	_, err := open(day(-1))
	require.ErrorContains(t, err, "--closes "+day(-1)+" has already passed")
	_, err = open(day(400))
	require.ErrorContains(t, err, "--closes "+day(400)+" is more than 1 year ahead")
	_, err = open("2026-02-30")
	require.ErrorContains(t, err, `--closes "2026-02-30": want a day as YYYY-MM-DD`)
	require.Zero(t, emails())

	out, err := open(day(30))
	require.NoError(t, err)
	require.Contains(t, out, "call for proposals 2017-2018 open until "+day(30)+": 2 focal points invited")
	out, err = open(day(30))
	require.NoError(t, err)
	require.Contains(t, out, "is open already until "+day(30)+": nobody was invited again")
	_, err = open(day(60))
	require.ErrorContains(t, err, "refused: call open (the call for proposals 2017-2018 is open until "+day(30)+"); nothing was changed")
	require.Equal(t, 2, emails())
	require.Nil(t, a.tc, "no Temporal is dialled")
}
