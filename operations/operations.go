// Package operations is what people do to the programme, written once for
// every front door: the portal, the CLI and any API to come call the same
// operation, which checks its input under the cooperation rules, writes its
// rows, and starts or asks the workflow, finishing what an earlier attempt
// left half done. Its errors say what was wrong in the domain's words: an
// Invalid names the fields at fault, a Refused says why the rules of the
// moment refuse the request, a NoAnswer says that no answer came in time
// and that sending the same request again is safe.
package operations

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// Temporal is the part of client.Client the operations use.
type Temporal interface {
	ExecuteWorkflow(ctx context.Context, options client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error)
	UpdateWorkflow(ctx context.Context, options client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error)
}

// Service runs the operations over one store and one Temporal client.
type Service struct {
	Store    *store.Store
	Temporal Temporal
	Logger   *slog.Logger
	// BaseURL is the portal's public address, which starts every link the
	// operations put in an e-mail.
	BaseURL string
	// Now is the clock, replaceable in tests.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// Invalid is a request whose input breaks the cooperation rules; Fields
// holds every field at fault, each with its translation key. Nothing was
// written.
type Invalid struct {
	Fields []*cooperation.FieldError
}

func (e *Invalid) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

// invalid collects the field errors among errs; nil when there are none.
// An error that is not a field error is kept as a field error of field.
func invalid(errs ...error) error {
	var out []*cooperation.FieldError
	for _, err := range errs {
		var fe *cooperation.FieldError
		switch {
		case err == nil:
		case errors.As(err, &fe):
			out = append(out, fe)
		default:
			out = append(out, &cooperation.FieldError{Key: cooperation.ErrChoice, Detail: err.Error()})
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &Invalid{Fields: out}
}

// Refused is a request the rules refuse in the state things are in: a
// recused member's vote, a vote after the decision, a cycle already open.
// Reason is a stable word (the audit log's), Key its translation key.
type Refused struct {
	Reason string
	Detail string
}

func (e *Refused) Error() string {
	if e.Detail == "" {
		return "refused: " + strings.ReplaceAll(e.Reason, "_", " ")
	}
	return fmt.Sprintf("refused: %s (%s)", strings.ReplaceAll(e.Reason, "_", " "), e.Detail)
}

// Key is the translation key of the refusal's reason.
func (e *Refused) Key() string { return "refused_" + e.Reason }

// NoAnswer is a request sent that got no answer in time: it may or may not
// have been taken. Sending the same request again is safe; it counts once.
type NoAnswer struct {
	What string
	Err  error
}

func (e *NoAnswer) Error() string {
	return fmt.Sprintf("%s: no answer in time (%v); sending it again is safe, it counts once", e.What, e.Err)
}

func (e *NoAnswer) Unwrap() error { return e.Err }

// NotStarted is a request whose rows are stored and whose workflow did not
// start (Temporal away). What was stored stays; sending the same request
// again starts the workflow.
type NotStarted struct {
	WorkflowID string
	Err        error
}

func (e *NotStarted) Error() string {
	return fmt.Sprintf("stored, but workflow %s did not start (%v); sending the same request again starts it", e.WorkflowID, e.Err)
}

func (e *NotStarted) Unwrap() error { return e.Err }
