package operations_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store/storetest"
)

// now is the tests' clock: the small programme's cycle "mid" is open.
var now = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

// fakeTemporal stands in for the Temporal client: it records the workflows
// started and, like the server with its ID policy, refuses a second start
// of the same workflow ID. The real server runs in the end-to-end tests.
type fakeTemporal struct {
	mu      sync.Mutex
	running map[string]bool
	started []string
	// startErr, when set, is what every start gets: a server away.
	startErr error
}

func (f *fakeTemporal) ExecuteWorkflow(_ context.Context, o client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startErr != nil {
		return nil, f.startErr
	}
	if f.running[o.ID] {
		return nil, serviceerror.NewWorkflowExecutionAlreadyStarted("workflow already started", "", "")
	}
	if f.running == nil {
		f.running = map[string]bool{}
	}
	f.running[o.ID] = true
	f.started = append(f.started, o.ID)
	return nil, nil
}

func (f *fakeTemporal) UpdateWorkflow(context.Context, client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return nil, errors.New("fakeTemporal: no updates in these tests")
}

func (f *fakeTemporal) starts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.started...)
}

func (f *fakeTemporal) away(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.startErr = err
}

// service builds the operations over a database of its own holding the
// small programme, with the fake Temporal and the tests' clock.
func service(t *testing.T) (*operations.Service, *pgxpool.Pool, *fakeTemporal) {
	t.Helper()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	tc := &fakeTemporal{}
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
