package activities

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/store"
)

// TestOutcomeKeepsRetryability checks what Temporal will see of an
// activity's error: the SDK reads only the outermost error's type.
func TestOutcomeKeepsRetryability(t *testing.T) {
	refused := temporal.NewNonRetryableApplicationError("extension not after the due date", ErrTypeInvalid, nil)
	for _, tc := range []struct {
		name      string
		err       error
		retryable bool
	}{
		{"wrapped refusal", fmt.Errorf("extend task X: %w", refused), false},
		{"twice wrapped refusal", fmt.Errorf("a: %w", fmt.Errorf("b: %w", refused)), false},
		{"not found", fmt.Errorf("get: %w", store.ErrNotFound), false},
		{"task closed", fmt.Errorf("waive: %w", store.ErrTaskClosed), false},
		{"NUL byte", fmt.Errorf("save vote: %w", &pgconn.PgError{Code: "22021"}), false},
		{"too long", fmt.Errorf("save vote: %w", &pgconn.PgError{Code: "22001"}), false},
		{"check", &pgconn.PgError{Code: "23514"}, false},
		{"connection lost", errors.New("connection reset by peer"), true},
		{"serialisation", &pgconn.PgError{Code: "40001"}, true},
		{"unique race", &pgconn.PgError{Code: "23505"}, true},
		{"wrapped retryable", fmt.Errorf("x: %w", temporal.NewApplicationError("busy", "Busy")), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := Outcome(tc.err)
			var appErr *temporal.ApplicationError
			if tc.retryable && !errors.As(out, &appErr) {
				return // a plain error is retried
			}
			appErr, ok := out.(*temporal.ApplicationError) //nolint:errorlint // the outermost error, not one it wraps
			require.True(t, ok, "outermost error is an ApplicationError: %T", out)
			require.Equal(t, !tc.retryable, appErr.NonRetryable())
			require.Contains(t, out.Error(), tc.err.Error()[:5])
		})
	}
	require.NoError(t, Outcome(nil))
}
