package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// The review of a cycle's reports, over two months of skipped time: the
// secretariat sends one back for clarification with a new due date, the
// focal point sends a second version and it is accepted; a focal point asks
// for more time, is refused, asks again after the due date and is granted
// it. Every refusal names its reason before admission and changes nothing.
func TestTaskReviewPaths(t *testing.T) {
	h := newCycleHarness(t, cycleSeed)
	sec := "sec@eclac.example"
	d := func(s string) time.Time { return day(s).Add(10 * time.Hour) }

	h.at(d("2018-06-11"), func() { h.submit("A1", "CL", "on_track") })
	notSubmitted := h.updateTask(d("2018-06-12"), "A2", "MX", workflows.UpdateAccept, "a0", workflows.AcceptReport{By: sec})
	clarifyOpen := h.updateTask(d("2018-06-12"), "A2", "MX", workflows.UpdateClarify, "c0",
		workflows.ClarifyReport{Reason: "add output 2", Due: "2018-07-20", By: sec})
	past := h.updateTask(d("2018-06-12"), "A1", "CL", workflows.UpdateClarify, "c1",
		workflows.ClarifyReport{Reason: "add output 2", Due: "2018-06-01", By: sec})
	late := h.updateTask(d("2018-06-12"), "A1", "CL", workflows.UpdateClarify, "c2",
		workflows.ClarifyReport{Reason: "add output 2", Due: "2018-08-15", By: sec})
	noReason := h.updateTask(d("2018-06-12"), "A1", "CL", workflows.UpdateClarify, "c3",
		workflows.ClarifyReport{Due: "2018-07-20", By: sec})
	clarified := h.updateTask(d("2018-06-13"), "A1", "CL", workflows.UpdateClarify, "c4",
		workflows.ClarifyReport{Reason: "Please add the results for output 2.", Due: "2018-07-20", By: sec})
	var afterClarify workflows.TaskState
	h.at(d("2018-06-14"), func() { afterClarify = h.taskState("A1", "CL") })
	h.at(d("2018-07-15"), func() { h.submit("A1", "CL", "completed") })
	accepted := h.updateTask(d("2018-07-16"), "A1", "CL", workflows.UpdateAccept, "a1", workflows.AcceptReport{Comment: "Thank you.", By: sec})
	acceptedAgain := h.updateTask(d("2018-07-17"), "A1", "CL", workflows.UpdateAccept, "a2", workflows.AcceptReport{By: sec})

	requested := h.updateTask(d("2018-06-20"), "A2", "MX", workflows.UpdateRequestExtension, "r1",
		workflows.ExtensionRequest{Until: "2018-07-10", Reason: "elections", By: "carla@mx.example"})
	second := h.updateTask(d("2018-06-21"), "A2", "MX", workflows.UpdateRequestExtension, "r2",
		workflows.ExtensionRequest{Until: "2018-07-12", Reason: "elections", By: "carla@mx.example"})
	refused := h.updateTask(d("2018-06-22"), "A2", "MX", workflows.UpdateRefuseExtension, "f1",
		workflows.ExtensionRefusal{Reason: "The Conference needs the report on time.", By: sec})
	noneWaiting := h.updateTask(d("2018-06-23"), "A2", "MX", workflows.UpdateRefuseExtension, "f2",
		workflows.ExtensionRefusal{Reason: "again", By: sec})
	afterDue := h.updateTask(d("2018-07-02"), "A2", "MX", workflows.UpdateRequestExtension, "r3",
		workflows.ExtensionRequest{Until: "2018-07-25", Reason: "the minister signs on the 24th", By: "carla@mx.example"})
	granted := h.updateTask(d("2018-07-03"), "A2", "MX", workflows.UpdateExtend, "x1",
		workflows.ExtendSignal{Until: "2018-07-25", Reason: "granted as asked", By: sec})
	submittedAsks := h.updateTask(d("2018-07-17"), "A1", "CL", workflows.UpdateRequestExtension, "r4",
		workflows.ExtensionRequest{Until: "2018-07-25", Reason: "more", By: "ana@cl.example"})
	leftWaiting := h.updateTask(d("2018-07-05"), "A1", "AR", workflows.UpdateRequestExtension, "r5",
		workflows.ExtensionRequest{Until: "2018-07-30", Reason: "a new minister", By: "bob@ar.example"})
	h.run()

	for name, u := range map[string]*taskUpdate{"accept of an open task": notSubmitted, "clarify of an open task": clarifyOpen,
		"due in the past": past, "due after closing": late, "no reason": noReason, "accepted again": acceptedAgain,
		"a second request": second, "a refusal with none waiting": noneWaiting, "a request on an accepted report": submittedAsks} {
		require.True(t, u.rejected, "%s: refused before admission", name)
	}
	require.Equal(t, "not_submitted", reasonOf(notSubmitted.err))
	require.Equal(t, "not_submitted", reasonOf(clarifyOpen.err))
	require.Equal(t, "due_in_past", reasonOf(past.err))
	require.Equal(t, "after_close_date", reasonOf(late.err))
	require.Equal(t, "invalid_input", reasonOf(noReason.err))
	require.Equal(t, "already_accepted", reasonOf(acceptedAgain.err))
	require.Equal(t, "request_pending", reasonOf(second.err))
	require.Equal(t, "no_request", reasonOf(noneWaiting.err))
	require.Equal(t, "already_accepted", reasonOf(submittedAsks.err))

	require.NoError(t, clarified.err)
	require.Equal(t, cooperation.TaskClarification, clarified.state.Status)
	require.Equal(t, "2018-07-20", clarified.state.Due, "the clarification sets the new due date")
	require.Equal(t, cooperation.TaskClarification, afterClarify.Status)
	require.NoError(t, accepted.err)
	require.Equal(t, cooperation.TaskAccepted, accepted.state.Status)
	require.NoError(t, requested.err)
	require.Equal(t, "2018-07-10", requested.state.RequestedUntil)
	require.NoError(t, refused.err)
	require.Empty(t, refused.state.RequestedUntil)
	require.NoError(t, afterDue.err, "a request after the due date is taken")
	require.Equal(t, cooperation.TaskOverdue, afterDue.state.Status)
	require.NoError(t, granted.err)
	require.Equal(t, cooperation.TaskOpen, granted.state.Status, "granted: open again until the new date")
	require.Equal(t, "2018-07-25", granted.state.Due)
	require.Empty(t, granted.state.RequestedUntil)

	ctx := context.Background()
	subs, err := h.s.ListSubmissions(ctx, taskKey("A1", "CL"))
	require.NoError(t, err)
	require.Len(t, subs, 2, "every version stays")
	reviews, err := h.s.ListReviews(ctx, taskKey("A1", "CL"))
	require.NoError(t, err)
	require.Len(t, reviews, 2)
	require.Equal(t, cooperation.TaskClarification, reviews[0].Decision)
	require.Equal(t, 1, reviews[0].Version)
	require.Equal(t, cooperation.TaskAccepted, reviews[1].Decision)
	require.Equal(t, 2, reviews[1].Version)
	reqs, err := h.s.ListRequests(ctx, taskKey("A2", "MX"))
	require.NoError(t, err)
	require.Len(t, reqs, 2)
	require.Equal(t, store.RequestRefused, reqs[0].Status)
	require.Equal(t, "The Conference needs the report on time.", reqs[0].Answer)
	require.Equal(t, store.RequestGranted, reqs[1].Status)

	require.NoError(t, leftWaiting.err)
	arReqs, err := h.s.ListRequests(ctx, taskKey("A1", "AR"))
	require.NoError(t, err)
	require.Len(t, arReqs, 1)
	require.Equal(t, "withdrawn", arReqs[0].Status, "a request left unanswered is withdrawn when the cycle closes")

	// Closed at its closing date: the accepted report stays accepted, the
	// one never sent (A1/AR) is missing, and so is A2/MX, granted time it did not use.
	require.Equal(t, map[string]cooperation.TaskStatus{"A1/AR": "missing", "A1/CL": "accepted", "A2/MX": "missing"}, h.taskStatuses())
	var text string
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT body_text FROM email WHERE kind = 'clarification_request' AND recipient = 'ana@cl.example'`).Scan(&text))
	require.Contains(t, text, "Please add the results for output 2.")
	require.Contains(t, text, "https://bienal.example/tasks/~link-", "a working link, minted when sent")
	var refusal string
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT body_text FROM email WHERE kind = 'extension_refused' AND recipient = 'carla@mx.example'`).Scan(&refusal))
	require.Contains(t, refusal, "The Conference needs the report on time.")
	var audited int
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN
		('task_clarification_requested', 'task_accepted', 'extension_requested', 'extension_refused')`).Scan(&audited))
	require.Equal(t, 6, audited, "one clarification, one acceptance, three requests, one refusal")
}

func (h *cycleHarness) taskState(code, country string) workflows.TaskState {
	v, err := h.env.QueryWorkflowByID(workflows.TaskID("2017-2018", "final", code, country), workflows.QueryState)
	require.NoError(h.t, err)
	var st workflows.TaskState
	require.NoError(h.t, v.Get(&st))
	return st
}
