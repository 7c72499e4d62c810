package worker_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/worker"
)

// Run refuses before it polls when it has nowhere to deliver e-mail: it
// touches neither Temporal nor Postgres (both nil here), where it used to
// start, poll and name SMTP_URL only once stopped.
func TestRunRefusesWithoutSMTPBeforeItStarts(t *testing.T) {
	t.Parallel()
	err := worker.Run(context.Background(), worker.Options{Logger: slog.New(slog.DiscardHandler)})
	require.ErrorContains(t, err, "SMTP_URL: not set")
	require.NoError(t, worker.CheckMail(worker.Options{CaptureDir: t.TempDir()}), "bienal dev's capture directory will do")
}
