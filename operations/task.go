package operations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// ExtendRequest moves a report task's due date.
type ExtendRequest struct {
	Task   cooperation.TaskKey
	Until  string // YYYY-MM-DD
	Reason string
	By     string
	// RequestID names the request (see ChangeRequest); empty means one
	// per new due date.
	RequestID string
}

// Extend asks the task's workflow to move its due date and returns the
// task's new state, or a Refused saying why not: not_after_due,
// after_close_date, task_closed...
func (s *Service) Extend(ctx context.Context, r ExtendRequest) (workflows.TaskState, error) {
	_, uerr := cooperation.Day("until", r.Until)
	if err := invalid(uerr, cooperation.Text("reason", r.Reason, cooperation.MaxReason, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.TaskState{}, err
	}
	what := r.RequestID
	if what == "" {
		what = "extend/" + r.Until
	}
	return s.changeTask(ctx, r.Task, workflows.UpdateExtend, what, r.By,
		func(by string) any { return workflows.ExtendSignal{Until: r.Until, Reason: r.Reason, By: by} })
}

// WaiveRequest releases a country from one report task.
type WaiveRequest struct {
	Task      cooperation.TaskKey
	Reason    string
	By        string
	RequestID string // see ChangeRequest
}

// Waive asks the task's workflow to release the country from it, or a
// Refused: already_submitted, task_closed...
func (s *Service) Waive(ctx context.Context, r WaiveRequest) (workflows.TaskState, error) {
	if err := invalid(cooperation.Text("reason", r.Reason, cooperation.MaxReason, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.TaskState{}, err
	}
	what := r.RequestID
	if what == "" {
		what = "waive"
	}
	return s.changeTask(ctx, r.Task, workflows.UpdateWaive, what, r.By,
		func(by string) any { return workflows.WaiveSignal{Reason: r.Reason, By: by} })
}

// changeTask sends update to the task's workflow with the payload arg makes
// for who acted: by's person ID, never an address (see personRef).
func (s *Service) changeTask(ctx context.Context, k cooperation.TaskKey, update, what, by string, arg func(by string) any) (workflows.TaskState, error) {
	if _, err := s.Store.GetTask(ctx, k); errors.Is(err, store.ErrNotFound) {
		return workflows.TaskState{}, &Refused{Reason: "not_found", Detail: "no task " + k.String()}
	} else if err != nil {
		return workflows.TaskState{}, err
	}
	ref, err := s.personRef(ctx, by)
	if err != nil {
		return workflows.TaskState{}, err
	}
	var st workflows.TaskState
	err = s.ask(ctx, k.ID(), update, what, arg(ref), &st)
	if err == nil {
		return st, nil
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return workflows.TaskState{}, s.taskNotRunning(ctx, k, update, by)
	}
	return workflows.TaskState{}, s.refusalOf(ctx, k.ID(), update, what, by, "signal_refused", err)
}

// taskNotRunning explains a change to a task whose workflow has ended.
func (s *Service) taskNotRunning(ctx context.Context, k cooperation.TaskKey, update, by string) error {
	d, err := s.Store.GetTaskDetail(ctx, k)
	if err != nil {
		return err
	}
	if !d.Status.Answerable() || d.CycleStatus == cooperation.CycleClosed {
		detail := "the task is " + string(d.Status)
		if d.CycleStatus == cooperation.CycleClosed {
			detail = "its cycle is closed"
		}
		s.audit(ctx, k.ID(), update, "closed", by, "signal_refused", "task_closed", detail)
		return &Refused{Reason: "task_closed", Detail: detail}
	}
	return fmt.Errorf("the workflow of %s is not running; an operator runs bienal repair %s", k.ID(), k.ID())
}

// CloseRequest closes a reporting cycle before its closing date.
type CloseRequest struct {
	Biennium, Name string
	By             string
}

// CloseCycle asks the cycle's workflow to close it now: open tasks become
// missing and the report is produced. A cycle already closed is Refused
// (cycle_closed), saying when.
func (s *Service) CloseCycle(ctx context.Context, r CloseRequest, c Signaller) error {
	if err := invalid(cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return err
	}
	cy, err := s.Store.GetCycle(ctx, r.Biennium, r.Name)
	if errors.Is(err, store.ErrNotFound) {
		return &Refused{Reason: "not_found", Detail: "no cycle " + r.Biennium + "/" + r.Name}
	} else if err != nil {
		return err
	}
	if cy.Status == cooperation.CycleClosed {
		detail := "closed"
		if cy.ClosedAt != nil {
			detail = "closed on " + cy.ClosedAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		return &Refused{Reason: "cycle_closed", Detail: detail}
	}
	by, err := s.personRef(ctx, r.By)
	if err != nil {
		return err
	}
	id := cooperation.CycleID(r.Biennium, r.Name)
	if err := c.SignalWorkflow(ctx, id, "", workflows.SignalClose, workflows.CloseSignal{By: by}); err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return fmt.Errorf("the workflow of %s is not running; an operator runs bienal repair %s", id, id)
		}
		return fmt.Errorf("close %s: %w", id, err)
	}
	return nil
}

// ask sends an update and waits for its answer; the update ID, made of the
// subject and what, makes the same request sent twice one request.
func (s *Service) ask(ctx context.Context, workflowID, update, what string, arg, answer any) error {
	ctx, cancel := context.WithTimeout(ctx, answerWithin)
	defer cancel()
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID:     update + "/" + what,
		WorkflowID:   workflowID,
		UpdateName:   update,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, answer)
	}
	if err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isDeadline(err)) {
		return &NoAnswer{What: update + " of " + workflowID, Err: err}
	}
	return err
}

// refusalOf turns an update's error into a Refused, auditing a refusal the
// workflow's validator made (it leaves no history); other errors pass.
func (s *Service) refusalOf(ctx context.Context, subject, update, what, actor, action string, err error) error {
	ref, ok := workflows.RefusalOf(err)
	if !ok {
		return err
	}
	if !ref.Audited {
		s.audit(ctx, subject, update, what, actor, action, ref.Reason, ref.Detail)
	}
	return &Refused{Reason: ref.Reason, Detail: ref.Detail}
}

func (s *Service) audit(ctx context.Context, subject, update, what, actor, action, reason, detail string) {
	key := fmt.Sprintf("refused/%s/%s/%s/%s", subject, update, what, reason)
	err := s.Store.Audit(ctx, key, cooperation.Excerpt(strings.TrimSpace(actor), cooperation.MaxEmail), subject, action,
		map[string]any{"signal": update, "reason": reason, "detail": detail})
	if err != nil {
		s.log().Error("refusal not audited", "subject", subject, "reason", reason, "error", err)
	}
}
