package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// TaskInfo is a report task as its workflow needs to know it.
type TaskInfo struct {
	Status       cooperation.TaskStatus `json:"status"`
	Due          string                 `json:"due"` // YYYY-MM-DD
	Late         bool                   `json:"late"`
	SubmissionID int64                  `json:"submission_id,omitempty"`
	Extensions   int                    `json:"extensions"`
}

// OpenTaskInput starts a task: its row and its invitations.
type OpenTaskInput struct {
	Task cooperation.TaskKey `json:"task"`
	Due  string              `json:"due"`
}

// TaskSubmittedInput tells a task that a submission is stored.
type TaskSubmittedInput struct {
	Task         cooperation.TaskKey `json:"task"`
	SubmissionID int64               `json:"submission_id"`
	By           string              `json:"by"`
}

// ExtendTaskInput moves a task's due date.
type ExtendTaskInput struct {
	Task   cooperation.TaskKey `json:"task"`
	Until  string              `json:"until"`
	Reason string              `json:"reason"`
	By     string              `json:"by"`
}

// TaskChangeInput waives a task, or records that it became overdue or missing.
type TaskChangeInput struct {
	Task   cooperation.TaskKey `json:"task"`
	Due    string              `json:"due,omitempty"`
	Reason string              `json:"reason,omitempty"`
	By     string              `json:"by,omitempty"`
}

func parseDay(field, s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("%s %q: want YYYY-MM-DD", field, s), ErrTypeInvalid, err)
	}
	return d, nil
}

// refusal turns a store error that no retry can fix into a non-retryable one.
func refusal(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotFound, err)
	}
	if errors.Is(err, store.ErrTaskClosed) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
	}
	return err
}

func (a *Activities) taskInfo(ctx context.Context, s *store.Store, k cooperation.TaskKey) (TaskInfo, error) {
	d, err := s.GetTaskDetail(ctx, k)
	if err != nil {
		return TaskInfo{}, refusal(err)
	}
	info := TaskInfo{Status: d.Status, Due: d.DueOn.Format(time.DateOnly), Late: d.Late, Extensions: d.Extensions}
	subs, err := s.ListSubmissions(ctx, k)
	if err != nil {
		return TaskInfo{}, err
	}
	if len(subs) > 0 {
		info.SubmissionID = subs[len(subs)-1].ID
	}
	return info, nil
}

// taskChange is what one change of a task did: when it changed something,
// the audit line to write with it.
type taskChange struct {
	changed bool
	key     string // the audit line's dedup key, so a retry writes it once
	actor   string
	action  string
	detail  map[string]string
}

// changeTask runs change, its audit line and after (links, invitations) in
// one transaction, and returns the task as it then stands, so that the
// workflow takes its state from Postgres even when the change was a no-op.
func (a *Activities) changeTask(ctx context.Context, k cooperation.TaskKey, what string,
	change func(tx *store.Store) (taskChange, error), after func(tx *store.Store) error) (TaskInfo, error) {
	var info TaskInfo
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		c, err := change(tx)
		if err != nil {
			return err
		}
		if c.changed {
			if err := tx.Audit(ctx, c.key, c.actor, taskSubject(k), c.action, c.detail); err != nil {
				return err
			}
		}
		if after != nil {
			if err := after(tx); err != nil {
				return err
			}
		}
		info, err = a.taskInfo(ctx, tx, k)
		return err
	})
	if err != nil {
		return TaskInfo{}, fmt.Errorf("%s task %s: %w", what, k, err)
	}
	return info, nil
}

// OpenTask writes the task's row and invites every focal point of its
// country, in one transaction. Run again, it writes nothing new and returns
// the task as it stands, so a restarted workflow picks up its state.
func (a *Activities) OpenTask(ctx context.Context, in OpenTaskInput) (TaskInfo, error) {
	due, err := parseDay("due", in.Due)
	if err != nil {
		return TaskInfo{}, err
	}
	return a.changeTask(ctx, in.Task, "open", func(tx *store.Store) (taskChange, error) {
		_, created, err := tx.EnsureTask(ctx, in.Task, due)
		return taskChange{changed: created, key: "task-opened/" + in.Task.String(), actor: "system",
			action: "task_opened", detail: map[string]string{"due": in.Due}}, refusal(err)
	}, func(tx *store.Store) error { return a.queueInvitations(ctx, tx, in.Task) })
}

