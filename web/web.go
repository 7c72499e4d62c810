// Package web is the portal: the pages focal points and committee members
// reach from e-mailed links, and the secretariat's pages behind a login. It
// validates every input, stores through store and tells workflows through
// signals; it never changes workflow state any other way.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// Temporal is the part of client.Client the portal uses. A client.Client
// satisfies it; the HTTP tests use a recording fake, and the real server is
// exercised by the end-to-end tests.
type Temporal interface {
	SignalWorkflow(ctx context.Context, workflowID, runID, signalName string, arg any) error
	QueryWorkflow(ctx context.Context, workflowID, runID, queryType string, args ...any) (converter.EncodedValue, error)
	CheckHealth(ctx context.Context, request *client.CheckHealthRequest) (*client.CheckHealthResponse, error)
	// ExecuteWorkflow starts the workflow of a proposal sent through a call
	// and of a cycle opened from the dashboard.
	ExecuteWorkflow(ctx context.Context, options client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error)
	// UpdateWorkflow asks a workflow and waits for its answer (a vote).
	UpdateWorkflow(ctx context.Context, options client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error)
}

// WorkflowHealth lists the workflows that Postgres says should be running
// and that are not.
type WorkflowHealth interface {
	Stopped(ctx context.Context) ([]workflows.Stopped, error)
}

// RateLimit is a token bucket per client address: Burst requests at once,
// refilled at PerMinute.
type RateLimit struct {
	PerMinute float64
	Burst     int
}

// Options are what the portal needs.
type Options struct {
	Store    *store.Store
	Temporal Temporal
	Logger   *slog.Logger
	// BaseURL is the portal's public address; an https one makes cookies Secure.
	BaseURL string
	// Metrics serves GET /metrics (Prometheus text format); nil answers 404.
	Metrics http.Handler
	// Now is the clock, replaceable in tests.
	Now func() time.Time
	// CSRFSecret signs form tokens; when empty, a secret kept in Postgres is
	// used so that every replica agrees.
	CSRFSecret []byte
	// MaxBodyBytes bounds a request body (default 1 MiB: four report fields
	// of 20,000 accented characters, URL-encoded, fit).
	MaxBodyBytes int64
	// SessionTTL is how long a secretariat login lasts (default 12 hours).
	SessionTTL time.Duration
	// LookupLimit bounds token lookups and LoginLimit login attempts, per client address.
	LookupLimit RateLimit
	// SubmitLimit bounds form submissions per client address.
	SubmitLimit RateLimit
	// RequestTimeout bounds the work of one request (default 15 seconds).
	// A request that waits that long for a database connection, the pool
	// being drained, is answered 503 with Retry-After instead of hanging.
	RequestTimeout time.Duration
	// Health lists the workflows that should be running and are not, for
	// the dashboard and /readyz (metrics.WorkflowHealth); nil shows none.
	Health WorkflowHealth
	// Receipt composes the e-mailed receipt of a report
	// (activities.ComposeReceipt); nil sends none.
	Receipt store.ReceiptFunc
	// Evidence says where the bytes of evidence files go and how much a
	// file and a task may hold; the zero value keeps them in Postgres under
	// the default limits. The report form's body limit follows from it.
	Evidence store.EvidenceOptions
}

type server struct {
	store      *store.Store
	temporal   Temporal
	log        *slog.Logger
	baseURL    string
	metrics    http.Handler
	now        func() time.Time
	csrfSecret []byte
	maxBody    int64
	sessionTTL time.Duration
	timeout    time.Duration
	secure     bool
	lookups    *limiter
	submits    *limiter
	receipt    store.ReceiptFunc
	evidence   store.EvidenceOptions
	health     WorkflowHealth
	ops        *operations.Service
	pages      *pages
}

// New builds the portal's handler.
func New(o Options) (http.Handler, error) {
	if o.Store == nil || o.Temporal == nil {
		return nil, errors.New("web: Store and Temporal are required")
	}
	s := &server{
		store: o.Store, temporal: o.Temporal, log: o.Logger, baseURL: strings.TrimSuffix(o.BaseURL, "/"),
		metrics: o.Metrics, now: o.Now, csrfSecret: o.CSRFSecret, maxBody: o.MaxBodyBytes,
		sessionTTL: o.SessionTTL, timeout: o.RequestTimeout, receipt: o.Receipt, health: o.Health, secure: strings.HasPrefix(o.BaseURL, "https://"),
		evidence: o.Evidence,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.ops = &operations.Service{Store: o.Store, Temporal: o.Temporal, Logger: s.log, BaseURL: s.baseURL, Now: s.now}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.timeout <= 0 {
		s.timeout = 15 * time.Second
	}
	if s.sessionTTL <= 0 {
		s.sessionTTL = 12 * time.Hour
	}
	s.lookups = newLimiter(orDefault(o.LookupLimit, RateLimit{PerMinute: 60, Burst: 30}), s.now)
	s.submits = newLimiter(orDefault(o.SubmitLimit, RateLimit{PerMinute: 20, Burst: 10}), s.now)
	if len(s.csrfSecret) == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		secret, err := o.Store.WebSecret(ctx, "csrf")
		if err != nil {
			return nil, fmt.Errorf("web: load form secret: %w", err)
		}
		s.csrfSecret = secret
	}
	p, err := loadPages()
	if err != nil {
		return nil, fmt.Errorf("web: load templates: %w", err)
	}
	s.pages = p
	return s.routes(), nil
}

func orDefault(r, def RateLimit) RateLimit {
	if r.PerMinute <= 0 || r.Burst <= 0 {
		return def
	}
	return r
}

// stopped lists the workflows that should be running and are not; a failure
// to find out is logged and shows none, since no page should fail for it.
func (s *server) stopped(ctx context.Context) []workflows.Stopped {
	if s.health == nil {
		return nil
	}
	list, err := s.health.Stopped(ctx)
	if err != nil {
		s.log.Warn("workflow health", "error", err)
		return nil
	}
	return list
}

// refuseOperation shows an operation's refusal: each field at fault beside
// its field (fields maps an operation's field to the form's name), a
// refusal with its reason; it reports false for any other error, which is
// the handler's to answer.
func (f *form) refuseOperation(err error, fields map[string]string) bool {
	var inv *operations.Invalid
	if errors.As(err, &inv) {
		for _, fe := range inv.Fields {
			name, ok := fields[fe.Field]
			if !ok {
				name = fe.Field
			}
			f.refuse(name, fe)
		}
		return true
	}
	return false
}
