package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/workflows"
)

// A report task upserts its search attributes as its state changes, and
// only what changed: all of them at its first step (this one was started
// with none, as a task started before search attributes was), then the
// status when it falls overdue, then the status when the
// cycle's closing date finds it unanswered. Its current details say the
// same for the Web UI.
func TestTaskUpsertsWhatItIsFoundBy(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	var upserts []map[string]any
	h.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		m := map[string]any{}
		for k, v := range sa.GetUntypedValues() {
			m[k.GetName()] = v
		}
		upserts = append(upserts, m)
	}).Return(nil)
	// With a mock set, the task's status signal to its cycle (not running here) needs one too.
	h.env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return(nil)
	var details string
	h.at(dueEnd.Add(time.Hour), func() {
		v, err := h.env.QueryWorkflow("__temporal_workflow_metadata")
		require.NoError(t, err)
		var md sdk.WorkflowMetadata
		require.NoError(t, v.Get(&md))
		details = md.GetCurrentDetails()
	})
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.TaskID("2017-2018", "final", "A1", "AR")})
	h.env.ExecuteWorkflow(workflows.TaskWorkflowName, workflows.TaskInput{Biennium: "2017-2018", Cycle: "final",
		Code: "A1", Country: "AR", Due: "2018-06-30", Closes: "2018-07-31"})
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())

	require.Equal(t, []map[string]any{
		{"BienalBiennium": "2017-2018", "BienalCycle": "final", "BienalActivity": "A1", "BienalCountry": "AR",
			"BienalStatus": "open", "BienalLate": false, "BienalDue": day("2018-06-30")},
		{"BienalStatus": "overdue"},
		{"BienalStatus": "missing"},
	}, upserts)
	require.Equal(t, "Status overdue; due 2018-06-30.", details)
}
