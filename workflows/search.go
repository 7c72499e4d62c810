package workflows

import (
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/cooperation"
)

// Custom search attributes: what an operator finds workflows by in the
// Temporal Web UI and with `temporal workflow list --query`, for example
// the overdue tasks of Argentina in a cycle:
//
//	BienalBiennium = '2017-2018' AND BienalCycle = 'midterm' AND BienalCountry = 'AR' AND BienalStatus = 'overdue'
//
// They are indexed in the clear (a payload codec does not reach them), so
// they hold only keys and states, never a name or an address. Their names
// are a contract like the workflow names: `bienal dev` registers them, the
// deploy scripts register them on a production namespace, and `bienal
// worker` and `web` refuse to start on a namespace without them.
var (
	// SearchBiennium is the programme's biennium, on every workflow.
	SearchBiennium = temporal.NewSearchAttributeKeyKeyword("BienalBiennium")
	// SearchCycle is the reporting cycle's name, on cycles and tasks.
	SearchCycle = temporal.NewSearchAttributeKeyKeyword("BienalCycle")
	// SearchActivity is the activity's code, on activities and tasks.
	SearchActivity = temporal.NewSearchAttributeKeyKeyword("BienalActivity")
	// SearchCountry is the reporting country of a task.
	SearchCountry = temporal.NewSearchAttributeKeyKeyword("BienalCountry")
	// SearchStatus is the status in cooperation's words: an activity's
	// (under_review, in_execution, ...), a cycle's (open, closed) or a
	// task's (open, overdue, submitted, ...).
	SearchStatus = temporal.NewSearchAttributeKeyKeyword("BienalStatus")
	// SearchDue is a task's due date, as the instant its day begins (UTC).
	SearchDue = temporal.NewSearchAttributeKeyTime("BienalDue")
	// SearchLate tells whether a task's report came after its due date.
	SearchLate = temporal.NewSearchAttributeKeyBool("BienalLate")
)

// SearchAttribute is one custom search attribute with the type it is
// registered with.
type SearchAttribute struct {
	Name string
	Type enumspb.IndexedValueType
}

// SearchAttributes lists every custom search attribute the workflows set,
// in the order the README and the deploy scripts register them.
func SearchAttributes() []SearchAttribute {
	keys := []temporal.SearchAttributeKey{SearchBiennium, SearchCycle, SearchActivity, SearchCountry, SearchStatus, SearchDue, SearchLate}
	out := make([]SearchAttribute, len(keys))
	for i, k := range keys {
		out[i] = SearchAttribute{Name: k.GetName(), Type: k.GetValueType()}
	}
	return out
}

// searchAttributesChange is the change after which workflows upsert their
// search attributes as their state changes: an upsert is a command, which
// histories recorded before it do not have.
const searchAttributesChange = "search-attributes"

// activityStart is what an activity's workflow is found by from its start:
// its status comes once it has read its row.
func activityStart(biennium, code string) (string, temporal.SearchAttributes) {
	return fmt.Sprintf("Activity %s/%s", biennium, code),
		temporal.NewSearchAttributes(SearchBiennium.ValueSet(biennium), SearchActivity.ValueSet(code))
}

// cycleStart is what a cycle's workflow is found by from its start.
func cycleStart(biennium, name string) (string, temporal.SearchAttributes) {
	return fmt.Sprintf("Reporting cycle %s/%s", biennium, name),
		temporal.NewSearchAttributes(SearchBiennium.ValueSet(biennium), SearchCycle.ValueSet(name),
			SearchStatus.ValueSet(string(cooperation.CycleOpen)))
}

// withTaskSearch gives a report task's start what it is found by from the
// first moment (open, due on its cycle's due date) and its summary.
func withTaskSearch(o workflow.ChildWorkflowOptions, in TaskInput) workflow.ChildWorkflowOptions {
	o.StaticSummary = fmt.Sprintf("Report of %s on %s/%s, cycle %s", in.Country, in.Biennium, in.Code, in.Cycle)
	o.StaticDetails = fmt.Sprintf("Cycle %s/%s: due %s, closes %s.", in.Biennium, in.Cycle, in.Due, in.Closes)
	o.TypedSearchAttributes = temporal.NewSearchAttributes(taskAttributes(in, TaskState{Status: cooperation.TaskOpen, Due: in.Due})...)
	return o
}

