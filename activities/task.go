package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// TaskInfo is a report task as its workflow needs to know it.
type TaskInfo struct {
	Status       cooperation.TaskStatus `json:"status"`
	Due          string                 `json:"due"` // YYYY-MM-DD
	Late         bool                   `json:"late"`
	SubmissionID int64                  `json:"submission_id,omitempty"`
	Extensions   int                    `json:"extensions"`
	// RequestedUntil is the due date a focal point's pending extension
	// request asks for, or "".
	RequestedUntil string `json:"requested_until,omitempty"`
}

// ReviewTaskInput accepts a task's report, or sends it back for
// clarification with a reason (Comment) and a new due date.
type ReviewTaskInput struct {
	Task    cooperation.TaskKey `json:"task"`
	Comment string              `json:"comment"`
	Due     string              `json:"due,omitempty"` // YYYY-MM-DD, for a clarification
	By      string              `json:"by"`
}

// ExtensionRequestInput records a focal point's request for more time, or
// (Reason only) the secretariat's refusal of it.
type ExtensionRequestInput struct {
	Task   cooperation.TaskKey `json:"task"`
	Until  string              `json:"until,omitempty"`
	Reason string              `json:"reason"`
	By     string              `json:"by"`
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
	switch p, err := s.PendingRequest(ctx, k); {
	case err == nil:
		info.RequestedUntil = p.Until.Format(time.DateOnly)
	case !errors.Is(err, store.ErrNotFound):
		return TaskInfo{}, err
	}
	return info, nil
}

// taskChange is what one change of a task did: when it changed something,
// the audit line to write with it.
type taskChange struct {
	changed bool
	key     string // the audit line's dedup key, so a retry writes it once
	action  string
	detail  map[string]string
}

