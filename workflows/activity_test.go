package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

const day = 24 * time.Hour

func TestActivityApprovedByMajority(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	for i, m := range []string{chair, "mx@mx.gob", "br@br.gov", "ar@ar.gob"} {
		h.vote(time.Duration(i+1)*time.Hour, m, DecisionApprove, "v-"+m)
	}
	mid := h.snapshotAt(5 * time.Hour)
	h.signal(6*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	res := h.run()

	require.EqualValues(t, "in_execution", mid.Status)
	require.Equal(t, "execution", mid.Stage)
	require.Equal(t, DecisionApprove, mid.Decision)
	require.Equal(t, "majority", mid.DecidedBy)
	require.Equal(t, 4, mid.Majority)
	require.Len(t, mid.Votes, 4)
	require.Equal(t, "CL", mid.Chair, "the Chair's seat")
	require.EqualValues(t, "completed", res.Status)
	require.Equal(t, "completed", h.status())
	r := h.rounds()
	require.Len(t, r, 1)
	require.Equal(t, "approve", r[0].Outcome)
	require.Equal(t, "majority", r[0].DecidedBy)
	require.Len(t, r[0].Seats, 7)
	require.Len(t, h.votes(), 4)
	require.Equal(t, []string{"review_opened", "vote_counted", "vote_counted", "vote_counted", "vote_counted",
		"approved", "in_execution", "completed"}, h.actions())
	require.Equal(t, committee(), h.mails("vote_request"))
	require.Equal(t, []string{"fp@ec.gob"}, h.mails("decision"))
	require.Empty(t, h.mails("recused"))
	text := h.mailText("vote_request/2017-2018/G1A1/1/jm@jm.gov")
	require.Contains(t, text, "https://bienal.example/vote/")
	require.Contains(t, h.mailText("vote_request/2017-2018/G1A1/1/ht@ht.gouv"), "Votre vote")
	var ics string
	require.NoError(t, h.pool.QueryRow(h.ctx, `SELECT convert_from(decode(attachments->0->>'content', 'base64'), 'UTF8')
		FROM email WHERE dedup_key = 'vote_request/2017-2018/G1A1/1/jm@jm.gov'`).Scan(&ics))
	require.Contains(t, ics, "UID:vote/2017-2018/G1A1/1@bienal")
}

func TestActivityRejectedByMajority(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, chair, DecisionApprove, "a1")
	for i, m := range []string{"mx@mx.gob", "br@br.gov", "ar@ar.gob", "co@co.gov"} {
		h.vote(time.Duration(i+2)*time.Hour, m, DecisionReject, "r-"+m)
	}
	res := h.run()

	require.EqualValues(t, "rejected", res.Status)
	require.Equal(t, DecisionReject, res.Decision)
	require.Equal(t, "majority", res.DecidedBy)
	require.Equal(t, "rejected", h.status())
	st := h.state()
	require.Equal(t, "closed", st.Stage)
	require.Len(t, st.Votes, 5)
	require.Empty(t, st.Pending)
	require.Equal(t, "reject", h.rounds()[0].Outcome)
	require.Len(t, h.votes(), 5)
	require.Contains(t, h.actions(), "rejected")
	require.NotContains(t, h.actions(), "approved")
	require.Equal(t, []string{"fp@ec.gob"}, h.mails("decision"))
	require.Contains(t, h.mailText("decision/2017-2018/G1A1/1/fp@ec.gob"), "rechazada")
}

// requestChanges has four members ask for changes from start onwards.
func requestChanges(h *harness, start time.Duration, round int) {
	for i, m := range []string{"mx@mx.gob", "br@br.gov", "ar@ar.gob", "co@co.gov"} {
		h.signal(start+time.Duration(i)*time.Hour, SignalVote, VoteSignal{VoteID: "rc" + string(rune('0'+round)) + m,
			Member: m, Decision: DecisionRequestChanges, Comment: "Round " + string(rune('0'+round)) + " note of " + m})
	}
}

// revise stores a new version and signals it at d.
func revise(h *harness, d time.Duration, title string) {
	h.at(d, func() {
		v, err := h.s.ReviseActivity(h.ctx, testBiennium, h.code, store.ProposalFields{Title: title,
			Description: "A workshop.\nAnd a report.", ExpectedOutputs: []string{"One report"}}, "fp@ec.gob")
		require.NoError(h.t, err)
		h.env.SignalWorkflow(SignalRevise, ReviseSignal{RevisionID: string(rune('0' + v)), By: "fp@ec.gob"})
	})
}

