package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A comment with a NUL byte or a vote ID over 200 characters once failed
// the activity for good; now each is refused and audited, and the votes
// after them decide the round.
func TestActivityVoteWithNULOrLongIDIsRefusedAndReviewGoesOn(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.signal(time.Hour, SignalVote, VoteSignal{VoteID: "nul", Member: chair, Decision: DecisionApprove, Comment: "a\x00b"})
	h.signal(2*time.Hour, SignalVote, VoteSignal{VoteID: strings.Repeat("v", 201), Member: "ar@ar.gob", Decision: DecisionApprove})
	for i, m := range []string{chair, "ar@ar.gob", "mx@mx.gob", "br@br.gov"} {
		h.vote(time.Duration(i+3)*time.Hour, m, DecisionReject, "ok-"+m)
	}
	res := h.run()

	require.EqualValues(t, "rejected", res.Status)
	require.Equal(t, []string{"invalid_input", "invalid_input"}, h.refusals())
	require.Len(t, h.votes(), 4)
}

// Votes that arrive with the one that decides are refused and audited,
// not dropped with the workflow's end.
func TestActivityVotesQueuedAtTheDecisionAreAudited(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	for i, m := range []string{chair, "ar@ar.gob", "mx@mx.gob"} {
		h.vote(time.Duration(i+1)*time.Hour, m, DecisionReject, "r-"+m)
	}
	h.at(4*time.Hour, func() {
		h.env.SignalWorkflow(SignalVote, VoteSignal{VoteID: "decides", Member: "br@br.gov", Decision: DecisionReject})
		h.env.SignalWorkflow(SignalVote, VoteSignal{VoteID: "late-1", Member: "co@co.gov", Decision: DecisionApprove})
		h.env.SignalWorkflow(SignalVote, VoteSignal{VoteID: "late-2", Member: "ht@ht.gouv", Decision: DecisionApprove})
	})
	res := h.run()

	require.EqualValues(t, "rejected", res.Status)
	require.Equal(t, []string{"round_closed", "round_closed"}, h.refusals())
}
