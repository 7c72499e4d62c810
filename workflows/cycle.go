package workflows

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// StoreCycleReportsActivity is the activity, registered by the worker, that
// renders and stores the consolidated report of a closed cycle.
const StoreCycleReportsActivity = "StoreCycleReports"

// cycleHistoryLimit makes a cycle continue as new before its history grows
// large even if the server has not suggested it yet.
const cycleHistoryLimit = 20000

// noticeDelay lets the tasks that fall due together report overdue before
// the secretariat's first notice lists them.
const noticeDelay = time.Hour

// ReportingCycle opens a reporting cycle whose row `bienal cycle open` wrote:
// it starts one ReportTask child per activity in execution and country, in
// batches, continuing as new between batches; then it follows the tasks'
// statuses, tells the secretariat daily of late ones, and closes when every
// task is submitted or waived, at the closing date, or on signal "close".
func ReportingCycle(ctx workflow.Context, in CycleInput) error {
	c := &cycleRun{in: in}
	c.setup(ctx)
	return c.run(ctx)
}

type cycleRun struct {
	in       CycleInput
	carry    CycleCarry
	ref      activities.CycleRef
	info     activities.CycleInfo
	logger   log.Logger
	statusCh workflow.ReceiveChannel
	closeCh  workflow.ReceiveChannel
	closeBy  *CloseSignal
	closed   bool
	refused  refusals
	// reviewed: this run closes itself once every report is accepted.
	reviewed bool
}

func (c *cycleRun) setup(ctx workflow.Context) {
	if c.in.Carry != nil {
		c.carry = *c.in.Carry
	}
	if c.carry.BatchSize <= 0 {
		c.carry.BatchSize = DefaultCycleBatchSize
	}
	if c.carry.Tasks == nil {
		c.carry.Tasks = map[string]CycleTask{}
	}
	c.ref = activities.CycleRef{Biennium: c.in.Biennium, Name: c.in.Name}
	c.refused = refusals{subject: CycleID(c.in.Biennium, c.in.Name)}
	c.logger = log.With(workflow.GetLogger(ctx), "cycle", c.ref.String())
	c.statusCh = workflow.GetSignalChannel(ctx, SignalTaskStatus)
	c.closeCh = workflow.GetSignalChannel(ctx, SignalClose)
	_ = workflow.SetQueryHandler(ctx, QueryProgress, func() (CycleProgress, error) { return c.progress(), nil })
}

func (c *cycleRun) run(ctx workflow.Context) error {
	ctx = reportActivityOptions(ctx)
	if err := workflow.ExecuteActivity(ctx, reportActs.LoadCycle, c.ref).Get(ctx, &c.info); err != nil {
		return err
	}
	c.showState(ctx)
	if c.info.Status == cooperation.CycleClosed {
		c.closed = true
		return nil
	}
	for !c.carry.AllStarted && c.closeBy == nil {
		if err := c.startBatch(ctx); err != nil {
			return err
		}
		c.drain(ctx)
		if !c.carry.AllStarted && c.closeBy == nil {
			return c.continueAsNew(ctx)
		}
	}
	return c.follow(ctx)
}

