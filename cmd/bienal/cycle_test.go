package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store/storetest"
)

// TestCycleOpenRefusesDates runs `bienal cycle open` in process against a
// real database with a programme to open cycles in: a due date passed, or
// years ahead, or a closing date out of step with it, is refused naming the
// flag, before Postgres or Temporal is asked anything, and nothing is stored.
func TestCycleOpenRefusesDates(t *testing.T) {
	ctx := context.Background()
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t), TemporalAddress: "127.0.0.1:1"}, logger: slog.New(slog.DiscardHandler)}
	t.Cleanup(a.close)
	_, err := a.store(ctx)
	require.NoError(t, err)
	_, err = a.pool.Exec(ctx, `INSERT INTO programme (biennium, title) VALUES ('2025-2026', 'Programme')`)
	require.NoError(t, err)

	today := time.Now().UTC()
	day := func(years, days int) string { return today.AddDate(years, 0, days).Format(time.DateOnly) }
	refused := []struct{ name, due, closes, want string }{
		{"due yesterday", day(0, -1), "", "--due " + day(0, -1) + " has already passed"},
		{"due in year 9999", "9999-12-31", "", "--due 9999-12-31 is outside the years 1900 to 2200"},
		{"due more than 5 years ahead", day(5, 1), "", "--due " + day(5, 1) + " is more than 5 years ahead"},
		{"closes before due", day(0, 10), day(0, 9), "--closes " + day(0, 9) + " is before the due date"},
		{"closes over a year after due", day(0, 10), day(1, 11), "--closes " + day(1, 11) + " is more than 1 year after the due date"},
		{"closes in year 10000", day(0, 10), "10000-01-31", `--closes "10000-01-31": want a day as YYYY-MM-DD`},
		{"due year 0000", "0000-01-01", "", "--due 0000-01-01 is outside the years"},
	}
	for _, c := range refused {
		err := (&cycleOpenCmd{Biennium: "2025-2026", Name: "midterm", Due: c.due, Closes: c.closes}).Run(ctx, a)
		require.ErrorContains(t, err, c.want, c.name)
	}
	var n int
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM reporting_cycle`).Scan(&n))
	require.Zero(t, n, "a refused cycle is not stored")
	require.Nil(t, a.tc, "nor is Temporal dialled")

	err = (&cycleOpenCmd{Biennium: "2025-2026", Name: "Mid Term", Due: day(0, 1)}).Run(ctx, a)
	require.ErrorContains(t, err, `--name "Mid Term": use 1 to 32 lowercase letters`)
	err = (&cycleOpenCmd{Biennium: "2031-2032", Name: "midterm", Due: day(0, 1)}).Run(ctx, a)
	require.ErrorContains(t, err, `--due `+day(0, 1)+` is outside 2031-01-01`, "a cycle of a biennium not begun")
}
