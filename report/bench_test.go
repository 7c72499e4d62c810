package report_test

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
)

// BenchmarkLoadAndHTML loads and renders a cycle of 1,000 activities with
// three countries each (3,000 tasks). Run with -bench LoadAndHTML.
func BenchmarkLoadAndHTML(b *testing.B) {
	ctx := context.Background()
	s, pool := storetest.New(b)
	reporttest.SeedLarge(b, pool, 1000)
	b.ResetTimer()
	for b.Loop() {
		d, err := s.LoadReportData(ctx, "2019-2020", "final")
		require.NoError(b, err)
		r := report.Build(d)
		require.Equal(b, 3000, r.Summary.AllTasks.Tasks)
		require.NoError(b, report.Write(ctx, io.Discard, r, "es", "html"))
	}
}
