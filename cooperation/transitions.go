package cooperation

import (
	"fmt"
	"strings"
)

// Transition is one allowed change of status, and what brings it about.
type Transition[S ~string] struct {
	From, To S
	On       string
}

// ActivityTransitions are the changes an activity's status may undergo.
// The Activity workflow makes them; the store writes them.
var ActivityTransitions = []Transition[ActivityStatus]{
	{ActivityDraft, ActivityProposed, "the lead country proposes it"},
	{ActivityProposed, ActivityUnderReview, "a review round opens"},
	{ActivityUnderReview, ActivityApproved, "a majority approves, or the Chair's casting vote"},
	{ActivityUnderReview, ActivityRejected, "a majority rejects, or asks for changes in the last round allowed"},
	{ActivityUnderReview, ActivityChangesRequested, "a majority asks for changes"},
	{ActivityChangesRequested, ActivityUnderReview, "a revised version is stored and the next round opens"},
	{ActivityDraft, ActivityWithdrawn, "the proposer withdraws it"},
	{ActivityProposed, ActivityWithdrawn, "the proposer withdraws it"},
	{ActivityUnderReview, ActivityWithdrawn, "the proposer withdraws it"},
	{ActivityChangesRequested, ActivityWithdrawn, "the proposer withdraws it"},
	{ActivityApproved, ActivityInExecution, "execution starts"},
	{ActivityInExecution, ActivityCompleted, "the lead country reports its completion"},
	{ActivityApproved, ActivityCancelled, "the secretariat cancels it"},
	{ActivityInExecution, ActivityCancelled, "the secretariat cancels it"},
}

// TaskTransitions are the changes a report task's status may undergo.
var TaskTransitions = []Transition[TaskStatus]{
	{TaskOpen, TaskOverdue, "its due date passes unanswered"},
	{TaskOverdue, TaskOpen, "the secretariat extends it"},
	{TaskOpen, TaskSubmitted, "a focal point submits the report"},
	{TaskOverdue, TaskSubmitted, "a focal point submits the report (late)"},
	{TaskSubmitted, TaskSubmitted, "a focal point submits a newer version"},
	{TaskSubmitted, TaskAccepted, "the secretariat accepts the report"},
	{TaskSubmitted, TaskClarification, "the secretariat asks for clarification, with a reason and a new due date"},
	{TaskClarification, TaskSubmitted, "a focal point submits the clarified version"},
	{TaskClarification, TaskAccepted, "the secretariat accepts the version it has"},
	{TaskClarification, TaskWaived, "the secretariat releases the country"},
	{TaskOpen, TaskWaived, "the secretariat releases the country"},
	{TaskOverdue, TaskWaived, "the secretariat releases the country"},
	{TaskOpen, TaskMissing, "the cycle closes"},
	{TaskOverdue, TaskMissing, "the cycle closes"},
}

// CycleTransitions are the changes a reporting cycle's status may undergo.
var CycleTransitions = []Transition[CycleStatus]{
	{CycleOpen, CycleClosed, "its closing date passes, every task is answered, or the secretariat closes it"},
}

// Allowed tells whether ts allow a change from one status to another.
func Allowed[S ~string](ts []Transition[S], from, to S) bool {
	for _, t := range ts {
		if t.From == from && t.To == to {
			return true
		}
	}
	return false
}

// StateMachines writes the three state machines as Markdown, with a
// Mermaid diagram and a table each: docs/state_machine.md is this text.
func StateMachines() string {
	var b strings.Builder
	b.WriteString("# State machines\n\n")
	b.WriteString("Generated from `cooperation/transitions.go` by `go test ./cooperation -run TestStateMachineDoc -update`; a test fails when they differ.\n")
	section(&b, "Activity", ActivityTransitions)
	section(&b, "Report task", TaskTransitions)
	section(&b, "Reporting cycle", CycleTransitions)
	return b.String()
}

func section[S ~string](b *strings.Builder, title string, ts []Transition[S]) {
	fmt.Fprintf(b, "\n## %s\n\n```mermaid\nstateDiagram-v2\n", title)
	for _, t := range ts {
		fmt.Fprintf(b, "    %s --> %s\n", t.From, t.To)
	}
	b.WriteString("```\n\n| from | to | when |\n|---|---|---|\n")
	for _, t := range ts {
		fmt.Fprintf(b, "| `%s` | `%s` | %s |\n", t.From, t.To, t.On)
	}
}
