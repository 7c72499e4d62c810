package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// ReportTask is one country's report on one activity in one cycle. It writes
// its row and invitations, then waits for submissions, extensions, a waiver,
// its due date (overdue) and the cycle's closing date or close signal
// (missing, if nothing came). A submitted task stays alive until the cycle
// closes, so that a resubmission is still recorded.
func ReportTask(ctx workflow.Context, in TaskInput) error {
	t := &taskRun{in: in}
	t.setup(ctx)
	return t.run(ctx)
}

type taskRun struct {
	in      TaskInput
	key     cooperation.TaskKey
	state   TaskState
	logger  log.Logger
	submit  workflow.ReceiveChannel
	extend  workflow.ReceiveChannel
	waive   workflow.ReceiveChannel
	closeCh workflow.ReceiveChannel
	// closed is set once the cycle closes: the task ends whatever its status.
	closed bool
	// recorded holds the submissions whose signal was handled.
	recorded map[int64]bool
	refused  refusals
	// The updates: changes waiting for the main loop, their replies, and
	// the refusal of the change being handled.
	pending []pendingChange
	replies
	refusal *answer
}

func (t *taskRun) setup(ctx workflow.Context) {
	t.key = cooperation.TaskKey{Biennium: t.in.Biennium, Cycle: t.in.Cycle, Code: t.in.Code, Country: t.in.Country}
	t.state = TaskState{Status: cooperation.TaskOpen, Due: t.in.Due}
	t.recorded = map[int64]bool{}
	t.refused = refusals{subject: TaskID(t.in.Biennium, t.in.Cycle, t.in.Code, t.in.Country)}
	t.logger = log.With(workflow.GetLogger(ctx), "task", t.key.String())
	t.submit = workflow.GetSignalChannel(ctx, SignalSubmit)
	t.extend = workflow.GetSignalChannel(ctx, SignalExtend)
	t.waive = workflow.GetSignalChannel(ctx, SignalWaive)
	t.closeCh = workflow.GetSignalChannel(ctx, SignalClose)
	_ = workflow.SetQueryHandler(ctx, QueryState, func() (TaskState, error) { return t.state, nil })
	_ = t.setUpdates(ctx)
}

// reportActs names the activities of tasks and cycles for the SDK.
var reportActs *activities.Activities

func reportActivityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: time.Minute},
	})
}

