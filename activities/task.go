package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/store"
)

// TaskInfo is a report task as its workflow needs to know it.
type TaskInfo struct {
	Status       string `json:"status"`
	Due          string `json:"due"` // YYYY-MM-DD
	Late         bool   `json:"late"`
	SubmissionID int64  `json:"submission_id,omitempty"`
	Extensions   int    `json:"extensions"`
}

// OpenTaskInput starts a task: its row and its invitations.
type OpenTaskInput struct {
	Task store.TaskKey `json:"task"`
	Due  string        `json:"due"`
}

// TaskSubmittedInput tells a task that a submission is stored.
type TaskSubmittedInput struct {
	Task         store.TaskKey `json:"task"`
	SubmissionID int64         `json:"submission_id"`
	By           string        `json:"by"`
}

// ExtendTaskInput moves a task's due date.
type ExtendTaskInput struct {
	Task   store.TaskKey `json:"task"`
	Until  string        `json:"until"`
	Reason string        `json:"reason"`
	By     string        `json:"by"`
}

// TaskChangeInput waives a task, or records that it became overdue or missing.
type TaskChangeInput struct {
	Task   store.TaskKey `json:"task"`
	Due    string        `json:"due,omitempty"`
	Reason string        `json:"reason,omitempty"`
	By     string        `json:"by,omitempty"`
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

func (a *Activities) taskInfo(ctx context.Context, s *store.Store, k store.TaskKey) (TaskInfo, error) {
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

// OpenTask writes the task's row and invites every focal point of its
// country, in one transaction. Run again, it writes nothing new and returns
// the task as it stands, so a restarted workflow picks up its state.
func (a *Activities) OpenTask(ctx context.Context, in OpenTaskInput) (TaskInfo, error) {
	due, err := parseDay("due", in.Due)
	if err != nil {
		return TaskInfo{}, err
	}
	var info TaskInfo
	err = a.Store.InTx(ctx, func(tx *store.Store) error {
		_, created, err := tx.EnsureTask(ctx, in.Task, due)
		if err != nil {
			return refusal(err)
		}
		if created {
			if err := tx.Audit(ctx, "task-opened/"+in.Task.String(), "system", taskSubject(in.Task), "task_opened",
				map[string]string{"due": in.Due}); err != nil {
				return err
			}
		}
		if err := a.queueInvitations(ctx, tx, in.Task); err != nil {
			return err
		}
		info, err = a.taskInfo(ctx, tx, in.Task)
		return err
	})
	if err != nil {
		return TaskInfo{}, fmt.Errorf("open task %s: %w", in.Task, err)
	}
	return info, nil
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
	var info TaskInfo
	err = a.Store.InTx(ctx, func(tx *store.Store) error {
		_, extended, err := tx.ExtendTask(ctx, in.Task, until, in.Reason, in.By, a.now())
		if err != nil {
			if errors.Is(err, store.ErrTaskClosed) || errors.Is(err, store.ErrNotFound) {
				return refusal(err)
			}
			return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
		}
		if extended {
			err := tx.Audit(ctx, "task-extended/"+in.Task.String()+"/"+in.Until, in.By, taskSubject(in.Task), "task_extended",
				map[string]string{"until": in.Until, "reason": in.Reason})
			if err != nil {
				return err
			}
		}
		if err := a.queueInvitations(ctx, tx, in.Task); err != nil {
			return err
		}
		info, err = a.taskInfo(ctx, tx, in.Task)
		return err
	})
	if err != nil {
		return TaskInfo{}, fmt.Errorf("extend task %s: %w", in.Task, err)
	}
	return info, nil
}

// WaiveTask releases the country from the task and revokes its links.
func (a *Activities) WaiveTask(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	var info TaskInfo
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.WaiveTask(ctx, in.Task, in.Reason); err != nil {
			if errors.Is(err, store.ErrTaskClosed) || errors.Is(err, store.ErrNotFound) {
				return refusal(err)
			}
			return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
		}
		if _, err := tx.RevokeLinks(ctx, taskSubject(in.Task)); err != nil {
			return err
		}
		err := tx.Audit(ctx, "task-waived/"+in.Task.String(), in.By, taskSubject(in.Task), "task_waived",
			map[string]string{"reason": in.Reason})
		if err != nil {
			return err
		}
		info, err = a.taskInfo(ctx, tx, in.Task)
		return err
	})
	if err != nil {
		return TaskInfo{}, fmt.Errorf("waive task %s: %w", in.Task, err)
	}
	return info, nil
}

// MarkTaskOverdue makes the task overdue if it is still open and still due on in.Due.
func (a *Activities) MarkTaskOverdue(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	due, err := parseDay("due", in.Due)
	if err != nil {
		return TaskInfo{}, err
	}
	var info TaskInfo
	err = a.Store.InTx(ctx, func(tx *store.Store) error {
		changed, err := tx.MarkTaskOverdue(ctx, in.Task, due)
		if err != nil {
			return err
		}
		if changed {
			err := tx.Audit(ctx, "task-overdue/"+in.Task.String()+"/"+in.Due, "system", taskSubject(in.Task), "task_overdue",
				map[string]string{"due": in.Due})
			if err != nil {
				return err
			}
		}
		info, err = a.taskInfo(ctx, tx, in.Task)
		return err
	})
	if err != nil {
		return TaskInfo{}, fmt.Errorf("mark task %s overdue: %w", in.Task, err)
	}
	return info, nil
}

// MarkTaskMissing records that the task closed without a submission, if it
// is still open or overdue, and revokes its links.
func (a *Activities) MarkTaskMissing(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	var info TaskInfo
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		changed, err := tx.MarkTaskMissing(ctx, in.Task)
		if err != nil {
			return err
		}
		if changed {
			err := tx.Audit(ctx, "task-missing/"+in.Task.String(), "system", taskSubject(in.Task), "task_missing",
				map[string]string{"reason": in.Reason})
			if err != nil {
				return err
			}
		}
		if _, err := tx.RevokeLinks(ctx, taskSubject(in.Task)); err != nil {
			return err
		}
		info, err = a.taskInfo(ctx, tx, in.Task)
		return err
	})
	if err != nil {
		return TaskInfo{}, fmt.Errorf("mark task %s missing: %w", in.Task, err)
	}
	return info, nil
}

// taskSubject is the task's workflow ID, which also names it in links and the audit log.
func taskSubject(k store.TaskKey) string { return "task/" + k.String() }