// startBatch starts the next batch of tasks and waits until each has
// started. A task already started (after a retry or a reset) is left as it is.
func (c *cycleRun) startBatch(ctx workflow.Context) error {
	var targets []cooperation.Target
	in := activities.TargetsInput{Cycle: c.ref, After: cooperation.Target{Code: c.carry.AfterCode, Country: c.carry.AfterCountry}, Limit: c.carry.BatchSize}
	if err := workflow.ExecuteActivity(ctx, reportActs.CycleTargets, in).Get(ctx, &targets); err != nil {
		return err
	}
	futures := make([]workflow.ChildWorkflowFuture, len(targets))
	for i, t := range targets {
		task := TaskInput{Biennium: c.in.Biennium, Cycle: c.in.Name, Code: t.Code, Country: t.Country, Due: c.info.Due, Closes: c.info.Closes}
		cctx := workflow.WithChildOptions(ctx, withTaskSearch(workflow.ChildWorkflowOptions{
			WorkflowID:            TaskID(c.in.Biennium, c.in.Name, t.Code, t.Country),
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		}, task))
		futures[i] = workflow.ExecuteChildWorkflow(cctx, TaskWorkflowName, task)
		if _, ok := c.carry.Tasks[taskKey(t.Code, t.Country)]; !ok {
			// A task already in Postgres (the cycle's workflow started
			// again) keeps what it has; a new one is open.
			task := CycleTask{Status: cooperation.TaskOpen, Due: c.info.Due}
			if t.Status != "" {
				task = CycleTask{Status: t.Status, Due: t.Due}
			}
			c.carry.Tasks[taskKey(t.Code, t.Country)] = task
		}
	}
	for i, f := range futures {
		err := f.GetChildWorkflowExecution().Get(ctx, nil)
		var started *temporal.ChildWorkflowExecutionAlreadyStartedError
		if err != nil && !errors.As(err, &started) && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			return err
		}
		c.carry.AfterCode, c.carry.AfterCountry = targets[i].Code, targets[i].Country
	}
	c.carry.AllStarted = len(targets) < c.carry.BatchSize
	c.logger.Info("Tasks started.", "batch", len(targets), "total", len(c.carry.Tasks))
	return nil
}

// follow waits for the tasks until the cycle closes.
func (c *cycleRun) follow(ctx workflow.Context) error {
	c.reviewed = workflow.GetVersion(ctx, closeWhenAccepted, workflow.DefaultVersion, 1) >= 1
	var closeTimer workflow.Future
	closes, err := reportDayEnd(c.info.Closes)
	switch {
	case err == nil:
		closeTimer = reportTimerUntil(ctx, closes)
	case !validating(ctx):
		return err
	default:
		// A closing date no timer can reach: the cycle closes on signal or when every task is in.
		c.logger.Error("Closing date unreadable; no closing timer.", "closes", c.info.Closes, "error", err)
	}
	var noticeTimer workflow.Future
	var noticeFor time.Time
	for {
		switch {
		case c.closeBy != nil:
			return c.close(ctx, "signal", c.closeBy.By)
		case c.allIn():
			return c.close(ctx, "complete", "system")
		}
		if !c.carry.NoticeAt.Equal(noticeFor) {
			noticeFor, noticeTimer = c.carry.NoticeAt, nil
			if !noticeFor.IsZero() {
				noticeTimer = reportTimerUntil(ctx, noticeFor)
			}
		}
		closing := false
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(c.statusCh, func(ch workflow.ReceiveChannel, _ bool) { c.receiveStatus(ctx, ch) })
		sel.AddReceive(c.closeCh, func(ch workflow.ReceiveChannel, _ bool) { c.receiveClose(ctx, ch) })
		if closeTimer != nil {
			sel.AddFuture(closeTimer, func(workflow.Future) { closing = true })
		}
		if noticeTimer != nil {
			sel.AddFuture(noticeTimer, func(workflow.Future) {})
		}
		sel.Select(ctx)
		if closing {
			c.drain(ctx)
			return c.close(ctx, "closing_date", "system")
		}
		if noticeTimer != nil && noticeTimer.IsReady() {
			if err := c.notice(ctx); err != nil {
				return err
			}
		}
		info := workflow.GetInfo(ctx)
		if info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > cycleHistoryLimit {
			c.drain(ctx)
			if c.closeBy == nil && !c.allIn() {
				return c.continueAsNew(ctx)
			}
		}
	}
}

func (c *cycleRun) receiveStatus(ctx workflow.Context, ch workflow.ReceiveChannel) {
	raw := receive(ctx, ch)
	var sig TaskStatusSignal
	reason, detail := decode(raw, &sig)
	if reason == "" {
		reason, detail = c.statusRefusal(sig)
	}
	if reason != "" && validating(ctx) {
		c.refused.record(ctx, SignalTaskStatus, "", reason, detail+": "+string(raw))
		return
	}
	c.carry.Tasks[taskKey(sig.Code, sig.Country)] = CycleTask{Status: sig.Status, Due: sig.Due}
	if sig.Status == cooperation.TaskOverdue && c.carry.NoticeAt.IsZero() {
		c.carry.NoticeAt = workflow.Now(ctx).Add(noticeDelay)
	}
}

