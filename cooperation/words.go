package cooperation

import "slices"

// ActivityStatus is where a cooperation activity stands, as the activity
// table CHECKs it and every page, e-mail and report names it.
type ActivityStatus string

// Activity statuses.
const (
	ActivityDraft            ActivityStatus = "draft"
	ActivityProposed         ActivityStatus = "proposed"
	ActivityUnderReview      ActivityStatus = "under_review"
	ActivityChangesRequested ActivityStatus = "changes_requested"
	ActivityApproved         ActivityStatus = "approved"
	ActivityRejected         ActivityStatus = "rejected"
	ActivityWithdrawn        ActivityStatus = "withdrawn"
	ActivityInExecution      ActivityStatus = "in_execution"
	ActivityCompleted        ActivityStatus = "completed"
	ActivityCancelled        ActivityStatus = "cancelled"
)

// ActivityStatuses lists every activity status in the order of an
// activity's life.
var ActivityStatuses = []ActivityStatus{ActivityDraft, ActivityProposed, ActivityUnderReview,
	ActivityChangesRequested, ActivityApproved, ActivityRejected, ActivityWithdrawn, ActivityInExecution,
	ActivityCompleted, ActivityCancelled}

// Stages of an activity's life.
const (
	StageReview    = "review"
	StageExecution = "execution"
	StageClosed    = "closed"
)

// Stage is the part of its life an activity in this status is in.
func (s ActivityStatus) Stage() string {
	switch s {
	case ActivityApproved, ActivityInExecution:
		return StageExecution
	case ActivityDraft, ActivityProposed, ActivityUnderReview, ActivityChangesRequested:
		return StageReview
	}
	return StageClosed
}

// Live tells whether an activity in this status has a workflow to run: not
// closed, and past its draft (a draft is not yet the committee's business).
func (s ActivityStatus) Live() bool {
	return s != ActivityDraft && s.Stage() != StageClosed
}

// InReview tells whether the committee may still decide on it, so that it
// may be withdrawn.
func (s ActivityStatus) InReview() bool {
	return s == ActivityProposed || s == ActivityUnderReview || s == ActivityChangesRequested
}

// TaskStatus is where a report task stands.
type TaskStatus string

// Report task statuses.
const (
	TaskOpen      TaskStatus = "open"
	TaskOverdue   TaskStatus = "overdue"
	TaskSubmitted TaskStatus = "submitted"
	TaskWaived    TaskStatus = "waived"
	TaskMissing   TaskStatus = "missing"
	// TaskClarification: the secretariat sent a submitted report back
	// with a reason and a new due date; the next submission is a new version.
	TaskClarification TaskStatus = "clarification_requested"
	// TaskAccepted: the secretariat accepted the report; it takes no newer version.
	TaskAccepted TaskStatus = "accepted"
)

// TaskStatuses lists every task status, in the order reports show them.
var TaskStatuses = []TaskStatus{TaskOpen, TaskOverdue, TaskSubmitted, TaskClarification, TaskAccepted, TaskWaived, TaskMissing}

// Answerable tells whether a task in this status still takes a report: a
// submitted one takes a newer version until it is accepted or its cycle
// closes, and one sent back for clarification waits for it.
func (s TaskStatus) Answerable() bool {
	return s == TaskOpen || s == TaskOverdue || s == TaskSubmitted || s == TaskClarification
}

// Ended tells whether the task is over whatever its cycle does: waived or missing.
func (s TaskStatus) Ended() bool {
	return s == TaskWaived || s == TaskMissing
}

// Awaited tells whether the task still waits for a first or a newer
// report: reminders go, and its due date counts.
func (s TaskStatus) Awaited() bool {
	return s == TaskOpen || s == TaskOverdue || s == TaskClarification
}

// Reported tells whether a version of the report is in: submitted and
// awaiting review, sent back for clarification, or accepted.
func (s TaskStatus) Reported() bool {
	return s == TaskSubmitted || s == TaskClarification || s == TaskAccepted
}

// CycleStatus is whether a reporting cycle is open.
type CycleStatus string

// Reporting cycle statuses.
const (
	CycleOpen   CycleStatus = "open"
	CycleClosed CycleStatus = "closed"
)

// Decision is a committee member's vote, and a round's outcome.
type Decision string

// Decisions.
const (
	Approve        Decision = "approve"
	Reject         Decision = "reject"
	RequestChanges Decision = "request_changes"
)

// Decisions lists the votes a member may cast.
var Decisions = []Decision{Approve, Reject, RequestChanges}

// Role is a seat's role on the Executive Committee.
type Role string

// Committee roles.
const (
	Chair  Role = "chair"
	Member Role = "member"
)

// Languages are the Conference's working languages, which every person may
// choose; English is the fallback of a text not yet written in one.
var Languages = []string{"es", "en", "pt", "fr"}

// Language tells whether lang is a working language.
func Language(lang string) bool { return slices.Contains(Languages, lang) }

// ExecutionStatus is what a country says, in a report, of its part of an
// activity.
type ExecutionStatus string

// Execution statuses.
const (
	NotStarted         ExecutionStatus = "not_started"
	OnTrack            ExecutionStatus = "on_track"
	Delayed            ExecutionStatus = "delayed"
	ExecutionCompleted ExecutionStatus = "completed"
	ExecutionCancelled ExecutionStatus = "cancelled"
)

// ExecutionStatuses lists them in the order an activity moves through them.
var ExecutionStatuses = []ExecutionStatus{NotStarted, OnTrack, Delayed, ExecutionCompleted, ExecutionCancelled}

// Words are the values of a list of domain words, as plain strings (for a
// form's choices, say).
func Words[S ~string](ws []S) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}
