package workflows

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// closeSignalBatch bounds how many close signals to tasks are in flight at once.
const closeSignalBatch = 200

// notice sends the day's notice of late tasks, and schedules the next one
// for tomorrow while any task is late.
func (c *cycleRun) notice(ctx workflow.Context) error {
	late := 0
	//workflowcheck:ignore a count: the order cannot change it
	for _, t := range c.carry.Tasks {
		if t.Status == cooperation.TaskOverdue {
			late++
		}
	}
	if late == 0 {
		c.carry.NoticeAt = time.Time{}
		return nil
	}
	now := workflow.Now(ctx)
	in := activities.OverdueNoticeInput{Cycle: c.ref, Date: now.UTC().Format(time.DateOnly)}
	if err := workflow.ExecuteActivity(ctx, reportActs.SendOverdueNotice, in).Get(ctx, nil); err != nil {
		return err
	}
	c.carry.NoticeAt = now.Add(24 * time.Hour)
	return nil
}

// close marks the cycle closed and its unanswered tasks missing, tells every
// task still alive to end, stores the consolidated report and tells the
// secretariat.
func (c *cycleRun) close(ctx workflow.Context, reason, by string) error {
	in := activities.CloseCycleInput{Cycle: c.ref, Reason: reason, By: by}
	if err := workflow.ExecuteActivity(ctx, reportActs.CloseCycle, in).Get(ctx, nil); err != nil {
		return err
	}
	var alive []string
	//workflowcheck:ignore each task is updated on its own, and alive is sorted before any signal is sent
	for k, t := range c.carry.Tasks {
		switch t.Status {
		case cooperation.TaskOpen, cooperation.TaskOverdue:
			t.Status = cooperation.TaskMissing
			c.carry.Tasks[k] = t
			alive = append(alive, k)
		case cooperation.TaskSubmitted, cooperation.TaskClarification, cooperation.TaskAccepted:
			alive = append(alive, k)
		}
	}
	c.closed = true
	c.showState(ctx)
	sort.Strings(alive)
	c.closeTasks(ctx, alive, by)
	reportCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Minute})
	if err := workflow.ExecuteActivity(reportCtx, StoreCycleReportsActivity, c.ref).Get(ctx, nil); err != nil {
		return err
	}
	if err := workflow.ExecuteActivity(ctx, reportActs.SendCycleClosed, in).Get(ctx, nil); err != nil {
		return err
	}
	c.takeLeft(ctx)
	c.logger.Info("Cycle closed.", "reason", reason, "tasks", len(c.carry.Tasks))
	return nil
}

// takeLeft handles the signals still queued when the cycle has closed: a
// task's last status is kept (it is already in Postgres), a second close is
// refused and audited.
func (c *cycleRun) takeLeft(ctx workflow.Context) {
	if !validating(ctx) {
		return
	}
	for c.statusCh.Len() > 0 {
		c.receiveStatus(ctx, c.statusCh)
	}
	for {
		raw, ok := receiveAsync(c.closeCh)
		if !ok {
			return
		}
		var sig CloseSignal
		_ = json.Unmarshal(raw, &sig)
		c.refused.record(ctx, SignalClose, sig.By, refusedAfterClose, string(raw))
	}
}

// closeTasks signals "close" to the tasks, in batches. A task that has
// already ended cannot be signalled, which is what closing wants anyway.
func (c *cycleRun) closeTasks(ctx workflow.Context, keys []string, by string) {
	for start := 0; start < len(keys); start += closeSignalBatch {
		end := min(start+closeSignalBatch, len(keys))
		futures := make([]workflow.Future, 0, end-start)
		for _, k := range keys[start:end] {
			code, country, _ := strings.Cut(k, "/")
			id := TaskID(c.in.Biennium, c.in.Name, code, country)
			futures = append(futures, workflow.SignalExternalWorkflow(ctx, id, "", SignalClose, CloseSignal{By: by}))
		}
		for _, f := range futures {
			_ = f.Get(ctx, nil)
		}
	}
}
