package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/workflows"
)

type taskUpdate struct {
	rejected, accepted, completed bool
	err                           error
	state                         workflows.TaskState
}

// updateTask sends a task update at instant and records what it got.
func (h *cycleHarness) updateTask(instant time.Time, code, country, name, id string, payload any) *taskUpdate {
	u := &taskUpdate{}
	h.at(instant, func() {
		err := h.env.UpdateWorkflowByID(workflows.TaskID("2017-2018", "final", code, country), name, id,
			&testsuite.TestUpdateCallback{
				OnAccept: func() { u.accepted = true },
				OnReject: func(err error) { u.rejected, u.err = true, err },
				OnComplete: func(v any, err error) {
					u.completed, u.err = true, err
					if st, ok := v.(workflows.TaskState); ok {
						u.state = st
					}
				},
			}, payload)
		if err != nil { // the task has ended: the server answers so
			u.err = err
		}
	})
	return u
}

func reasonOf(err error) string {
	r, _ := workflows.RefusalOf(err)
	return r.Reason
}

// The secretariat's extension and waiver sent as updates are answered at
// once: refused before admission when the task's state refuses them (a day
// not after the due date or after the closing date, a waiver of a task
// already submitted), and otherwise answered with the task's new state.
func TestTaskUpdatesAreAnswered(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	sec := "sec@eclac.example"
	early := cycleStart.Add(20 * 24 * time.Hour)
	before := h.updateTask(early, "A1", "CL", workflows.UpdateExtend, "x1", workflows.ExtendSignal{Until: "2018-06-01", Reason: "elections", By: sec})
	after := h.updateTask(early, "A1", "CL", workflows.UpdateExtend, "x2", workflows.ExtendSignal{Until: "2018-09-01", Reason: "elections", By: sec})
	noReason := h.updateTask(early, "A1", "CL", workflows.UpdateExtend, "x3", workflows.ExtendSignal{Until: "2018-07-15", By: sec})
	extended := h.updateTask(early.Add(time.Hour), "A1", "CL", workflows.UpdateExtend, "x4", workflows.ExtendSignal{Until: "2018-07-15", Reason: "elections", By: sec})
	waived := h.updateTask(early.Add(time.Hour), "A2", "MX", workflows.UpdateWaive, "w1", workflows.WaiveSignal{Reason: "activity suspended", By: sec})
	waivedAgain := h.updateTask(early.Add(2*time.Hour), "A2", "MX", workflows.UpdateWaive, "w2", workflows.WaiveSignal{Reason: "again", By: sec})
	h.at(early.Add(3*time.Hour), func() { h.submit("A1", "AR", "on_track") })
	submitted := h.updateTask(early.Add(4*time.Hour), "A1", "AR", workflows.UpdateWaive, "w3", workflows.WaiveSignal{Reason: "mistake", By: sec})
	h.at(day("2018-07-10"), func() { h.submit("A1", "CL", "completed") })
	h.run()

	for name, u := range map[string]*taskUpdate{"before": before, "after": after, "no reason": noReason, "submitted": submitted} {
		require.True(t, u.rejected, "%s refused before admission", name)
	}
	require.Equal(t, "not_after_due", reasonOf(before.err))
	require.Equal(t, "after_close_date", reasonOf(after.err))
	require.Contains(t, before.err.Error(), "not after the due date 2018-06-30")
	require.Contains(t, after.err.Error(), "after the cycle's closing date 2018-07-31")
	require.Equal(t, "invalid_input", reasonOf(noReason.err))
	require.Equal(t, "already_submitted", reasonOf(submitted.err))

	require.True(t, extended.accepted)
	require.NoError(t, extended.err)
	require.Equal(t, "2018-07-15", extended.state.Due, "the answer is the task's new state")
	require.NoError(t, waived.err)
	require.Equal(t, cooperation.TaskWaived, waived.state.Status)
	// The task ended with its waiver: what comes after finds it closed.
	require.Error(t, waivedAgain.err)
	require.False(t, waivedAgain.accepted)

	require.Equal(t, map[string]cooperation.TaskStatus{"A1/AR": "submitted", "A1/CL": "submitted", "A2/MX": "waived"}, h.taskStatuses())
}
