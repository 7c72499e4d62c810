package workflows

import (
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/cooperation"
)

// Update names of a report task: the answered way for the secretariat to
// extend a task or release its country. The signals extend and waive stay
// for raw use, handled by the same code.
const (
	UpdateExtend = "extend-task"
	UpdateWaive  = "waive-task"
)

// Reasons a task refuses a change sent as an update.
const (
	refusedTaskClosed       = "task_closed"       // waived, missing, or its cycle closed
	refusedAlreadySubmitted = "already_submitted" // a waiver of a task already answered
	refusedNotAfterDue      = "not_after_due"     // an extension to a day not after the due date
	refusedAfterCloseDate   = "after_close_date"  // an extension past the cycle's closing date
)

// pendingChange is a change sent as an update, waiting for the main loop.
type pendingChange struct {
	name   string
	raw    json.RawMessage
	ticket int
}

// setUpdates registers the task's updates. As with votes, a handler puts
// its change on the queue the main loop works through and waits for the
// answer; the validator refuses, before admission, what the state already
// refuses.
func (t *taskRun) setUpdates(ctx workflow.Context) error {
	t.replies = newReplies(ctx)
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateExtend,
		func(ctx workflow.Context, sig ExtendSignal) (TaskState, error) {
			return t.answerChange(ctx, SignalExtend, sig)
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, sig ExtendSignal) error {
			if reason := t.closedRefusal(); reason != "" {
				return RefusalError(reason, string(t.state.Status), false)
			}
			if reason, detail := t.extendRefusal(sig); reason != "" {
				return RefusalError(t.extendReason(sig, reason), detail, false)
			}
			return nil
		}})
	if err != nil {
		return err
	}
	if err := t.setReviewUpdates(ctx); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateWaive,
		func(ctx workflow.Context, sig WaiveSignal) (TaskState, error) {
			return t.answerChange(ctx, SignalWaive, sig)
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, sig WaiveSignal) error {
			if reason := t.closedRefusal(); reason != "" {
				return RefusalError(reason, string(t.state.Status), false)
			}
			if t.state.Status == cooperation.TaskSubmitted {
				return RefusalError(refusedAlreadySubmitted, "", false)
			}
			if reason, detail := inputRefusal(cooperation.Line("by", sig.By, cooperation.MaxEmail, false),
				cooperation.Text("reason", sig.Reason, cooperation.MaxReason, true)); reason != "" {
				return RefusalError(reason, detail, false)
			}
			return nil
		}})
}

// extendReason names which date rule an extension breaks, so that the
// person is told which; other refusals keep their reason.
func (t *taskRun) extendReason(sig ExtendSignal, reason string) string {
	until, err := cooperation.Day("until", sig.Until)
	if err != nil || reason != refusedInvalidInput {
		return reason
	}
	due, derr := cooperation.Day("due", t.state.Due)
	closes, cerr := cooperation.Day("closes", t.in.Closes)
	switch {
	case derr == nil && !until.After(due):
		return refusedNotAfterDue
	case cerr == nil && until.After(closes):
		return refusedAfterCloseDate
	}
	return reason
}

// closedRefusal is why a task takes no change any more, or "".
func (t *taskRun) closedRefusal() string {
	if t.ended() {
		return refusedTaskClosed
	}
	return ""
}

func (t *taskRun) answerChange(ctx workflow.Context, name string, sig any) (TaskState, error) {
	raw, err := json.Marshal(sig)
	if err != nil {
		return TaskState{}, fmt.Errorf("encode %s: %w", name, err)
	}
	a, err := t.ask(ctx, func(ticket int) {
		t.pending = append(t.pending, pendingChange{name: name, raw: raw, ticket: ticket})
	})
	if err != nil {
		return TaskState{}, err
	}
	if a.reason != "" {
		return TaskState{}, RefusalError(a.reason, a.detail, a.audited)
	}
	return t.state, nil
}

// handlePending acts on the changes sent as updates, in order, leaving
// each its answer: refused with what the refusal audited, or the new state.
func (t *taskRun) handlePending(ctx workflow.Context) error {
	for len(t.pending) > 0 {
		p := t.pending[0]
		t.pending = t.pending[1:]
		t.refusal = nil
		if err := t.onSignal(ctx, p.name, p.raw); err != nil {
			return err
		}
		a := t.refusal
		if a == nil {
			a = &answer{}
		}
		t.answer(p.ticket, a)
	}
	return nil
}

// refusePending answers the changes still pending when the task ends: the
// task is closed. Nothing audited them, so the sender's operation does.
func (t *taskRun) refusePending() {
	for _, p := range t.pending {
		t.answer(p.ticket, &answer{reason: refusedTaskClosed, detail: string(t.state.Status)})
	}
	t.pending = nil
}
