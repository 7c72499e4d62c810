package workflows_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/workflows"
)

// randomReview is one review update as a careless or hostile sender could
// send it: wrong states, dates no calendar has, reasons too long or with a
// NUL, payloads of the wrong shape.
func randomReview(r *rand.Rand, by string) (name string, payload any) {
	days := []string{"2018-07-20", "2018-06-01", "2018-08-15", "9999-12-31", "10000-01-31", "tomorrow", ""}
	reasons := []string{"add output 2", "", "nul\x00byte", strings.Repeat("r", cooperation.MaxReason+1)}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	switch r.IntN(9) {
	case 0:
		return workflows.UpdateAccept, workflows.AcceptReport{Comment: pick(reasons), By: by}
	case 1:
		return workflows.UpdateClarify, workflows.ClarifyReport{Reason: pick(reasons), Due: pick(days), By: by}
	case 2:
		return workflows.UpdateRequestExtension, workflows.ExtensionRequest{Until: pick(days), Reason: pick(reasons), By: by}
	case 3:
		return workflows.UpdateRefuseExtension, workflows.ExtensionRefusal{Reason: pick(reasons), By: by}
	case 4:
		return workflows.UpdateClarify, map[string]any{"reason": 7, "due": []int{1}}
	case 5:
		return workflows.UpdateAccept, "not an object"
	case 6:
		return workflows.UpdateExtend, workflows.ExtendSignal{Until: pick(days), Reason: pick(reasons), By: by}
	case 7:
		return workflows.UpdateWaive, workflows.WaiveSignal{Reason: pick(reasons), By: by}
	}
	return workflows.UpdateClarify, workflows.ClarifyReport{Reason: "add output 2", Due: "2018-07-20", By: by}
}

// TestTaskReviewPropertyNoUpdateBreaksIt sends random and hostile review
// updates to a cycle's tasks, among submissions, and checks that no
// workflow fails, that every update is answered (taken or refused with a
// known reason, never left waiting), and that the cycle's state equals the
// task rows.
func TestTaskReviewPropertyNoUpdateBreaksIt(t *testing.T) {
	known := map[string]bool{"not_submitted": true, "already_accepted": true, "due_in_past": true,
		"request_pending": true, "no_request": true, "already_submitted": true, "task_closed": true, "invalid_input": true,
		"not_after_due": true, "after_close_date": true, "not_stored": true}
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0x7e51e))
			h := newCycleHarness(t, cycleSeed)
			var sent []*taskUpdate
			for i := range 36 {
				at := cycleStart.Add(time.Duration(i+1) * 23 * time.Hour)
				task := propertyTasks[r.IntN(len(propertyTasks))]
				if r.IntN(4) == 0 {
					h.at(at, func() { h.store(task[0], task[1], fmt.Sprintf("fp%d@x.example", i)) })
					h.at(at.Add(time.Minute), func() {
						st, err := h.s.ListSubmissions(t.Context(), taskKey(task[0], task[1]))
						if err == nil && len(st) > 0 {
							h.signalTask(task[0], task[1], workflows.SignalSubmit,
								workflows.SubmitSignal{SubmissionID: st[len(st)-1].ID, By: st[len(st)-1].SubmittedBy})
						}
					})
					continue
				}
				name, payload := randomReview(r, fmt.Sprintf("p%d@x.example", i))
				sent = append(sent, h.updateTask(at, task[0], task[1], name, fmt.Sprint("u", i), payload))
			}
			h.run()

			taken, refused := 0, 0
			for i, u := range sent {
				switch {
				case u.accepted && u.completed && u.err == nil:
					taken++
				case u.rejected || u.completed:
					refused++
					if reason := reasonOf(u.err); reason != "" {
						require.True(t, known[reason], "update %d: unknown reason %q", i, reason)
					}
				case u.err != nil:
					refused++ // sent to a task that had ended: the server answers so
				default:
					t.Fatalf("update %d was never answered", i)
				}
			}
			require.Equal(t, len(sent), taken+refused)
			t.Logf("%d updates: %d taken, %d refused", len(sent), taken, refused)
			require.EqualValues(t, cooperation.CycleClosed, h.cycleStatus())
			p := h.progress()
			counts := map[cooperation.TaskStatus]int{}
			for _, st := range h.taskStatuses() {
				counts[st]++
			}
			for _, st := range cooperation.TaskStatuses {
				require.Equal(t, counts[st], p.Counts[st], "progress counts %s as the rows do", st)
			}
		})
	}
}