func (t *taskRun) run(ctx workflow.Context) error {
	ctx = reportActivityOptions(ctx)
	var info activities.TaskInfo
	if err := workflow.ExecuteActivity(ctx, reportActs.OpenTask, activities.OpenTaskInput{Task: t.key, Due: t.in.Due}).Get(ctx, &info); err != nil {
		return err
	}
	t.apply(info)
	var closeTimer workflow.Future
	closes, err := reportDayEnd(t.in.Closes)
	switch {
	case err == nil:
		closeTimer = reportTimerUntil(ctx, closes)
	case !validating(ctx):
		return temporal.NewNonRetryableApplicationError("task input closes: "+err.Error(), activities.ErrTypeInvalid, err)
	default:
		// A closing date no timer can reach: the cycle's close signal ends the task.
		t.logger.Error("Closing date unreadable; no closing timer.", "closes", t.in.Closes, "error", err)
	}
	for !t.ended() {
		t.showState(ctx)
		if err := t.step(ctx, closeTimer); err != nil {
			return err
		}
		if !t.ended() && workflow.GetInfo(ctx).GetContinueAsNewSuggested() && t.idle() && workflow.AllHandlersFinished(ctx) {
			next := t.in
			next.Due = t.state.Due
			return workflow.NewContinueAsNewError(ctx, TaskWorkflowName, next)
		}
	}
	t.showState(ctx)
	t.refuseLeft(ctx)
	t.refusePending()
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// refuseLeft audits the signals still queued when the task ends: a report
// sent to a closed task is stored by the portal but refused here, and the
// audit log says so.
func (t *taskRun) refuseLeft(ctx workflow.Context) {
	if !validating(ctx) {
		return
	}
	for _, name := range taskSignals {
		for {
			raw, ok := receiveAsync(t.channel(name))
			if !ok {
				break
			}
			var by struct {
				By string `json:"by"`
			}
			_ = json.Unmarshal(raw, &by)
			t.refused.record(ctx, name, by.By, refusedAfterClose, string(raw))
		}
	}
}

func (t *taskRun) ended() bool {
	return t.closed || t.state.Status == cooperation.TaskWaived || t.state.Status == cooperation.TaskMissing
}

// idle tells whether no signal waits, so that continuing as new loses none.
func (t *taskRun) idle() bool {
	return t.submit.Len() == 0 && t.extend.Len() == 0 && t.waive.Len() == 0 && t.closeCh.Len() == 0 && len(t.pending) == 0
}

// step waits for one event and acts on it.
func (t *taskRun) step(ctx workflow.Context, closeTimer workflow.Future) error {
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	defer cancelTimer()
	var act func() error
	sel := workflow.NewSelector(ctx)
	for _, name := range taskSignals {
		sel.AddReceive(t.channel(name), func(c workflow.ReceiveChannel, _ bool) {
			raw := receive(ctx, c)
			act = func() error { return t.onSignal(ctx, name, raw) }
		})
	}
	// A change sent as an update is already pending: waking is enough.
	sel.AddReceive(t.wake, func(c workflow.ReceiveChannel, _ bool) {
		c.ReceiveAsync(nil)
		act = func() error { return t.handlePending(ctx) }
	})
	if closeTimer != nil {
		sel.AddFuture(closeTimer, func(workflow.Future) {
			act = func() error { return t.onClose(ctx, "closing date") }
		})
	}
	if t.state.Status == cooperation.TaskOpen {
		due, err := reportDayEnd(t.state.Due)
		switch {
		case err == nil:
			sel.AddFuture(reportTimerUntil(timerCtx, due), func(workflow.Future) {
				act = func() error {
					return t.change(ctx, "", "", reportActs.MarkTaskOverdue, activities.TaskChangeInput{Task: t.key, Due: t.state.Due})
				}
			})
		case !validating(ctx):
			return err
		default:
			// A due date no timer can reach: the task waits for a signal.
			t.logger.Error("Due date unreadable; no overdue timer.", "due", t.state.Due, "error", err)
		}
	}
	sel.Select(ctx)
	return act()
}

// taskSignals are the signals a report task listens to, in the order a selector offers them.
var taskSignals = []string{SignalSubmit, SignalExtend, SignalWaive, SignalClose}

func (t *taskRun) channel(name string) workflow.ReceiveChannel {
	switch name {
	case SignalSubmit:
		return t.submit
	case SignalExtend:
		return t.extend
	case SignalWaive:
		return t.waive
	}
	return t.closeCh
}

// onSignal decodes and checks one signal, then acts on it or refuses it.
func (t *taskRun) onSignal(ctx workflow.Context, name string, raw json.RawMessage) error {
	checked := validating(ctx)
	switch name {
	case SignalSubmit:
		var sig SubmitSignal
		reason, detail := decode(raw, &sig)
		if reason == "" && sig.SubmissionID <= 0 {
			reason, detail = refusedInvalidInput, "submission_id: must be a positive number"
		}
		if reason == "" {
			reason, detail = inputRefusal(cooperation.Line("by", sig.By, cooperation.MaxEmail, false))
		}
		if reason != "" && checked {
			return t.refuse(ctx, name, sig.By, reason, detail)
		}
		return t.onSubmit(ctx, sig)
	case SignalExtend:
		var sig ExtendSignal
		reason, detail := decode(raw, &sig)
		if reason == "" {
			reason, detail = t.extendRefusal(sig)
		}
		if reason != "" && checked {
			return t.refuse(ctx, name, sig.By, reason, detail)
		}
		return t.onExtend(ctx, sig)
	case SignalWaive:
		var sig WaiveSignal
		reason, detail := decode(raw, &sig)
		if reason == "" {
			reason, detail = inputRefusal(cooperation.Line("by", sig.By, cooperation.MaxEmail, false),
				cooperation.Text("reason", sig.Reason, cooperation.MaxReason, true))
		}
		if reason != "" && checked {
			return t.refuse(ctx, name, sig.By, reason, detail)
		}
		return t.change(ctx, name, sig.By, reportActs.WaiveTask, activities.TaskChangeInput{Task: t.key, Reason: sig.Reason, By: sig.By})
	case UpdateAccept, UpdateClarify, UpdateRequestExtension, UpdateRefuseExtension:
		return t.onReview(ctx, name, raw)
	}
	var sig CloseSignal
	if reason, detail := decode(raw, &sig); reason != "" && checked {
		// A close that cannot be read still closes: only the cycle sends it.
		t.logger.Warn("Close signal unreadable; closing.", "detail", detail)
	}
	return t.onClose(ctx, "cycle closed")
}

// extendRefusal checks an extension before it reaches the store: a day
// after the current due date and not after the cycle's closing date, a
// reason within the limits.
func (t *taskRun) extendRefusal(sig ExtendSignal) (reason, detail string) {
	if reason, detail = inputRefusal(cooperation.Line("by", sig.By, cooperation.MaxEmail, false),
		cooperation.Text("reason", sig.Reason, cooperation.MaxReason, true)); reason != "" {
		return reason, detail
	}
	until, err := cooperation.Day("until", sig.Until)
	if err != nil {
		return refusedInvalidInput, err.Error()
	}
	due, _ := time.Parse(time.DateOnly, t.state.Due)
	closes, err := time.Parse(time.DateOnly, t.in.Closes)
	switch {
	case !until.After(due):
		return refusedInvalidInput, fmt.Sprintf("until: %s is not after the due date %s", sig.Until, t.state.Due)
	case err == nil && until.After(closes):
		return refusedInvalidInput, fmt.Sprintf("until: %s is after the cycle's closing date %s", sig.Until, t.in.Closes)
	}
	return "", ""
}

// refuse audits a signal the task does not act on.
func (t *taskRun) refuse(ctx workflow.Context, signal, by, reason, detail string) error {
	t.refusal = &answer{reason: reason, detail: detail, audited: true}
	t.refused.record(ctx, signal, by, reason, detail)
	return nil
}

// auditEverySubmission is the change after which each submission signalled
// is recorded once, even when a later one is already stored.
const auditEverySubmission = "audit-every-submission"

func (t *taskRun) onSubmit(ctx workflow.Context, sig SubmitSignal) error {
	recorded := sig.SubmissionID <= t.state.SubmissionID
	if workflow.GetVersion(ctx, auditEverySubmission, workflow.DefaultVersion, 1) >= 1 {
		// The state holds the newest stored submission, which may be later
		// than this signal's (two focal points answering at once): what
		// matters is whether this one was recorded.
		recorded = t.recorded[sig.SubmissionID]
	}
	if recorded {
		t.logger.Info("Submission already recorded.", "submission_id", sig.SubmissionID)
		return nil
	}
	in := activities.TaskSubmittedInput{Task: t.key, SubmissionID: sig.SubmissionID, By: sig.By}
	// A refused submission (another task's, or none) is not marked
	// recorded: the audit log keeps each refusal.
	applied, err := t.tryChange(ctx, SignalSubmit, sig.By, reportActs.TaskSubmitted, in)
	if err != nil || !applied {
		return err
	}
	t.recorded[sig.SubmissionID] = true
	return nil
}

func (t *taskRun) onExtend(ctx workflow.Context, sig ExtendSignal) error {
	in := activities.ExtendTaskInput{Task: t.key, Until: sig.Until, Reason: sig.Reason, By: sig.By}
	return t.change(ctx, SignalExtend, sig.By, reportActs.ExtendTask, in)
}

func (t *taskRun) onClose(ctx workflow.Context, reason string) error {
	t.closed = true
	return t.change(ctx, "", "", reportActs.MarkTaskMissing, activities.TaskChangeInput{Task: t.key, Reason: reason})
}

// change runs one activity that changes the task. A refusal (a waiver of a
// submitted task, a submission of another task) is audited as the refusal
// of the signal that asked for it; the task carries on.
func (t *taskRun) change(ctx workflow.Context, signal, by string, activity any, in any) error {
	_, err := t.tryChange(ctx, signal, by, activity, in)
	return err
}

// tryChange is change that also tells whether the change was made.
func (t *taskRun) tryChange(ctx workflow.Context, signal, by string, activity any, in any) (bool, error) {
	var info activities.TaskInfo
	if err := workflow.ExecuteActivity(ctx, activity, in).Get(ctx, &info); err != nil {
		if refusedByActivity(err) {
			t.logger.Warn("Change refused.", "error", err)
			if signal != "" && validating(ctx) {
				t.refusal = &answer{reason: refusedNotStored, detail: err.Error(), audited: true}
				t.refused.record(ctx, signal, by, refusedNotStored, err.Error())
				return false, nil
			}
			return true, nil
		}
		return false, err
	}
	before := t.state
	t.apply(info)
	if before.Status != t.state.Status || before.Due != t.state.Due || before.Late != t.state.Late {
		t.tellCycle(ctx)
	}
	return true, nil
}

func (t *taskRun) apply(info activities.TaskInfo) {
	t.state = TaskState{Status: info.Status, Due: info.Due, SubmissionID: info.SubmissionID, Late: info.Late,
		RequestedUntil: info.RequestedUntil}
}

// tellCycle signals the task's new status to the cycle. A cycle that has
// already closed no longer listens, which is fine.
func (t *taskRun) tellCycle(ctx workflow.Context) {
	sig := TaskStatusSignal{Code: t.in.Code, Country: t.in.Country, Status: t.state.Status, Due: t.state.Due, Late: t.state.Late}
	err := workflow.SignalExternalWorkflow(ctx, CycleID(t.in.Biennium, t.in.Cycle), "", SignalTaskStatus, sig).Get(ctx, nil)
	if err != nil {
		t.logger.Info("Cycle not told of task status.", "status", t.state.Status, "error", err)
	}
}

// dayEnd is the instant a YYYY-MM-DD calendar day ends (UTC): a task due on
// a day may be submitted until then.
func reportDayEnd(day string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, err
	}
	return d.AddDate(0, 0, 1), nil
}

// timerUntil returns a future ready at the instant at, at once if it has passed.
func reportTimerUntil(ctx workflow.Context, at time.Time) workflow.Future {
	d := at.Sub(workflow.Now(ctx))
	if d <= 0 {
		f, set := workflow.NewFuture(ctx)
		set.Set(nil, nil)
		return f
	}
	return workflow.NewTimer(ctx, d)
}
