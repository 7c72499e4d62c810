package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// Updates of a report task for its review: the secretariat accepts a
// report or sends it back for clarification; a focal point asks for more
// time, which the secretariat grants ("extend-task") or refuses.
const (
	UpdateAccept           = "accept-task"
	UpdateClarify          = "clarify-task"
	UpdateRequestExtension = "request-extension"
	UpdateRefuseExtension  = "refuse-extension"
)

// Reasons a task refuses a review or an extension request.
const (
	refusedNotSubmitted    = "not_submitted"    // an accept or clarify with no version waiting for review
	refusedAlreadyAccepted = "already_accepted" // an accept, clarify or request on an accepted report
	refusedDueInPast       = "due_in_past"      // a clarification due before today
	refusedRequestPending  = "request_pending"  // a second request while one waits
	refusedNoRequest       = "no_request"       // a refusal with no request waiting
)

// setReviewUpdates registers the review updates; each validator refuses,
// before admission, what the task's state already refuses.
func (t *taskRun) setReviewUpdates(ctx workflow.Context) error {
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateAccept,
		func(ctx workflow.Context, in AcceptReport) (TaskState, error) {
			return t.answerChange(ctx, UpdateAccept, in)
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, in AcceptReport) error {
			if reason := t.reviewRefusal(UpdateAccept); reason != "" {
				return RefusalError(reason, string(t.state.Status), false)
			}
			return refusal(inputRefusal(cooperation.Line("by", in.By, cooperation.MaxEmail, false),
				cooperation.Text("comment", in.Comment, cooperation.MaxReason, false)))
		}}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateClarify,
		func(ctx workflow.Context, in ClarifyReport) (TaskState, error) {
			return t.answerChange(ctx, UpdateClarify, in)
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, in ClarifyReport) error {
			if reason := t.reviewRefusal(UpdateClarify); reason != "" {
				return RefusalError(reason, string(t.state.Status), false)
			}
			return refusal(t.clarifyRefusal(ctx, in))
		}}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateRequestExtension,
		func(ctx workflow.Context, in ExtensionRequest) (TaskState, error) {
			return t.answerChange(ctx, UpdateRequestExtension, in)
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, in ExtensionRequest) error {
			if reason := t.reviewRefusal(UpdateRequestExtension); reason != "" {
				return RefusalError(reason, string(t.state.Status), false)
			}
			return refusal(t.requestRefusal(in))
		}}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateRefuseExtension,
		func(ctx workflow.Context, in ExtensionRefusal) (TaskState, error) {
			return t.answerChange(ctx, UpdateRefuseExtension, in)
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, in ExtensionRefusal) error {
			if reason := t.reviewRefusal(UpdateRefuseExtension); reason != "" {
				return RefusalError(reason, string(t.state.Status), false)
			}
			return refusal(inputRefusal(cooperation.Line("by", in.By, cooperation.MaxEmail, false),
				cooperation.Text("reason", in.Reason, cooperation.MaxReason, true)))
		}})
}

// refusal is a validator's error for a reason, or nil for none.
func refusal(reason, detail string) error {
	if reason == "" {
		return nil
	}
	return RefusalError(reason, detail, false)
}

// reviewRefusal is why the task's state refuses the change, or "".
func (t *taskRun) reviewRefusal(name string) string {
	st := t.state.Status
	switch {
	case t.ended():
		return refusedTaskClosed
	case st == cooperation.TaskAccepted:
		return refusedAlreadyAccepted
	}
	switch name {
	case UpdateAccept:
		if !st.Reported() {
			return refusedNotSubmitted
		}
	case UpdateClarify:
		if st != cooperation.TaskSubmitted {
			return refusedNotSubmitted
		}
	case UpdateRequestExtension:
		if st == cooperation.TaskSubmitted {
			return refusedAlreadySubmitted
		}
		if t.state.RequestedUntil != "" {
			return refusedRequestPending
		}
	case UpdateRefuseExtension:
		if t.state.RequestedUntil == "" {
			return refusedNoRequest
		}
	}
	return ""
}

// clarifyRefusal checks a clarification's reason and new due date: today
// or later, and not after the cycle's closing date.
func (t *taskRun) clarifyRefusal(ctx workflow.Context, in ClarifyReport) (reason, detail string) {
	if reason, detail = inputRefusal(cooperation.Line("by", in.By, cooperation.MaxEmail, false),
		cooperation.Text("reason", in.Reason, cooperation.MaxReason, true)); reason != "" {
		return reason, detail
	}
	due, err := cooperation.Day("due", in.Due)
	if err != nil {
		return refusedInvalidInput, err.Error()
	}
	today := workflow.Now(ctx).UTC().Truncate(24 * time.Hour)
	closes, cerr := cooperation.Day("closes", t.in.Closes)
	switch {
	case due.Before(today):
		return refusedDueInPast, fmt.Sprintf("due: %s is before today, %s", in.Due, today.Format(time.DateOnly))
	case cerr == nil && due.After(closes):
		return refusedAfterCloseDate, fmt.Sprintf("due: %s is after the cycle's closing date %s", in.Due, t.in.Closes)
	}
	return "", ""
}

// requestRefusal checks an extension request as an extension is checked.
func (t *taskRun) requestRefusal(in ExtensionRequest) (reason, detail string) {
	sig := ExtendSignal(in)
	reason, detail = t.extendRefusal(sig)
	if reason != "" {
		reason = t.extendReason(sig, reason)
	}
	return reason, detail
}

// onReview acts on a review update the main loop took from the queue; its
// validator admitted it against the state of that moment, so the state is
// checked again.
func (t *taskRun) onReview(ctx workflow.Context, name string, raw json.RawMessage) error {
	if reason := t.reviewRefusal(name); reason != "" {
		t.refusal = &answer{reason: reason, detail: string(t.state.Status)}
		return nil
	}
	switch name {
	case UpdateAccept:
		var in AcceptReport
		if reason, detail := decode(raw, &in); reason != "" {
			return t.refuse(ctx, name, in.By, reason, detail)
		}
		return t.change(ctx, name, in.By, reportActs.AcceptTask,
			activities.ReviewTaskInput{Task: t.key, Comment: in.Comment, By: in.By})
	case UpdateClarify:
		var in ClarifyReport
		reason, detail := decode(raw, &in)
		if reason == "" {
			reason, detail = t.clarifyRefusal(ctx, in)
		}
		if reason != "" {
			return t.refuse(ctx, name, in.By, reason, detail)
		}
		return t.change(ctx, name, in.By, reportActs.ClarifyTask,
			activities.ReviewTaskInput{Task: t.key, Comment: in.Reason, Due: in.Due, By: in.By})
	case UpdateRequestExtension:
		var in ExtensionRequest
		reason, detail := decode(raw, &in)
		if reason == "" {
			reason, detail = t.requestRefusal(in)
		}
		if reason != "" {
			return t.refuse(ctx, name, in.By, reason, detail)
		}
		return t.change(ctx, name, in.By, reportActs.RequestExtension,
			activities.ExtensionRequestInput{Task: t.key, Until: in.Until, Reason: in.Reason, By: in.By})
	}
	var in ExtensionRefusal
	if reason, detail := decode(raw, &in); reason != "" {
		return t.refuse(ctx, name, in.By, reason, detail)
	}
	return t.change(ctx, name, in.By, reportActs.RefuseExtension,
		activities.ExtensionRequestInput{Task: t.key, Reason: in.Reason, By: in.By})
}
