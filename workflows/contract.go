// Package workflows holds bienal's state machines: the life of a cooperation
// activity (proposal, committee review, execution), the reporting cycle and
// its report tasks. Names of workflows, signals and queries and the formats
// of workflow IDs below are a contract with operators and their scripts:
// they are documented in the README and never renamed.
package workflows

import "github.com/bienal/bienal/cooperation"

// TaskQueue is the one task queue every bienal worker polls.
const TaskQueue = "bienal"

// Workflow type names.
const (
	ActivityWorkflowName = "Activity"
	CycleWorkflowName    = "ReportingCycle"
	TaskWorkflowName     = "ReportTask"
)

// Signal names.
const (
	SignalVote        = "vote"
	SignalCastingVote = "casting-vote"
	SignalRevise      = "revise"
	SignalWithdraw    = "withdraw"
	SignalComplete    = "complete"
	SignalCancel      = "cancel"
	SignalSubmit      = "submit"
	SignalExtend      = "extend"
	SignalWaive       = "waive"
	SignalClose       = "close"
)

// Query names.
const (
	QueryState    = "state"
	QueryProgress = "progress"
)

// ActivityID is the workflow ID of an activity: activity/<biennium>/<code>.
func ActivityID(biennium, code string) string {
	return cooperation.ActivityID(biennium, code)
}

// CycleID is the workflow ID of a reporting cycle: cycle/<biennium>/<name>.
func CycleID(biennium, name string) string {
	return cooperation.CycleID(biennium, name)
}

// TaskID is the workflow ID of a report task: task/<biennium>/<cycle>/<activity code>/<country>.
func TaskID(biennium, cycle, code, country string) string {
	return cooperation.TaskID(biennium, cycle, code, country)
}
