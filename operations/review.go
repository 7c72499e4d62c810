package operations

import (
	"context"
	"strconv"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/workflows"
)

// AcceptRequest accepts a submitted report as it stands.
type AcceptRequest struct {
	Task      cooperation.TaskKey
	Comment   string // optional, told to the focal points
	By        string
	RequestID string // see ChangeRequest; empty means one per task
}

// Accept asks the task's workflow to accept its report and returns the
// task's new state, or a Refused: not_submitted, already_accepted,
// task_closed...
func (s *Service) Accept(ctx context.Context, r AcceptRequest) (workflows.TaskState, error) {
	if err := invalid(cooperation.Text("comment", r.Comment, cooperation.MaxReason, false),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.TaskState{}, err
	}
	return s.changeTask(ctx, r.Task, workflows.UpdateAccept, orDefault(r.RequestID, "accept"), r.By,
		func(by string) any { return workflows.AcceptReport{Comment: r.Comment, By: by} })
}

// ClarifyRequest sends a submitted report back to its country.
type ClarifyRequest struct {
	Task   cooperation.TaskKey
	Reason string // what to clarify, told to the focal points
	Due    string // YYYY-MM-DD: the new due date
	By     string
	// RequestID names the request; empty means one per version sent back.
	RequestID string
}

// Clarify asks the task's workflow to send its report back with a reason
// and a new due date, or a Refused: not_submitted, due_in_past,
// after_close_date, already_accepted...
func (s *Service) Clarify(ctx context.Context, r ClarifyRequest) (workflows.TaskState, error) {
	_, derr := cooperation.Day("due", r.Due)
	if err := invalid(derr, cooperation.Text("reason", r.Reason, cooperation.MaxReason, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.TaskState{}, err
	}
	what := r.RequestID
	if what == "" {
		// One clarification per version: the version that is sent back.
		d, err := s.Store.ListSubmissions(ctx, r.Task)
		if err != nil {
			return workflows.TaskState{}, err
		}
		what = "clarify/" + r.Due
		if n := len(d); n > 0 {
			what = "clarify/v" + strconv.Itoa(d[n-1].Version) + "/" + r.Due
		}
	}
	return s.changeTask(ctx, r.Task, workflows.UpdateClarify, what, r.By,
		func(by string) any { return workflows.ClarifyReport{Reason: r.Reason, Due: r.Due, By: by} })
}

// ExtensionAsk is a focal point's request for a new due date.
type ExtensionAsk struct {
	Task      cooperation.TaskKey
	Until     string // YYYY-MM-DD
	Reason    string
	By        string
	RequestID string // see ChangeRequest; empty means one per date asked
}

// RequestExtension records a focal point's request for more time, which the
// secretariat then grants (Extend) or refuses (RefuseExtension); or a
// Refused: request_pending, not_after_due, after_close_date,
// already_submitted, already_accepted, task_closed...
func (s *Service) RequestExtension(ctx context.Context, r ExtensionAsk) (workflows.TaskState, error) {
	_, uerr := cooperation.Day("until", r.Until)
	if err := invalid(uerr, cooperation.Text("reason", r.Reason, cooperation.MaxReason, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.TaskState{}, err
	}
	return s.changeTask(ctx, r.Task, workflows.UpdateRequestExtension, orDefault(r.RequestID, "request/"+r.Until), r.By,
		func(by string) any { return workflows.ExtensionRequest{Until: r.Until, Reason: r.Reason, By: by} })
}

// ExtensionAnswer refuses a pending extension request.
type ExtensionAnswer struct {
	Task      cooperation.TaskKey
	Reason    string // told to the focal points
	By        string
	RequestID string
}

// RefuseExtension refuses the task's pending extension request with a
// reason, or a Refused: no_request, task_closed...
func (s *Service) RefuseExtension(ctx context.Context, r ExtensionAnswer) (workflows.TaskState, error) {
	if err := invalid(cooperation.Text("reason", r.Reason, cooperation.MaxReason, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.TaskState{}, err
	}
	what := r.RequestID
	if what == "" {
		p, err := s.Store.PendingRequest(ctx, r.Task)
		if err == nil {
			what = "refuse/" + strconv.FormatInt(p.ID, 10)
		} else {
			what = "refuse"
		}
	}
	return s.changeTask(ctx, r.Task, workflows.UpdateRefuseExtension, what, r.By,
		func(by string) any { return workflows.ExtensionRefusal{Reason: r.Reason, By: by} })
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
