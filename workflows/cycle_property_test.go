package workflows_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

var propertyTasks = [][2]string{{"A1", "CL"}, {"A1", "AR"}, {"A2", "MX"}}

// randomTaskSignal is one signal to a report task as a careless user or an
// attacker could send it. by names the signal uniquely, so that its audit
// line can be found; it is empty for a payload that is not an object.
func (h *cycleHarness) randomTaskSignal(r *rand.Rand, i int, code, country string) (name string, payload any, by string) {
	by = fmt.Sprintf("p%d@x.example", i)
	switch r.IntN(12) {
	case 0:
		return workflows.SignalSubmit, map[string]any{"submission_id": "seven", "by": by}, by
	case 1:
		return workflows.SignalExtend, "not an object", ""
	case 2:
		return workflows.SignalWaive, []byte{0, 1, 2}, ""
	case 3:
		return workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: -int64(r.IntN(5)), By: by}, by
	case 4:
		return workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: 1 << 40, By: by}, by // unknown
	case 5:
		// A submission of another task.
		other := propertyTasks[r.IntN(len(propertyTasks))]
		if sub, ok := h.store(other[0], other[1], by); ok && (other[0] != code || other[1] != country) {
			return workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: sub, By: by}, by
		}
		return workflows.SignalWaive, workflows.WaiveSignal{Reason: "", By: by}, by
	case 6, 7:
		if sub, ok := h.store(code, country, by); ok {
			return workflows.SignalSubmit, workflows.SubmitSignal{SubmissionID: sub, By: by}, by
		}
		return workflows.SignalExtend, workflows.ExtendSignal{Until: "9999-12-31", Reason: "far", By: by}, by
	case 8:
		untils := []string{"2018-07-10", "2018-06-30", "2018-06-01", "2018-08-15", "9999-12-31", "10000-01-31", "tomorrow", ""}
		return workflows.SignalExtend, workflows.ExtendSignal{Until: untils[r.IntN(len(untils))], Reason: "more time", By: by}, by
	case 9:
		return workflows.SignalExtend, workflows.ExtendSignal{Until: "2018-07-20", Reason: "nul\x00byte", By: by}, by
	case 10:
		reasons := []string{"released", "", "nul\x00byte", strings.Repeat("r", 2001)}
		return workflows.SignalWaive, workflows.WaiveSignal{Reason: reasons[r.IntN(len(reasons))], By: by}, by
	}
	return workflows.SignalWaive, map[string]any{"reason": 5, "by": by}, by
}

// store stores a submission as the portal does; false when the task no
// longer takes one.
func (h *cycleHarness) store(code, country, by string) (int64, bool) {
	sub, err := h.s.CreateSubmission(context.Background(), store.NewSubmission{Task: taskKey(code, country),
		Status: "on_track", Progress: "progress", SubmittedBy: by, At: h.env.Now()}, activities.ComposeReceipt)
	if err != nil {
		return 0, false
	}
	return sub.ID, true
}

// TestCyclePropertyNoInputBreaksIt sends random and hostile signals to a
// cycle's tasks and to the cycle itself, in random order, and checks that
// no workflow fails, that the cycle's state equals the task rows, and that
// every signal delivered left an audit line: its effect or its refusal.
func TestCyclePropertyNoInputBreaksIt(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0xc1c1e))
			h := newCycleHarness(t, cycleSeed)
			var delivered []string // the by of each signal delivered to a task
			unnamed, statusRefusals := 0, 0
			for i := range 40 {
				at := cycleStart.Add(time.Duration(i+1) * 19 * time.Hour)
				h.at(at, func() {
					if r.IntN(5) == 0 {
						// A raw task-status from anyone: an unknown task, an unknown status, a wrong type.
						bad := []any{
							workflows.TaskStatusSignal{Code: "ZZ", Country: "CL", Status: "submitted", Due: "2018-06-30"},
							workflows.TaskStatusSignal{Code: "A1", Country: "CL", Status: "done\x00", Due: "2018-06-30"},
							workflows.TaskStatusSignal{Code: "A1", Country: "CL", Status: "submitted", Due: "10000-01-31"},
							map[string]any{"code": []int{1}}, "text",
						}
						h.env.SignalWorkflow(workflows.SignalTaskStatus, bad[r.IntN(len(bad))])
						statusRefusals++
						return
					}
					task := propertyTasks[r.IntN(len(propertyTasks))]
					name, payload, by := h.randomTaskSignal(r, i, task[0], task[1])
					err := h.env.SignalWorkflowByID(workflows.TaskID("2017-2018", "final", task[0], task[1]), name, payload)
					switch {
					case err != nil: // the task has ended: nothing was delivered
					case by == "":
						unnamed++
					default:
						delivered = append(delivered, by)
						t.Logf("%s %s %s/%s %+v", at.Format(time.DateTime), by, task[0], task[1], fmt.Sprintf("%s %.80v", name, payload))
					}
				})
			}
			h.run()

			require.EqualValues(t, cooperation.CycleClosed, h.cycleStatus())
			p := h.progress()
			rows := h.taskStatuses()
			counts := map[cooperation.TaskStatus]int{}
			for _, st := range rows {
				counts[st]++
			}
			for _, st := range cooperation.TaskStatuses {
				require.Equal(t, counts[st], p.Counts[st], "progress counts %s as the rows do", st)
			}
			actors := h.auditActors()
			for _, by := range delivered {
				require.Contains(t, actors, by, "signal from %s left no audit line", by)
			}
			require.Equal(t, unnamed, h.refusedBy("unknown", "task/"), "unreadable task signals are refused")
			require.Equal(t, statusRefusals, h.refusedBy("unknown", "cycle/"), "foreign task-status signals are refused")
		})
	}
}