func TestActivityChangesRequestedRevisedApproved(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	requestChanges(h, time.Hour, 1)
	between := h.snapshotAt(5 * time.Hour)
	// A revise signal before a new version is stored is refused.
	h.signal(5*time.Hour+time.Minute, SignalRevise, ReviseSignal{RevisionID: "x", By: "fp@ec.gob"})
	revise(h, 6*time.Hour, "Regional digital agenda, revised")
	for i, m := range []string{chair, "mx@mx.gob", "br@br.gov", "ar@ar.gob"} {
		h.vote(7*time.Hour+time.Duration(i)*time.Hour, m, DecisionApprove, "r2-"+m)
	}
	after := h.snapshotAt(12 * time.Hour)
	h.signal(13*time.Hour, SignalCancel, CancelSignal{By: "secretariat@cepal.org", Reason: "Funding withdrawn."})
	res := h.run()

	require.EqualValues(t, "changes_requested", between.Status)
	require.Equal(t, DecisionRequestChanges, between.Decision)
	require.EqualValues(t, "in_execution", after.Status)
	require.Equal(t, 2, after.Round)
	require.Len(t, after.Votes, 4, "fresh votes in round 2")
	require.EqualValues(t, "cancelled", res.Status)
	rounds := h.rounds()
	require.Len(t, rounds, 2)
	require.Equal(t, "request_changes", rounds[0].Outcome)
	require.Equal(t, 1, rounds[0].Version)
	require.Equal(t, 2, rounds[1].Version)
	require.Equal(t, "approve", rounds[1].Outcome)
	require.Len(t, h.votes(), 8)
	require.Equal(t, []string{"fp@ec.gob"}, h.mails("changes_requested"))
	cr := h.mailText("changes_requested/2017-2018/G1A1/1/fp@ec.gob")
	require.Contains(t, cr, "Round 1 note of br@br.gov")
	require.Contains(t, cr, "https://bienal.example/revise/")
	v2 := h.mailText("vote_request/2017-2018/G1A1/2/jm@jm.gov")
	require.Contains(t, v2, "Changes since the previous version")
	require.Contains(t, v2, "+ Regional digital agenda, revised")
	require.Contains(t, v2, "+ And a report.")
	require.Len(t, h.mails("vote_request"), 14)
	require.Equal(t, []string{"no_new_version"}, h.refusals())
	require.Contains(t, h.actions(), "revised")
}

func TestActivityCastingVoteAfterPeriodWithoutMajority(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.vote(time.Hour, "mx@mx.gob", DecisionApprove, "c1")
	h.vote(2*time.Hour, "br@br.gov", DecisionApprove, "c2")
	h.vote(3*time.Hour, "ar@ar.gob", DecisionReject, "c3")
	h.vote(4*time.Hour, "co@co.gov", DecisionReject, "c4")
	h.vote(5*time.Hour, "jm@jm.gov", DecisionRequestChanges, "c5")
	before := h.snapshotAt(13 * day)
	// A casting vote before the period ends, and one from a member, are refused.
	h.signal(13*day+time.Hour, SignalCastingVote, VoteSignal{VoteID: "early", Member: chair, Decision: DecisionApprove})
	waiting := h.snapshotAt(15 * day)
	var flagged bool
	h.at(15*day+time.Minute, func() {
		require.NoError(t, h.pool.QueryRow(h.ctx, `SELECT awaiting_casting FROM review_round WHERE round = 1`).Scan(&flagged))
	})
	h.signal(15*day+time.Hour, SignalCastingVote, VoteSignal{VoteID: "m1", Member: "mx@mx.gob", Decision: DecisionReject})
	h.signal(15*day+2*time.Hour, SignalVote, VoteSignal{VoteID: "late", Member: "ht@ht.gouv", Decision: DecisionApprove})
	h.signal(15*day+3*time.Hour, SignalCastingVote, VoteSignal{VoteID: "cast", Member: chair, Decision: DecisionApprove, Comment: "Casting."})
	h.signal(16*day, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	res := h.run()

	require.False(t, before.AwaitingCasting)
	require.Equal(t, []string{"CL", "HT"}, before.Pending, "seats still to vote")
	require.True(t, waiting.AwaitingCasting)
	require.True(t, flagged, "the reminder sweep sees the round awaiting the casting vote")
	require.EqualValues(t, "completed", res.Status)
	require.Equal(t, DecisionApprove, res.Decision)
	require.Equal(t, "chair", res.DecidedBy)
	r := h.rounds()[0]
	require.Equal(t, "chair", r.DecidedBy)
	require.False(t, r.AwaitingCasting)
	require.Equal(t, []string{chair}, h.mails("casting_request"))
	require.Contains(t, h.mailText("casting_request/2017-2018/G1A1/1/chair@cl.gob"), "voto dirimente")
	require.Equal(t, []string{"casting_not_requested", "not_chair", "round_closed"}, h.refusals())
	votes := h.votes()
	require.Len(t, votes, 6)
	require.True(t, votes[5].Casting)
	require.Contains(t, h.actions(), "casting_requested")
	require.Contains(t, h.actions(), "casting_vote_counted")
}
