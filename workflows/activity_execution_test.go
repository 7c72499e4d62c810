package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

func TestActivityInExecutionCompleted(t *testing.T) {
	h := newHarness(t, "approved", "EC")
	mid := h.snapshotAt(time.Hour)
	h.vote(2*time.Hour, chair, DecisionApprove, "x")
	h.signal(3*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "  "})
	h.signal(4*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Workshop held; report published."})
	res := h.run()

	require.EqualValues(t, "in_execution", mid.Status)
	require.EqualValues(t, "completed", res.Status)
	require.Equal(t, []string{"round_closed", "empty_text"}, h.refusals())
	var statement string
	require.NoError(t, h.pool.QueryRow(h.ctx, `SELECT final_statement FROM activity`).Scan(&statement))
	require.Equal(t, "Workshop held; report published.", statement)
	require.Equal(t, []string{"in_execution", "vote_refused", "signal_refused", "completed"}, h.actions())
	require.Empty(t, h.mails("vote_request"))
}

func TestActivityInExecutionCancelled(t *testing.T) {
	h := newHarness(t, "in_execution", "EC")
	h.signal(time.Hour, SignalRevise, ReviseSignal{RevisionID: "2", By: "fp@ec.gob"})
	h.signal(2*time.Hour, SignalCancel, CancelSignal{By: "secretariat@cepal.org", Reason: "No funds."})
	res := h.run()

	require.EqualValues(t, "cancelled", res.Status)
	require.Equal(t, "cancelled", h.status())
	require.Equal(t, []string{"revision_not_requested"}, h.refusals())
	require.Equal(t, []string{"signal_refused", "cancelled"}, h.actions())
}

func TestActivityClosedStatusReturnsAtOnce(t *testing.T) {
	h := newHarness(t, "rejected", "EC")
	res := h.run()
	require.EqualValues(t, "rejected", res.Status)
	require.Empty(t, h.actions())
}

// When the SDK suggests continuing as new, the workflow drains its signals
// and carries them, with its state, into the next run's input; the next run
// handles them.
func TestActivityContinuesAsNewCarryingSignals(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, chair, DecisionApprove, "kept")
	h.at(2*time.Hour, func() {
		h.env.SetContinueAsNewSuggested(true)
		h.env.SignalWorkflow(SignalVote, VoteSignal{VoteID: "handled", Member: "mx@mx.gob", Decision: DecisionReject})
		h.env.SignalWorkflow(SignalVote, VoteSignal{VoteID: "carried", Member: "br@br.gov", Decision: DecisionApprove})
	})
	h.env.ExecuteWorkflow(Activity, ActivityInput{Biennium: testBiennium, Code: h.code})
	require.True(t, h.env.IsWorkflowCompleted())
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(h.env.GetWorkflowError(), &can))
	require.Equal(t, ActivityWorkflowName, can.WorkflowType.Name)
	var in ActivityInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &in))
	require.NotNil(t, in.Carried)
	require.EqualValues(t, "under_review", in.Carried.State.Status)
	require.Len(t, in.Carried.State.Votes, 2)
	require.Equal(t, []string{"handled", "kept"}, in.Carried.VoteIDs)
	require.Len(t, in.Carried.Queue, 1, "the signal still in its channel is carried, not lost")

	// The next run counts the carried vote first, then takes new ones.
	h.newEnv()
	h.vote(time.Hour, "ar@ar.gob", DecisionApprove, "next1")
	h.vote(2*time.Hour, "co@co.gov", DecisionApprove, "next2")
	h.signal(3*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	h.env.ExecuteWorkflow(Activity, in)
	require.NoError(t, h.env.GetWorkflowError())
	var res ActivityResult
	require.NoError(t, h.env.GetWorkflowResult(&res))
	require.EqualValues(t, "completed", res.Status)
	require.Equal(t, DecisionApprove, res.Decision)
	require.Len(t, h.votes(), 5)
	require.Len(t, h.mails("vote_request"), 7, "the round is not opened again")
}
