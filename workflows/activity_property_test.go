package workflows

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

// hostileText is a text no store accepts or no reader should see: a NUL
// byte, a string over every limit, invalid UTF-8, control characters.
func hostileText(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return "before\x00after"
	case 1:
		return strings.Repeat("x", 1<<20+r.IntN(1<<19)) // 1 to 1.5 MB
	case 2:
		return "bad \xff\xfe utf-8"
	case 3:
		return "bell\a and escape\x1b[31m"
	}
	return strings.Repeat("é", 6000)
}

// randomActivitySignal is one signal as a careless user or an attacker
// could send it with `temporal workflow signal`: well formed or not, from a
// member or a stranger, with a vote ID seen before or not.
func randomActivitySignal(r *rand.Rand, i int) (string, any) {
	names := []string{SignalVote, SignalVote, SignalVote, SignalCastingVote, SignalRevise, SignalWithdraw, SignalComplete, SignalCancel}
	name := names[r.IntN(len(names))]
	voters := append([]string{chair, "stranger@example.org", " AR@ar.gob "}, members...)
	decisions := []string{DecisionApprove, DecisionReject, DecisionRequestChanges, "maybe", ""}
	voteID := fmt.Sprintf("p-%d", r.IntN(i+1)) // often a duplicate
	switch r.IntN(10) {
	case 0:
		return name, map[string]any{"vote_id": 12, "member": true, "decision": []int{1}, "by": 3.5, "reason": map[string]int{}}
	case 1:
		return name, "just a string"
	case 2:
		return name, nil
	case 3:
		return name, []byte{0xff, 0x00, 0x01} // a binary payload, not JSON
	case 4:
		voteID = strings.Repeat("v", 201+r.IntN(300))
	case 5:
		voteID = "with\x00nul"
	}
	text := "a reason"
	if r.IntN(3) == 0 {
		text = hostileText(r)
	}
	switch name {
	case SignalVote, SignalCastingVote:
		return name, VoteSignal{VoteID: voteID, Member: voters[r.IntN(len(voters))],
			Decision: decisions[r.IntN(len(decisions))], Comment: text}
	case SignalRevise:
		return name, ReviseSignal{RevisionID: voteID, By: text}
	case SignalWithdraw:
		return name, WithdrawSignal{By: "fp@ec.gob", Reason: text}
	case SignalComplete:
		return name, CompleteSignal{By: "fp@ec.gob", Statement: text}
	}
	return name, CancelSignal{By: "secretariat@example.org", Reason: text}
}

// TestActivityPropertyNoInputBreaksIt sends random and hostile signals in
// random order, then the signals that end the activity and more after
// them, and checks that the workflow ends without failing, that its state
// equals its rows, and that every signal is either counted or refused with
// an audit line.
func TestActivityPropertyNoInputBreaksIt(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0x5eed))
			status := []string{"proposed", "approved"}[seed%2]
			h := newHarness(t, status, "EC", "MX")
			sent := 0
			for i := range 30 {
				name, payload := randomActivitySignal(r, i)
				// Counted when delivered: one that ends the activity
				// leaves the later callbacks unrun.
				h.at(time.Duration(i+1)*37*time.Minute, func() {
					h.env.SignalWorkflow(name, payload)
					sent++
				})
			}
			// Whatever state it reached, one of these ends it; the rest
			// arrive together with it, after it, and must still be refused.
			end := 40 * 37 * time.Minute
			h.at(end, func() {
				h.env.SignalWorkflow(SignalWithdraw, WithdrawSignal{By: "fp@ec.gob", Reason: "ends the review"})
				h.env.SignalWorkflow(SignalCancel, CancelSignal{By: "secretariat@example.org", Reason: "ends the execution"})
				h.env.SignalWorkflow(SignalVote, VoteSignal{VoteID: "late", Member: chair, Decision: DecisionApprove})
				h.env.SignalWorkflow(SignalComplete, "late and malformed")
				sent += 4
			})
			res := h.run()
			st := h.state()

			require.Contains(t, []cooperation.ActivityStatus{cooperation.ActivityWithdrawn, cooperation.ActivityCancelled, cooperation.ActivityRejected, cooperation.ActivityCompleted}, res.Status)
			require.EqualValues(t, res.Status, h.status(), "the workflow's status is the row's")
			refused := 0
			counted := 0
			for _, a := range h.actions() {
				switch a {
				case "vote_refused", "signal_refused":
					refused++
				case "vote_counted", "casting_vote_counted":
					counted++
				}
			}
			require.Equal(t, st.Refused, refused, "every refusal the workflow made has its audit line")
			closing := 0
			if res.Status != "rejected" {
				closing = 1 // the withdrawal, completion or cancellation that ended it
			}
			require.Equal(t, sent, counted+refused+closing, "every signal counted or refused")
			// The votes of the last round, as the state shows them, are its rows.
			var rows []CastVote
			for _, v := range h.votes() {
				if v.Round == st.Round {
					rows = append(rows, CastVote{Seat: v.Seat, Member: v.MemberID, Decision: v.Decision, Casting: v.Casting})
				}
			}
			var shown []CastVote
			for _, v := range st.Votes {
				shown = append(shown, CastVote{Seat: v.Seat, Member: v.Member, Decision: v.Decision, Casting: v.Casting})
			}
			require.ElementsMatch(t, rows, shown)
		})
	}
}