func taskAttributes(in TaskInput, st TaskState) []temporal.SearchAttributeUpdate {
	ups := []temporal.SearchAttributeUpdate{
		SearchBiennium.ValueSet(in.Biennium), SearchCycle.ValueSet(in.Cycle), SearchActivity.ValueSet(in.Code),
		SearchCountry.ValueSet(in.Country), SearchStatus.ValueSet(string(st.Status)), SearchLate.ValueSet(st.Late),
	}
	if due, err := time.Parse(time.DateOnly, st.Due); err == nil {
		ups = append(ups, SearchDue.ValueSet(due))
	}
	return ups
}

// showState keeps the activity's search attributes and its current details
// (the Web UI's "current details") in step with its state.
func (w *activityWorkflow) showState(ctx workflow.Context) {
	details := fmt.Sprintf("Status %s.", w.st.Status)
	switch {
	case w.st.AwaitingCasting:
		details = fmt.Sprintf("Status %s, round %d: waiting for the Chair's casting vote.", w.st.Status, w.st.Round)
	case w.st.Status == cooperation.ActivityUnderReview && w.roundOpen:
		details = fmt.Sprintf("Status %s, round %d: %d votes, %d needed; voting until %s.", w.st.Status, w.st.Round,
			len(w.st.Votes), w.st.Majority, w.st.Deadline.UTC().Format(time.DateOnly))
	case w.st.Decision != "":
		details = fmt.Sprintf("Status %s: decided %s.", w.st.Status, w.st.Decision)
	}
	workflow.SetCurrentDetails(ctx, details)
	upsertSearch(ctx, w.logger, temporal.NewSearchAttributes(SearchBiennium.ValueSet(w.in.Biennium),
		SearchActivity.ValueSet(w.in.Code), SearchStatus.ValueSet(string(w.st.Status))))
}

// showState keeps the task's search attributes and current details in
// step with its state.
func (t *taskRun) showState(ctx workflow.Context) {
	late := ""
	if t.state.Late {
		late = " (late)"
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("Status %s%s; due %s.", t.state.Status, late, t.state.Due))
	upsertSearch(ctx, t.logger, temporal.NewSearchAttributes(taskAttributes(t.in, t.state)...))
}

// showState keeps the cycle's status search attribute in step with it.
func (c *cycleRun) showState(ctx workflow.Context) {
	status := cooperation.CycleOpen
	if c.closed || c.info.Status == cooperation.CycleClosed {
		status = cooperation.CycleClosed
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("Status %s; due %s, closes %s.", status, c.info.Due, c.info.Closes))
	upsertSearch(ctx, c.logger, temporal.NewSearchAttributes(SearchBiennium.ValueSet(c.in.Biennium),
		SearchCycle.ValueSet(c.in.Name), SearchStatus.ValueSet(string(status))))
}

// upsertSearch sets the attributes of want whose value differs from the
// workflow's, and nothing when none does, so that a step that changes no
// state adds no event. A workflow started before search attributes (its
// start set none) gets them all at its first step after this change.
func upsertSearch(ctx workflow.Context, logger log.Logger, want temporal.SearchAttributes) {
	have := workflow.GetTypedSearchAttributes(ctx)
	var ups []temporal.SearchAttributeUpdate
	for _, k := range []temporal.SearchAttributeKeyKeyword{SearchBiennium, SearchCycle, SearchActivity, SearchCountry, SearchStatus} {
		if v, ok := want.GetKeyword(k); ok {
			if h, had := have.GetKeyword(k); !had || h != v {
				ups = append(ups, k.ValueSet(v))
			}
		}
	}
	if v, ok := want.GetTime(SearchDue); ok {
		if h, had := have.GetTime(SearchDue); !had || !h.Equal(v) {
			ups = append(ups, SearchDue.ValueSet(v))
		}
	}
	if v, ok := want.GetBool(SearchLate); ok {
		if h, had := have.GetBool(SearchLate); !had || h != v {
			ups = append(ups, SearchLate.ValueSet(v))
		}
	}
	if len(ups) == 0 || workflow.GetVersion(ctx, searchAttributesChange, workflow.DefaultVersion, 1) < 1 {
		return
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, ups...); err != nil {
		// Only a key the SDK itself reserves is refused here; a key the
		// namespace lacks fails the workflow task, which is why the parts
		// check the namespace before they start.
		logger.Warn("Search attributes not upserted.", "error", err)
	}
}
