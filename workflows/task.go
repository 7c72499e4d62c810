package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/store"
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
	key     store.TaskKey
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
}

func (t *taskRun) setup(ctx workflow.Context) {
	t.key = store.TaskKey{Biennium: t.in.Biennium, Cycle: t.in.Cycle, Code: t.in.Code, Country: t.in.Country}
	t.state = TaskState{Status: store.TaskOpen, Due: t.in.Due}
	t.recorded = map[int64]bool{}
	t.logger = log.With(workflow.GetLogger(ctx), "task", t.key.String())
	t.submit = workflow.GetSignalChannel(ctx, SignalSubmit)
	t.extend = workflow.GetSignalChannel(ctx, SignalExtend)
	t.waive = workflow.GetSignalChannel(ctx, SignalWaive)
	t.closeCh = workflow.GetSignalChannel(ctx, SignalClose)
	_ = workflow.SetQueryHandler(ctx, QueryState, func() (TaskState, error) { return t.state, nil })
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
	closes, err := reportDayEnd(t.in.Closes)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("task input closes: "+err.Error(), activities.ErrTypeInvalid, err)
	}
	closeTimer := reportTimerUntil(ctx, closes)
	for !t.ended() {
		if err := t.step(ctx, closeTimer); err != nil {
			return err
		}
		if !t.ended() && workflow.GetInfo(ctx).GetContinueAsNewSuggested() && t.idle() {
			next := t.in
			next.Due = t.state.Due
			return workflow.NewContinueAsNewError(ctx, TaskWorkflowName, next)
		}
	}
	return nil
}

func (t *taskRun) ended() bool {
	return t.closed || t.state.Status == store.TaskWaived || t.state.Status == store.TaskMissing
}

// idle tells whether no signal waits, so that continuing as new loses none.
func (t *taskRun) idle() bool {
	return t.submit.Len() == 0 && t.extend.Len() == 0 && t.waive.Len() == 0 && t.closeCh.Len() == 0
}

// step waits for one event and acts on it.
func (t *taskRun) step(ctx workflow.Context, closeTimer workflow.Future) error {
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	defer cancelTimer()
	var act func() error
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(t.submit, func(c workflow.ReceiveChannel, _ bool) {
		var sig SubmitSignal
		c.Receive(ctx, &sig)
		act = func() error { return t.onSubmit(ctx, sig) }
	})
	sel.AddReceive(t.extend, func(c workflow.ReceiveChannel, _ bool) {
		var sig ExtendSignal
		c.Receive(ctx, &sig)
		act = func() error { return t.onExtend(ctx, sig) }
	})
	sel.AddReceive(t.waive, func(c workflow.ReceiveChannel, _ bool) {
		var sig WaiveSignal
		c.Receive(ctx, &sig)
		act = func() error {
			return t.change(ctx, reportActs.WaiveTask, activities.TaskChangeInput{Task: t.key, Reason: sig.Reason, By: sig.By})
		}
	})
	sel.AddReceive(t.closeCh, func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, nil)
		act = func() error { return t.onClose(ctx, "cycle closed") }
	})
	sel.AddFuture(closeTimer, func(workflow.Future) {
		act = func() error { return t.onClose(ctx, "closing date") }
	})
	if t.state.Status == store.TaskOpen {
		due, err := reportDayEnd(t.state.Due)
		if err != nil {
			return err
		}
		sel.AddFuture(reportTimerUntil(timerCtx, due), func(workflow.Future) {
			act = func() error {
				return t.change(ctx, reportActs.MarkTaskOverdue, activities.TaskChangeInput{Task: t.key, Due: t.state.Due})
			}
		})
	}
	sel.Select(ctx)
	return act()
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
	if err := t.change(ctx, reportActs.TaskSubmitted, in); err != nil {
		return err
	}
	t.recorded[sig.SubmissionID] = true
	return nil
}

func (t *taskRun) onExtend(ctx workflow.Context, sig ExtendSignal) error {
	in := activities.ExtendTaskInput{Task: t.key, Until: sig.Until, Reason: sig.Reason, By: sig.By}
	return t.change(ctx, reportActs.ExtendTask, in)
}

func (t *taskRun) onClose(ctx workflow.Context, reason string) error {
	t.closed = true
	return t.change(ctx, reportActs.MarkTaskMissing, activities.TaskChangeInput{Task: t.key, Reason: reason})
}

// change runs one activity that changes the task. A refusal (an extension
// not later than the due date, a waiver of a submitted task) is logged and
// recorded by the activity; the task carries on.
func (t *taskRun) change(ctx workflow.Context, activity any, in any) error {
	var info activities.TaskInfo
	if err := workflow.ExecuteActivity(ctx, activity, in).Get(ctx, &info); err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) && appErr.NonRetryable() {
			t.logger.Warn("Change refused.", "error", err)
			return nil
		}
		return err
	}
	before := t.state
	t.apply(info)
	if before.Status != t.state.Status || before.Due != t.state.Due || before.Late != t.state.Late {
		t.tellCycle(ctx)
	}
	return nil
}

func (t *taskRun) apply(info activities.TaskInfo) {
	t.state = TaskState{Status: info.Status, Due: info.Due, SubmissionID: info.SubmissionID, Late: info.Late}
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
