package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestActivityRecusedMemberVoteRefused(t *testing.T) {
	h := newHarness(t, "proposed", "MX", "BR")
	h.vote(time.Hour, "mx@mx.gob", DecisionApprove, "recused-vote")
	mid := h.snapshotAt(2 * time.Hour)
	for i, m := range []string{chair, "ar@ar.gob", "co@co.gov"} {
		h.vote(time.Duration(i+3)*time.Hour, m, DecisionReject, "r-"+m)
	}
	res := h.run()

	require.Equal(t, []string{"BR", "MX"}, mid.Recused, "seats, by country")
	require.Equal(t, 3, mid.Majority, "five members entitled")
	require.Empty(t, mid.Votes)
	require.EqualValues(t, "rejected", res.Status)
	require.Equal(t, []string{"recused"}, h.refusals())
	require.Len(t, h.votes(), 3)
	require.Equal(t, []string{"br@br.gov", "mx@mx.gob"}, h.mails("recused"))
	require.Equal(t, []string{"ar@ar.gob", chair, "co@co.gov", "ht@ht.gouv", "jm@jm.gov"}, h.mails("vote_request"))
	require.Equal(t, []string{"fp@mx.gob"}, h.mails("decision"), "proposer and lead focal point, once")
	require.Contains(t, h.mailText("recused/2017-2018/G1A1/1/br@br.gov"), "impedido/a de votar", "in the member's language, Portuguese")
}

func TestActivityNonMemberVoteRefused(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, "stranger@example.org", DecisionApprove, "s1")
	h.vote(2*time.Hour, "ar@ar.gob", "maybe", "bad")
	mid := h.snapshotAt(3 * time.Hour)
	h.signal(4*time.Hour, SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "Merged with G1A2."})
	res := h.run()

	require.Empty(t, mid.Votes)
	require.Equal(t, 2, mid.Refused)
	require.Len(t, mid.Pending, 7)
	require.EqualValues(t, "withdrawn", res.Status)
	require.Equal(t, []string{"not_on_roster", "invalid_decision"}, h.refusals())
	require.Empty(t, h.votes())
}

func TestActivityDuplicateVoteIDCountedOnce(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, "ar@ar.gob", DecisionApprove, "same")
	h.vote(2*time.Hour, "ar@ar.gob", DecisionApprove, "same")
	h.vote(3*time.Hour, chair, DecisionApprove, "c")
	h.vote(4*time.Hour, "mx@mx.gob", DecisionApprove, "m")
	mid := h.snapshotAt(5 * time.Hour)
	h.vote(6*time.Hour, "br@br.gov", DecisionApprove, "b")
	h.signal(7*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	res := h.run()

	require.EqualValues(t, "under_review", mid.Status, "three distinct votes are not a majority")
	require.Len(t, mid.Votes, 3)
	require.EqualValues(t, "completed", res.Status)
	require.Equal(t, DecisionApprove, res.Decision)
	require.Len(t, h.votes(), 4)
	require.Equal(t, []string{"duplicate_vote_id"}, h.refusals())
}

func TestActivityChangedVoteLastCounts(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, "ar@ar.gob", DecisionReject, "first")
	h.vote(2*time.Hour, "ar@ar.gob", DecisionApprove, "second")
	mid := h.snapshotAt(3 * time.Hour)
	for i, m := range []string{chair, "mx@mx.gob", "br@br.gov"} {
		h.vote(time.Duration(i+4)*time.Hour, m, DecisionApprove, "v-"+m)
	}
	h.signal(8*time.Hour, SignalCancel, CancelSignal{By: "secretariat@cepal.org", Reason: "No funds."})
	res := h.run()

	require.Len(t, mid.Votes, 1)
	require.Equal(t, DecisionApprove, mid.Votes[0].Decision)
	require.EqualValues(t, "cancelled", res.Status)
	require.Equal(t, DecisionApprove, res.Decision)
	votes := h.votes()
	require.Len(t, votes, 4)
	for _, v := range votes {
		if v.Member == "ar@ar.gob" {
			require.Equal(t, "second", v.VoteID)
			require.Equal(t, DecisionApprove, v.Decision)
		}
	}
	require.Empty(t, h.refusals())
}

func TestActivityVoteAfterDecisionRefused(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	for i, m := range []string{chair, "mx@mx.gob", "br@br.gov", "ar@ar.gob"} {
		h.vote(time.Duration(i+1)*time.Hour, m, DecisionApprove, "v-"+m)
	}
	h.vote(5*time.Hour, "co@co.gov", DecisionReject, "too-late")
	h.signal(6*time.Hour, SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "Too late to withdraw."})
	h.signal(7*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	res := h.run()

	require.EqualValues(t, "completed", res.Status)
	require.Len(t, h.votes(), 4)
	require.Equal(t, []string{"round_closed", "after_decision"}, h.refusals())
	require.Equal(t, "completed", h.status())
}

func TestActivityRoundsExhaustedRejected(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	requestChanges(h, time.Hour, 1)
	revise(h, 5*time.Hour, "Second version")
	requestChanges(h, 6*time.Hour, 2)
	revise(h, 10*time.Hour, "Third version")
	requestChanges(h, 11*time.Hour, 3)
	res := h.run()

	require.EqualValues(t, "rejected", res.Status)
	require.Equal(t, 3, res.Round)
	require.Equal(t, DecisionReject, res.Decision)
	require.Equal(t, "rounds_exhausted", res.DecidedBy)
	require.Equal(t, "rejected", h.status())
	rounds := h.rounds()
	require.Len(t, rounds, 3)
	require.Equal(t, "rounds_exhausted", rounds[2].DecidedBy)
	require.Len(t, h.votes(), 12)
	require.Equal(t, []string{"fp@ec.gob", "fp@ec.gob"}, h.mails("changes_requested"))
	require.Equal(t, []string{"fp@ec.gob"}, h.mails("decision"))
	require.Len(t, h.mails("vote_request"), 21)
}

func TestActivityWithdrawnDuringReview(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, chair, DecisionApprove, "a")
	h.signal(2*time.Hour, SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "Merged with G1A2."})
	res := h.run()

	require.EqualValues(t, "withdrawn", res.Status)
	require.Equal(t, "withdrawn", h.status())
	st := h.state()
	require.Equal(t, "closed", st.Stage)
	require.Equal(t, "withdrawal", h.rounds()[0].DecidedBy)
	require.Contains(t, h.actions(), "withdrawn")
	var live int
	require.NoError(t, h.pool.QueryRow(h.ctx, `SELECT count(*) FROM link WHERE revoked_at IS NULL`).Scan(&live))
	require.Zero(t, live, "vote links die with the proposal")
}
