package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/bienal/bienal/cooperation"
)

// updateResult is what one vote update got: rejected by the validator
// (no history), or accepted and then answered.
type updateResult struct {
	rejected, accepted bool
	err                error
	answer             VoteAnswer
}

// voteUpdate sends a vote as an update at d and records what it got.
func (h *harness) voteUpdate(d time.Duration, name, member, decision, voteID string) *updateResult {
	r := &updateResult{}
	h.at(d, func() {
		h.env.UpdateWorkflow(name, voteID, &testsuite.TestUpdateCallback{
			OnAccept: func() { r.accepted = true },
			OnReject: func(err error) { r.rejected, r.err = true, err },
			OnComplete: func(v any, err error) {
				r.err = err
				if a, ok := v.(VoteAnswer); ok {
					r.answer = a
				}
			},
		}, h.ballot(member, decision, voteID))
	})
	return r
}

// refusalReason is the reason a refused update carries, or "".
func refusalReason(err error) string {
	r, _ := RefusalOf(err)
	return r.Reason
}

// A vote sent as an update is answered: refused before admission when the
// state already refuses it (recused, not on the roster, a vote ID seen),
// counted otherwise, and the vote that decides the round says so.
func TestActivityVoteUpdatesAreAnswered(t *testing.T) {
	h := newHarness(t, "proposed", "MX", "BR")
	recused := h.voteUpdate(time.Hour, UpdateVote, "mx@mx.gob", DecisionApprove, "u-recused")
	stranger := h.voteUpdate(time.Hour+time.Minute, UpdateVote, "stranger@example.org", DecisionApprove, "u-stranger")
	first := h.voteUpdate(2*time.Hour, UpdateVote, "ar@ar.gob", DecisionReject, "u-ar")
	again := h.voteUpdate(2*time.Hour+time.Minute, UpdateVote, "ar@ar.gob", DecisionReject, "u-ar")
	nul := h.voteUpdate(2*time.Hour+2*time.Minute, UpdateVote, "co@co.gov", DecisionReject, "bad\x00id")
	casting := h.voteUpdate(2*time.Hour+3*time.Minute, UpdateCastingVote, chair, DecisionReject, "u-casting")
	h.vote(3*time.Hour, chair, DecisionReject, "s-chair") // a signal, counted in the same order
	seen := h.voteUpdate(3*time.Hour+time.Minute, UpdateVote, chair, DecisionReject, "s-chair")
	decider := h.voteUpdate(4*time.Hour, UpdateVote, "co@co.gov", DecisionReject, "u-co")
	res := h.run()

	require.EqualValues(t, "rejected", res.Status)
	for name, r := range map[string]*updateResult{"recused": recused, "stranger": stranger,
		"nul": nul, "casting": casting, "seen": seen} {
		require.True(t, r.rejected, "%s rejected before admission", name)
		require.False(t, r.accepted, name)
	}
	require.Equal(t, "recused", refusalReason(recused.err))
	require.Equal(t, "not_on_roster", refusalReason(stranger.err))
	require.NoError(t, again.err, "the same update sent twice gets the first one's answer")
	require.Equal(t, "u-ar", again.answer.VoteID)
	require.Equal(t, "invalid_input", refusalReason(nul.err))
	require.Equal(t, "duplicate_vote_id", refusalReason(seen.err), "a vote ID already counted from a signal")
	require.Equal(t, "casting_not_requested", refusalReason(casting.err))

	require.True(t, first.accepted)
	require.NoError(t, first.err)
	require.Equal(t, VoteAnswer{VoteID: "u-ar", Round: 1}, first.answer)
	require.True(t, decider.accepted)
	require.NoError(t, decider.err)
	require.Equal(t, "reject", decider.answer.Outcome, "the vote that made the majority says so")

	require.Len(t, h.votes(), 3)
	require.Empty(t, h.refusals(), "an update refused before admission leaves nothing to audit in the workflow")
}

// After the committee asks for changes the round is closed: a vote update
// is refused before admission, while the workflow waits for the revision.
func TestActivityVoteUpdateAfterDecisionRefused(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	for i, m := range []string{chair, "ar@ar.gob", "mx@mx.gob", "br@br.gov"} {
		h.vote(time.Duration(i+1)*time.Hour, m, DecisionRequestChanges, "rc-"+m)
	}
	late := h.voteUpdate(6*time.Hour, UpdateVote, "co@co.gov", DecisionApprove, "u-late")
	h.signal(7*time.Hour, SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "Withdrawn."})
	res := h.run()

	require.EqualValues(t, "withdrawn", res.Status)
	require.True(t, late.rejected)
	require.Equal(t, "round_closed", refusalReason(late.err))
	require.Len(t, h.votes(), 4)
}

// A vote sent the moment a proposal arrives, before its round is open, is
// admitted and counted once the round opens, as a signalled vote is.
func TestActivityVoteUpdateBeforeTheRoundOpens(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	early := h.voteUpdate(0, UpdateVote, chair, DecisionApprove, "u-early")
	h.signal(time.Hour, SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "Withdrawn."})
	res := h.run()

	require.Equal(t, cooperation.ActivityWithdrawn, res.Status)
	require.True(t, early.accepted, "%+v", early)
	require.NoError(t, early.err)
	require.Len(t, h.votes(), 1)
}

// changeUpdate sends one of the activity's change updates at d.
func (h *harness) changeUpdate(d time.Duration, name, id string, payload any) *updateResult {
	r := &updateResult{}
	h.at(d, func() {
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnAccept:   func() { r.accepted = true },
			OnReject:   func(err error) { r.rejected, r.err = true, err },
			OnComplete: func(_ any, err error) { r.err = err },
		}, payload)
	})
	return r
}

// The activity's other changes are answered too: a completion while under
// review and a revision nobody asked for are refused before admission; a
// withdrawal in review is made and answered.
func TestActivityChangeUpdatesAreAnswered(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	complete := h.changeUpdate(time.Hour, UpdateComplete, "c1", CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	revise := h.changeUpdate(time.Hour, UpdateRevise, "r1", ReviseSignal{By: "fp@ec.gob", RevisionID: "rev-1"})
	blank := h.changeUpdate(time.Hour, UpdateWithdraw, "w0", WithdrawSignal{By: "fp@ec.gob", Reason: "bad\x00reason"})
	withdraw := h.changeUpdate(2*time.Hour, UpdateWithdraw, "w1", WithdrawSignal{By: "fp@ec.gob", Reason: "Merged with G1A2."})
	res := h.run()

	require.Equal(t, cooperation.ActivityWithdrawn, res.Status)
	require.True(t, complete.rejected)
	require.Equal(t, "not_in_execution", refusalReason(complete.err))
	require.True(t, revise.rejected)
	require.Equal(t, "revision_not_requested", refusalReason(revise.err))
	require.True(t, blank.rejected)
	require.Equal(t, "invalid_input", refusalReason(blank.err))
	require.True(t, withdraw.accepted)
	require.NoError(t, withdraw.err)
}
