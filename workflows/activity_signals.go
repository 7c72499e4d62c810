package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// Reasons another signal is refused.
const (
	refusedNotRequested   = "revision_not_requested"
	refusedNoNewVersion   = "no_new_version"
	refusedAfterDecision  = "after_decision"
	refusedNotInExecution = "not_in_execution"
	refusedEmptyText      = "empty_text"
)

// onRevise lets the next round open once a newer version is stored.
func (w *activityWorkflow) onRevise(ctx workflow.Context, s ReviseSignal) error {
	if reason, detail := inputRefusal(cooperation.Line("by", s.By, cooperation.MaxEmail, false),
		cooperation.Line("revision_id", s.RevisionID, cooperation.MaxID, false)); reason != "" && validating(ctx) {
		return w.refuseSignal(ctx, SignalRevise, s.By, reason, detail)
	}
	if w.st.Status != cooperation.ActivityChangesRequested {
		return w.refuseSignal(ctx, SignalRevise, s.By, refusedNotRequested, s.RevisionID)
	}
	var cur activities.ReviewStatus
	if err := workflow.ExecuteActivity(ctx, activityActs.CheckRevision, w.key()).Get(ctx, &cur); err != nil {
		return fmt.Errorf("check revision %s: %w", s.RevisionID, err)
	}
	if cur.Version <= w.version {
		return w.refuseSignal(ctx, SignalRevise, s.By, refusedNoNewVersion, s.RevisionID)
	}
	w.revised = true
	w.logger.Info("revision received", "version", cur.Version, "revision_id", s.RevisionID, "by", s.By)
	return nil
}

// onWithdraw withdraws a proposal at any point before its decision.
func (w *activityWorkflow) onWithdraw(ctx workflow.Context, s WithdrawSignal) error {
	switch w.st.Status {
	case cooperation.ActivityProposed, cooperation.ActivityUnderReview, cooperation.ActivityChangesRequested:
	default:
		return w.refuseSignal(ctx, SignalWithdraw, s.By, refusedAfterDecision, s.Reason)
	}
	if reason, detail := inputRefusal(cooperation.Line("by", s.By, cooperation.MaxEmail, false),
		cooperation.Text("reason", s.Reason, cooperation.MaxReason, false)); reason != "" && validating(ctx) {
		return w.refuseSignal(ctx, SignalWithdraw, s.By, reason, detail)
	}
	in := activities.WithdrawInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: w.st.Round, By: s.By,
		Reason: s.Reason, At: workflow.Now(ctx)}
	if err := workflow.ExecuteActivity(ctx, activityActs.WithdrawActivity, in).Get(ctx, nil); err != nil {
		if refusedByActivity(err) && validating(ctx) {
			return w.refuseSignal(ctx, SignalWithdraw, s.By, refusedNotStored, err.Error())
		}
		return fmt.Errorf("withdraw: %w", err)
	}
	w.roundOpen, w.st.AwaitingCasting = false, false
	w.st.Decision, w.st.DecidedBy = string(cooperation.ActivityWithdrawn), "withdrawal"
	w.setStatus(cooperation.ActivityWithdrawn)
	return nil
}

func (w *activityWorkflow) startExecution(ctx workflow.Context) error {
	in := activities.ExecutionInput{Biennium: w.in.Biennium, Code: w.in.Code, At: workflow.Now(ctx)}
	if err := workflow.ExecuteActivity(ctx, activityActs.StartExecution, in).Get(ctx, nil); err != nil {
		return fmt.Errorf("start execution: %w", err)
	}
	w.setStatus(cooperation.ActivityInExecution)
	return nil
}

// onComplete closes an activity in execution with its final statement.
func (w *activityWorkflow) onComplete(ctx workflow.Context, s CompleteSignal) error {
	return w.endExecution(ctx, SignalComplete, s.By, s.Statement, activityActs.CompleteActivity, cooperation.ActivityCompleted)
}

// onCancel cancels an activity in execution, with its reason.
func (w *activityWorkflow) onCancel(ctx workflow.Context, s CancelSignal) error {
	return w.endExecution(ctx, SignalCancel, s.By, s.Reason, activityActs.CancelActivity, cooperation.ActivityCancelled)
}

func (w *activityWorkflow) endExecution(ctx workflow.Context, signal, by, text string, act any, status cooperation.ActivityStatus) error {
	switch {
	case w.st.Status != cooperation.ActivityInExecution:
		return w.refuseSignal(ctx, signal, by, refusedNotInExecution, text)
	case strings.TrimSpace(text) == "":
		return w.refuseSignal(ctx, signal, by, refusedEmptyText, "")
	}
	if reason, detail := inputRefusal(cooperation.Line("by", by, cooperation.MaxEmail, false),
		cooperation.Text("text", text, cooperation.MaxReportText, true)); reason != "" && validating(ctx) {
		return w.refuseSignal(ctx, signal, by, reason, detail)
	}
	in := activities.ExecutionInput{Biennium: w.in.Biennium, Code: w.in.Code, By: by, Text: text, At: workflow.Now(ctx)}
	if err := workflow.ExecuteActivity(ctx, act, in).Get(ctx, nil); err != nil {
		if refusedByActivity(err) && validating(ctx) {
			return w.refuseSignal(ctx, signal, by, refusedNotStored, err.Error())
		}
		return fmt.Errorf("%s: %w", signal, err)
	}
	w.setStatus(status)
	return nil
}

// refuseSignal records a signal the activity's state does not allow.
func (w *activityWorkflow) refuseSignal(ctx workflow.Context, signal, by, reason, detail string) error {
	w.refusal = &answer{reason: reason, detail: detail, audited: true}
	w.st.Refused++
	w.logger.Info("signal refused", "signal", signal, "by", by, "reason", reason)
	in := activities.RefusedInput{Biennium: w.in.Biennium, Code: w.in.Code, Seq: w.st.Refused, Signal: signal,
		Actor: by, Reason: reason, Round: w.st.Round, Detail: detail}
	if err := workflow.ExecuteActivity(ctx, activityActs.RecordRefusedSignal, in).Get(ctx, nil); err != nil {
		if refusedByActivity(err) && validating(ctx) {
			w.logger.Error("refused signal not recorded", "signal", signal, "error", err)
			return nil
		}
		return fmt.Errorf("record refused %s: %w", signal, err)
	}
	return nil
}
