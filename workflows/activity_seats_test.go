package workflows

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/workflow"
)

// Argentina's seat has an alternate besides its principal.
const alternateSQL = `INSERT INTO person (email, name, language, country) VALUES ('alt@ar.gob', 'Argentina alternate', 'es', 'AR');
INSERT INTO seat_delegate (biennium, country, email, kind) VALUES ('2017-2018', 'AR', 'alt@ar.gob', 'alternate');`

func (h *harness) exec(sql string) {
	h.t.Helper()
	_, err := h.pool.Exec(h.ctx, sql)
	require.NoError(h.t, err)
}

// The alternate casts Argentina's vote, then the principal changes it: the
// seat has one vote, the last, and the tally counts the seat once. The
// workflow's state names seats and IDs, never an address.
func TestActivitySeatVoteLastOfItsDelegatesCounts(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.exec(alternateSQL)
	h.vote(time.Hour, "alt@ar.gob", DecisionReject, "alt-1")
	first := h.snapshotAt(2 * time.Hour)
	h.vote(3*time.Hour, "ar@ar.gob", DecisionApprove, "ar-1")
	second := h.snapshotAt(4 * time.Hour)
	for i, m := range []string{chair, "mx@mx.gob", "br@br.gov"} {
		h.vote(time.Duration(i+5)*time.Hour, m, DecisionApprove, "v-"+m)
	}
	final := h.snapshotAt(9 * time.Hour)
	h.signal(10*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	res := h.run()

	require.Len(t, first.Votes, 1)
	require.Equal(t, "AR", first.Votes[0].Seat)
	require.Equal(t, h.ballot("alt@ar.gob", "", "").Member, first.Votes[0].Member, "cast by the alternate, named by ID")
	require.Len(t, second.Votes, 1, "the principal's vote replaces the alternate's: one vote for the seat")
	require.Equal(t, DecisionApprove, second.Votes[0].Decision)
	require.NotContains(t, second.Pending, "AR")
	require.EqualValues(t, "in_execution", final.Status, "four seats approve: the majority")
	require.EqualValues(t, "completed", res.Status)
	votes := h.votes()
	require.Len(t, votes, 4, "one row per seat")
	for _, v := range votes {
		if v.Seat == "AR" {
			require.Equal(t, "ar@ar.gob", v.Member, "Postgres keeps who cast it")
		}
	}
	b, err := json.Marshal([]ActivityState{*first, *second, *final})
	require.NoError(t, err)
	require.NotContains(t, string(b), "@", "no address in the workflow's state")
	require.Contains(t, h.mails("vote_request"), "alt@ar.gob", "the alternate is asked to vote too")
	require.Equal(t, h.mails("vote_request"), h.mails("round_decided"), "every seat's delegates hear the outcome")
	require.Contains(t, h.mailText("round_decided/2017-2018/G1A1/1/jm@jm.gov"), "Votes: 4 to approve, 0 to reject, 0 to request changes.")
}

// A vote in the released payload (an address, no seat) is the seat's that
// address speaks for.
func TestActivityVoteByAddressCountsForItsSeat(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.exec(alternateSQL)
	h.signal(time.Hour, SignalVote, VoteSignal{VoteID: "old-1", Member: "Alt@AR.gob ", Decision: DecisionApprove})
	mid := h.snapshotAt(2 * time.Hour)
	h.signal(3*time.Hour, SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "Withdrawn."})
	h.run()

	require.Len(t, mid.Votes, 1)
	require.Equal(t, "AR", mid.Votes[0].Seat)
	require.False(t, strings.Contains(mid.Votes[0].Member, "@"), "counted under the voter's ID")
	require.Equal(t, "alt@ar.gob", h.votes()[0].Member)
}

// A run begun before seats holds its round by addresses; a vote naming a
// seat turns that round into seats (read back from Postgres) and counts,
// keeping the votes already in.
func TestActivityRoundOfAddressesTakesSeatVotes(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.env.OnGetVersion(committeeSeats, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	h.signal(time.Hour, SignalVote, VoteSignal{VoteID: "old-chair", Member: chair, Decision: DecisionApprove})
	before := h.snapshotAt(2 * time.Hour)
	h.vote(3*time.Hour, "mx@mx.gob", DecisionApprove, "seat-mx")
	after := h.snapshotAt(4 * time.Hour)
	h.vote(5*time.Hour, "br@br.gov", DecisionApprove, "seat-br")
	h.vote(6*time.Hour, "ar@ar.gob", DecisionApprove, "seat-ar")
	h.signal(7*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	res := h.run()

	require.Equal(t, chair, before.Chair, "the round of a run begun before seats names addresses")
	require.Len(t, before.Votes, 1)
	require.Equal(t, "CL", after.Chair, "read back as seats")
	require.Len(t, after.Votes, 2, "the Chair's vote, now its seat's, and Mexico's")
	require.EqualValues(t, "completed", res.Status)
	require.Equal(t, DecisionApprove, res.Decision)
	require.Len(t, h.votes(), 4)
}