// TaskSubmitted checks that the submission belongs to the task and records
// who signalled it; the submission and the task's status are already stored.
func (a *Activities) TaskSubmitted(ctx context.Context, in TaskSubmittedInput) (TaskInfo, error) {
	sub, err := a.Store.GetSubmission(ctx, in.SubmissionID)
	if err != nil {
		return TaskInfo{}, refusal(err)
	}
	k := in.Task
	if sub.Biennium != k.Biennium || sub.Cycle != k.Cycle || sub.Code != k.Code || sub.Country != k.Country {
		return TaskInfo{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("submission %d is not for task %s", in.SubmissionID, k), ErrTypeInvalid, nil)
	}
	err = a.Store.Audit(ctx, fmt.Sprintf("task-submitted/%d", sub.ID), in.By, taskSubject(k), "task_submitted",
		map[string]any{"submission_id": sub.ID, "version": sub.Version, "late": sub.Late})
	if err != nil {
		return TaskInfo{}, err
	}
	return a.taskInfo(ctx, a.Store, k)
}

// ExtendTask moves the due date, records the extension and sends the
// invitation again with the calendar event's SEQUENCE raised, in one transaction.
func (a *Activities) ExtendTask(ctx context.Context, in ExtendTaskInput) (TaskInfo, error) {
	until, err := parseDay("until", in.Until)
	if err != nil {
		return TaskInfo{}, err
	}
	return a.changeTask(ctx, in.Task, "extend", func(tx *store.Store) (taskChange, error) {
		_, extended, err := tx.ExtendTask(ctx, in.Task, until, in.Reason, in.By, a.now())
		return taskChange{changed: extended, key: "task-extended/" + in.Task.String() + "/" + in.Until, actor: in.By,
			action: "task_extended", detail: map[string]string{"until": in.Until, "reason": in.Reason}}, changeRefusal(err)
	}, func(tx *store.Store) error { return a.queueInvitations(ctx, tx, in.Task) })
}

// WaiveTask releases the country from the task and revokes its links.
func (a *Activities) WaiveTask(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	return a.changeTask(ctx, in.Task, "waive", func(tx *store.Store) (taskChange, error) {
		_, err := tx.WaiveTask(ctx, in.Task, in.Reason)
		return taskChange{changed: true, key: "task-waived/" + in.Task.String(), actor: in.By,
			action: "task_waived", detail: map[string]string{"reason": in.Reason}}, changeRefusal(err)
	}, a.revokeTaskLinks(ctx, in.Task))
}

// MarkTaskOverdue makes the task overdue if it is still open and still due on in.Due.
func (a *Activities) MarkTaskOverdue(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	due, err := parseDay("due", in.Due)
	if err != nil {
		return TaskInfo{}, err
	}
	return a.changeTask(ctx, in.Task, "mark overdue", func(tx *store.Store) (taskChange, error) {
		changed, err := tx.MarkTaskOverdue(ctx, in.Task, due)
		return taskChange{changed: changed, key: "task-overdue/" + in.Task.String() + "/" + in.Due, actor: "system",
			action: "task_overdue", detail: map[string]string{"due": in.Due}}, err
	}, nil)
}

// MarkTaskMissing records that the task closed without a submission, if it
// is still open or overdue, and revokes its links.
func (a *Activities) MarkTaskMissing(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	return a.changeTask(ctx, in.Task, "mark missing", func(tx *store.Store) (taskChange, error) {
		changed, err := tx.MarkTaskMissing(ctx, in.Task)
		return taskChange{changed: changed, key: "task-missing/" + in.Task.String(), actor: "system",
			action: "task_missing", detail: map[string]string{"reason": in.Reason}}, err
	}, a.revokeTaskLinks(ctx, in.Task))
}

// changeRefusal makes a change the task refuses (closed, unknown, invalid
// input) final; a database error stays retryable.
func changeRefusal(err error) error {
	if errors.Is(err, store.ErrInvalid) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
	}
	return refusal(err)
}

func (a *Activities) revokeTaskLinks(ctx context.Context, k cooperation.TaskKey) func(tx *store.Store) error {
	return func(tx *store.Store) error {
		_, err := tx.RevokeLinks(ctx, taskSubject(k))
		return err
	}
}

// taskSubject is the task's workflow ID, which also names it in links and the audit log.
func taskSubject(k cooperation.TaskKey) string {
	return cooperation.TaskID(k.Biennium, k.Cycle, k.Code, k.Country)
}