func (h *cycleHarness) auditActors() map[string]bool {
	rows, err := h.pool.Query(context.Background(), `SELECT DISTINCT actor FROM audit_log`)
	require.NoError(h.t, err)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(h.t, err)
	m := map[string]bool{}
	for _, a := range list {
		m[a] = true
	}
	return m
}

func (h *cycleHarness) refusedBy(actor, subjectPrefix string) int {
	var n int
	require.NoError(h.t, h.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log
		WHERE action = 'signal_refused' AND actor = $1 AND starts_with(subject, $2)`, actor, subjectPrefix).Scan(&n))
	return n
}

// A refused extension or waiver once left its task retrying for ever, so a
// report sent afterwards was never handled; now each is refused and
// audited and the report counts.
func TestTaskRefusedChangesDoNotBlockTheReport(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	h.at(cycleStart.Add(time.Hour), func() {
		h.signalTask("A1", "CL", workflows.SignalExtend, workflows.ExtendSignal{Until: "2018-06-15", Reason: "before due", By: "a@x.example"})
		h.signalTask("A1", "CL", workflows.SignalExtend, workflows.ExtendSignal{Until: "2018-09-01", Reason: "after close", By: "b@x.example"})
		h.signalTask("A1", "CL", workflows.SignalWaive, workflows.WaiveSignal{Reason: "nul\x00", By: "c@x.example"})
	})
	h.at(cycleStart.Add(2*time.Hour), func() { h.submit("A1", "CL", "on_track") })
	h.at(cycleStart.Add(3*time.Hour), func() {
		h.signalTask("A1", "CL", workflows.SignalWaive, workflows.WaiveSignal{Reason: "too late", By: "d@x.example"})
	})
	h.at(cycleStart.Add(4*time.Hour), func() {
		h.submit("A1", "AR", "on_track")
		h.submit("A2", "MX", "on_track")
	})
	h.run()

	require.Equal(t, map[string]cooperation.TaskStatus{"A1/CL": "submitted", "A1/AR": "submitted", "A2/MX": "submitted"}, h.taskStatuses())
	for _, by := range []string{"a@x.example", "b@x.example", "c@x.example", "d@x.example"} {
		require.Equal(t, 1, h.refusedBy(by, "task/"), by)
	}
}

// A closing date past year 9999 once failed every task right after its
// invitation; now the tasks wait for the cycle's close signal.
func TestTaskUnreadableClosingDateDoesNotFailIt(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	h.env.RegisterDelayedCallback(func() {
		h.env.SignalWorkflow(workflows.SignalClose, workflows.CloseSignal{By: "sec@eclac.example"})
	}, time.Hour)
	// No cycle runs here: the task's status reports go nowhere.
	h.env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return(nil)
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.TaskID("2017-2018", "final", "A1", "CL")})
	h.env.ExecuteWorkflow(workflows.TaskWorkflowName, workflows.TaskInput{Biennium: "2017-2018", Cycle: "final",
		Code: "A1", Country: "CL", Due: "9999-12-31", Closes: "10000-01-31"})
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError())
	require.EqualValues(t, "missing", h.taskStatuses()["A1/CL"])
}