// changeTask runs change, its audit line and after (links, invitations) in
// one transaction, and returns the task as it then stands, so that the
// workflow takes its state from Postgres even when the change was a no-op.
// by is the actor the workflow carried: change and the audit line get who
// it names (see actorOf).
func (a *Activities) changeTask(ctx context.Context, k cooperation.TaskKey, what, by string,
	change func(tx *store.Store, by string) (taskChange, error), after func(tx *store.Store) error) (TaskInfo, error) {
	var info TaskInfo
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		c, err := change(tx, actor)
		if err != nil {
			return err
		}
		if c.changed {
			if err := tx.Audit(ctx, c.key, actor, taskSubject(k), c.action, c.detail); err != nil {
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
	return a.changeTask(ctx, in.Task, "open", "system", func(tx *store.Store, _ string) (taskChange, error) {
		_, created, err := tx.EnsureTask(ctx, in.Task, due)
		return taskChange{changed: created, key: "task-opened/" + in.Task.String(),
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
	// The row names who submitted; the signal names them by ID only.
	err = a.Store.Audit(ctx, fmt.Sprintf("task-submitted/%d", sub.ID), sub.SubmittedBy, taskSubject(k), "task_submitted",
		map[string]any{"submission_id": sub.ID, "version": sub.Version, "late": sub.Late, "language": sub.Language})
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
	return a.changeTask(ctx, in.Task, "extend", in.By, func(tx *store.Store, by string) (taskChange, error) {
		_, extended, err := tx.ExtendTask(ctx, in.Task, until, in.Reason, by, a.now())
		return taskChange{changed: extended, key: "task-extended/" + in.Task.String() + "/" + in.Until,
			action: "task_extended", detail: map[string]string{"until": in.Until, "reason": in.Reason}}, changeRefusal(err)
	}, func(tx *store.Store) error { return a.queueInvitations(ctx, tx, in.Task) })
}

// WaiveTask releases the country from the task, revokes its links and
// tells its focal points why.
func (a *Activities) WaiveTask(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	return a.changeTask(ctx, in.Task, "waive", in.By, func(tx *store.Store, _ string) (taskChange, error) {
		_, err := tx.WaiveTask(ctx, in.Task, in.Reason)
		return taskChange{changed: true, key: "task-waived/" + in.Task.String(),
			action: "task_waived", detail: map[string]string{"reason": in.Reason}}, changeRefusal(err)
	}, func(tx *store.Store) error {
		if err := a.revokeTaskLinks(ctx, in.Task)(tx); err != nil {
			return err
		}
		return a.queueNotices(ctx, tx, in.Task, mail.KindTaskWaived, 0, false, func(d *mail.TaskData) { d.Reason = in.Reason })
	})
}

// AcceptTask records that the secretariat accepts the task's report and
// tells its focal points.
func (a *Activities) AcceptTask(ctx context.Context, in ReviewTaskInput) (TaskInfo, error) {
	var r store.Review
	return a.changeTask(ctx, in.Task, "accept", in.By, func(tx *store.Store, by string) (taskChange, error) {
		var changed bool
		var err error
		r, changed, err = tx.AcceptTask(ctx, in.Task, in.Comment, by, a.now())
		return taskChange{changed: changed, key: fmt.Sprintf("task-accepted/%s/%d", in.Task, r.SubmissionID),
			action: "task_accepted", detail: map[string]string{"version": fmt.Sprint(r.Version), "comment": in.Comment}}, changeRefusal(err)
	}, func(tx *store.Store) error {
		return a.queueNotices(ctx, tx, in.Task, mail.KindReportAccepted, r.ID, false, func(d *mail.TaskData) {
			d.Version, d.Reason = r.Version, r.Comment
		})
	})
}

// ClarifyTask sends the task's report back for clarification with a
// reason and a new due date, and e-mails each focal point a working link.
func (a *Activities) ClarifyTask(ctx context.Context, in ReviewTaskInput) (TaskInfo, error) {
	due, err := parseDay("due", in.Due)
	if err != nil {
		return TaskInfo{}, err
	}
	var r store.Review
	return a.changeTask(ctx, in.Task, "clarify", in.By, func(tx *store.Store, by string) (taskChange, error) {
		var changed bool
		var err error
		r, changed, err = tx.ClarifyTask(ctx, in.Task, in.Comment, due, by, a.now())
		return taskChange{changed: changed, key: fmt.Sprintf("task-clarification/%s/%d", in.Task, r.SubmissionID),
			action: "task_clarification_requested", detail: map[string]string{"version": fmt.Sprint(r.Version),
				"reason": in.Comment, "due": in.Due}}, changeRefusal(err)
	}, func(tx *store.Store) error {
		return a.queueNotices(ctx, tx, in.Task, mail.KindClarification, r.ID, true, func(d *mail.TaskData) {
			d.Version, d.Reason = r.Version, r.Comment
		})
	})
}

// RequestExtension records a focal point's request for a new due date; the
// cycle page and the dashboard show it until the secretariat answers.
func (a *Activities) RequestExtension(ctx context.Context, in ExtensionRequestInput) (TaskInfo, error) {
	until, err := parseDay("until", in.Until)
	if err != nil {
		return TaskInfo{}, err
	}
	return a.changeTask(ctx, in.Task, "request extension", in.By, func(tx *store.Store, by string) (taskChange, error) {
		r, created, err := tx.RequestExtension(ctx, in.Task, until, in.Reason, by, a.now())
		return taskChange{changed: created, key: fmt.Sprintf("extension-requested/%s/%d", in.Task, r.ID),
			action: "extension_requested", detail: map[string]string{"until": in.Until, "reason": in.Reason}}, changeRefusal(err)
	}, nil)
}

// RefuseExtension refuses the task's pending extension request with a
// reason, and tells its focal points, with a link to the task.
func (a *Activities) RefuseExtension(ctx context.Context, in ExtensionRequestInput) (TaskInfo, error) {
	var r store.ExtensionRequest
	return a.changeTask(ctx, in.Task, "refuse extension", in.By, func(tx *store.Store, by string) (taskChange, error) {
		var err error
		r, err = tx.AnswerRequest(ctx, in.Task, store.RequestRefused, in.Reason, by, a.now())
		changed := err == nil
		if errors.Is(err, store.ErrNotFound) {
			// A retry after the refusal committed finds it answered.
			if all, lerr := tx.ListRequests(ctx, in.Task); lerr == nil && len(all) > 0 && all[len(all)-1].Status == store.RequestRefused {
				r, err = all[len(all)-1], nil
			}
		}
		return taskChange{changed: changed, key: fmt.Sprintf("extension-refused/%s/%d", in.Task, r.ID),
			action: "extension_refused", detail: map[string]string{"until": r.Until.Format(time.DateOnly), "reason": in.Reason}}, changeRefusal(err)
	}, func(tx *store.Store) error {
		return a.queueNotices(ctx, tx, in.Task, mail.KindExtensionRefused, r.ID, true, func(d *mail.TaskData) {
			d.Reason, d.Requested = r.Answer, r.Until
		})
	})
}

// MarkTaskOverdue makes the task overdue if it is still open and still due on in.Due.
func (a *Activities) MarkTaskOverdue(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	due, err := parseDay("due", in.Due)
	if err != nil {
		return TaskInfo{}, err
	}
	return a.changeTask(ctx, in.Task, "mark overdue", "system", func(tx *store.Store, _ string) (taskChange, error) {
		changed, err := tx.MarkTaskOverdue(ctx, in.Task, due)
		return taskChange{changed: changed, key: "task-overdue/" + in.Task.String() + "/" + in.Due,
			action: "task_overdue", detail: map[string]string{"due": in.Due}}, err
	}, nil)
}

// MarkTaskMissing records that the task closed without a submission, if it
// is still open or overdue, and revokes its links.
func (a *Activities) MarkTaskMissing(ctx context.Context, in TaskChangeInput) (TaskInfo, error) {
	return a.changeTask(ctx, in.Task, "mark missing", "system", func(tx *store.Store, _ string) (taskChange, error) {
		changed, err := tx.MarkTaskMissing(ctx, in.Task)
		return taskChange{changed: changed, key: "task-missing/" + in.Task.String(),
			action: "task_missing", detail: map[string]string{"reason": in.Reason}}, err
	}, a.revokeTaskLinks(ctx, in.Task))
}

// changeRefusal makes a change the task refuses (closed, unknown, invalid
// input) final; a database error stays retryable.
func changeRefusal(err error) error {
	if errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotSubmitted) || errors.Is(err, store.ErrRequestPending) {
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
