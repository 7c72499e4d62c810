package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store/storetest"
)

// TestTaskSubmitLanguage runs `bienal task submit` with a report file that
// says its language: an unknown one is refused with its line and stores
// nothing; a known one is stored with the version.
func TestTaskSubmitLanguage(t *testing.T) {
	ctx := context.Background()
	tc := &signalsOnly{}
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t)}, logger: slog.New(slog.DiscardHandler), tc: tc}
	t.Cleanup(a.close)
	_, err := a.store(ctx)
	require.NoError(t, err)
	storetest.SmallProgramme(t, a.pool)
	_, err = a.pool.Exec(ctx, `UPDATE reporting_cycle SET due_on = current_date + 20, closes_on = current_date + 30`)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "report.yaml")
	submit := func(src string) (string, error) {
		require.NoError(t, os.WriteFile(file, []byte(src), 0o600))
		return printed(t, func() error { return (&taskSubmitCmd{Task: "2017-2018/mid/A1/CL", File: file}).Run(ctx, a) })
	}

	_, err = submit(reportFile + "language: portugues\n")
	require.ErrorContains(t, err, `report.yaml: nothing submitted:`)
	require.ErrorContains(t, err, `line 4: language: unknown language "portugues" (expected es, en, pt or fr)`)
	var n int
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM submission`).Scan(&n))
	require.Zero(t, n, "nothing stored")
	require.Empty(t, tc.signals)

	_, err = submit(reportFile + "language: pt\n")
	require.NoError(t, err)
	var lang string
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT language FROM submission`).Scan(&lang))
	require.Equal(t, "pt", lang)
}