// statusRefusal checks a task's status report: only the cycle's own tasks
// send it, so an unknown task or status comes from somewhere else and would
// otherwise add a task that keeps the cycle from ever completing.
func (c *cycleRun) statusRefusal(sig TaskStatusSignal) (reason, detail string) {
	if _, ok := c.carry.Tasks[taskKey(sig.Code, sig.Country)]; !ok {
		return refusedInvalidInput, "not a task of this cycle"
	}
	if !slices.Contains(cooperation.TaskStatuses, sig.Status) {
		return refusedInvalidInput, "unknown task status"
	}
	if _, err := cooperation.Day("due", sig.Due); err != nil {
		return refusedInvalidInput, err.Error()
	}
	return "", ""
}

func (c *cycleRun) receiveClose(ctx workflow.Context, ch workflow.ReceiveChannel) {
	var sig CloseSignal
	if reason, detail := decode(receive(ctx, ch), &sig); reason != "" && validating(ctx) {
		// An unreadable close still closes: whoever sent it wants the cycle closed.
		c.logger.Warn("Close signal unreadable; closing.", "detail", detail)
	}
	sig.By = cooperation.Excerpt(sig.By, cooperation.MaxEmail)
	if c.closeBy == nil {
		c.closeBy = &sig
	}
}

// drain takes every signal already received, so that continuing as new or
// closing loses none.
func (c *cycleRun) drain(ctx workflow.Context) {
	for c.statusCh.Len() > 0 {
		c.receiveStatus(ctx, c.statusCh)
	}
	for c.closeCh.Len() > 0 {
		c.receiveClose(ctx, c.closeCh)
	}
}

func (c *cycleRun) continueAsNew(ctx workflow.Context) error {
	next := c.in
	carry := c.carry
	carry.Runs++
	next.Carry = &carry
	return workflow.NewContinueAsNewError(ctx, CycleWorkflowName, next)
}

// closeWhenAccepted is the change after which a cycle closes itself once
// every report is accepted or waived, rather than once every one is
// submitted: the secretariat may still send a submitted report back.
const closeWhenAccepted = "close-when-accepted"

func (c *cycleRun) allIn() bool {
	if !c.carry.AllStarted {
		return false
	}
	done := cooperation.TaskSubmitted
	if c.reviewed {
		done = cooperation.TaskAccepted
	}
	//workflowcheck:ignore true only if every task is final: the order cannot change the answer
	for _, t := range c.carry.Tasks {
		if t.Status != done && t.Status != cooperation.TaskWaived {
			return false
		}
	}
	return true
}

func taskKey(code, country string) string { return code + "/" + country }

func (c *cycleRun) progress() CycleProgress {
	p := CycleProgress{Biennium: c.in.Biennium, Name: c.in.Name, Status: string(cooperation.CycleOpen), Counts: map[cooperation.TaskStatus]int{}, Total: len(c.carry.Tasks)}
	switch {
	case c.closed:
		p.Status = string(cooperation.CycleClosed)
	case !c.carry.AllStarted:
		p.Status = "opening"
	}
	for _, st := range cooperation.TaskStatuses {
		p.Counts[st] = 0
	}
	//workflowcheck:ignore counts, and p.Open is sorted by its unique task key below
	for k, t := range c.carry.Tasks {
		p.Counts[t.Status]++
		if t.Status.Awaited() {
			code, country, _ := strings.Cut(k, "/")
			p.Open = append(p.Open, OpenTask{Code: code, Country: country, Status: t.Status, Due: t.Due})
		}
	}
	sort.Slice(p.Open, func(i, j int) bool {
		return taskKey(p.Open[i].Code, p.Open[i].Country) < taskKey(p.Open[j].Code, p.Open[j].Country)
	})
	return p
}
