package operations_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/operations/operationstest"
	"github.com/bienal/bienal/store/storetest"
)

// now is the tests' clock: the small programme's cycle "mid" is open.
var now = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

// service builds the operations over a database of its own holding the
// small programme, with a Temporal that only starts workflows and the
// tests' clock.
func service(t *testing.T) (*operations.Service, *pgxpool.Pool, *operationstest.Temporal) {
	t.Helper()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	tc := &operationstest.Temporal{}
	return &operations.Service{Store: s, Temporal: tc, Logger: slog.New(slog.DiscardHandler),
		BaseURL: "https://portal.example.org/", Now: func() time.Time { return now }}, pool, tc
}

// count runs SELECT count(*) FROM <from>.
func count(t *testing.T, pool *pgxpool.Pool, from string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+from, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fields lists the fields an Invalid names, each with its key.
func fields(t *testing.T, err error) map[string]string {
	t.Helper()
	var inv *operations.Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("want *operations.Invalid, got %T: %v", err, err)
	}
	out := map[string]string{}
	for _, f := range inv.Fields {
		out[f.Field] = f.Key
	}
	return out
}

// refusal is the reason of a Refused, or "" for any other error.
func refusal(err error) string {
	var ref *operations.Refused
	if errors.As(err, &ref) {
		return ref.Reason
	}
	return ""
}
