package workflows

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// Reasons a vote is refused, as the audit log records them.
const (
	refusedNotOnRoster      = "not_on_roster"
	refusedRecused          = "recused"
	refusedRoundClosed      = "round_closed"
	refusedDuplicateVoteID  = "duplicate_vote_id"
	refusedInvalidDecision  = "invalid_decision"
	refusedMissingVoteID    = "missing_vote_id"
	refusedNotChair         = "not_chair"
	refusedCastingNotAsked  = "casting_not_requested"
	refusedMalformedPayload = "malformed_payload"
)

// openRound opens the next review round, or takes up the open one when the
// workflow starts on an activity already under review.
func (w *activityWorkflow) openRound(ctx workflow.Context) error {
	round := w.st.Round
	if w.st.Status != cooperation.ActivityUnderReview {
		round++
	}
	in := activities.OpenRoundInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: round, At: workflow.Now(ctx),
		Seats: workflow.GetVersion(ctx, committeeSeats, workflow.DefaultVersion, 1) >= 1}
	var r activities.ReviewRound
	if err := workflow.ExecuteActivity(ctx, activityActs.OpenReviewRound, in).Get(ctx, &r); err != nil {
		return fmt.Errorf("open round %d: %w", round, err)
	}
	w.takeRound(r)
	w.logger.Info("review round open", "round", r.Round, "closes_at", r.ClosesAt, "majority", w.st.Majority)
	if outcome := w.majorityOutcome(); outcome != "" {
		return w.decide(ctx, outcome, "majority")
	}
	return nil
}

// committeeSeats is the change from which a round's roster holds seats
// (countries) rather than members' addresses, and votes are the seats',
// cast by a person named by ID: a new delegate casts the seat's vote and
// replaces the old one's, and no address is in the workflow's state. A run
// begun before it keeps its roster of addresses until a vote naming a seat
// comes (seatVotes).
const committeeSeats = "committee-seats"

// seatVotes is the change from which a vote naming a seat, sent to a run
// whose round still holds addresses, first turns that round's roster and
// votes into seats, read back from Postgres (which holds them as seats).
const seatVotes = "seat-votes"

// takeRound makes r the round the workflow counts.
func (w *activityWorkflow) takeRound(r activities.ReviewRound) {
	w.roster, w.roundOpen, w.revised = r.Roster, true, false
	w.version, w.maxRounds = r.Version, r.MaxRounds
	w.setStatus(cooperation.ActivityUnderReview)
	w.st.Round, w.st.Deadline, w.st.AwaitingCasting = r.Round, r.ClosesAt, r.AwaitingCasting
	w.st.Decision, w.st.DecidedBy = "", ""
	w.st.Majority = len(w.entitled())/2 + 1
	w.st.Votes = []CastVote{}
	for _, v := range r.Votes {
		w.voteIDs[v.VoteID] = true
		w.putVote(CastVote{Seat: v.Seat, Member: v.Member, Decision: v.Decision, Comment: v.Comment, At: v.At, Casting: v.Casting})
	}
}

// seated tells whether the open round's roster holds seats.
func (w *activityWorkflow) seated() bool {
	return len(w.roster) > 0 && w.roster[0].Seat != ""
}

// needsLookup tells whether a vote can be judged against the roster only
// once Postgres says more: an address with no seat in a round of seats
// (the released payload), or a seat in a round of addresses.
func (w *activityWorkflow) needsLookup(v VoteSignal) bool {
	if w.seated() {
		return v.Seat == "" && strings.Contains(v.Member, "@")
	}
	return v.Seat != "" && len(w.roster) > 0
}

// lookUp makes a vote judgeable: it finds the seat and the ID of a voter
// named by address, or turns a round of addresses into seats.
func (w *activityWorkflow) lookUp(ctx workflow.Context, v VoteSignal) (VoteSignal, error) {
	if !w.roundOpen || !w.needsLookup(v) {
		return v, nil
	}
	if w.seated() {
		in := activities.VoterInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: w.st.Round, Email: v.Member, At: workflow.Now(ctx)}
		var who activities.Voter
		if err := workflow.ExecuteActivity(ctx, activityActs.ResolveVoter, in).Get(ctx, &who); err != nil {
			return v, fmt.Errorf("find the seat of a voter: %w", err)
		}
		if who.Seat != "" {
			v.Seat, v.Member = who.Seat, who.Member
		}
		return v, nil
	}
	if workflow.GetVersion(ctx, seatVotes, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return v, nil
	}
	in := activities.OpenRoundInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: w.st.Round, At: workflow.Now(ctx), Seats: true}
	var r activities.ReviewRound
	if err := workflow.ExecuteActivity(ctx, activityActs.OpenReviewRound, in).Get(ctx, &r); err != nil {
		return v, fmt.Errorf("read round %d as seats: %w", w.st.Round, err)
	}
	awaiting := w.st.AwaitingCasting
	w.takeRound(r)
	w.st.AwaitingCasting = awaiting || r.AwaitingCasting
	w.logger.Info("round roster read as seats", "round", r.Round, "seats", len(r.Roster))
	return v, nil
}

// handle acts on one received signal, or refuses it with a reason, and
// leaves the answer when an update waits for it.
func (w *activityWorkflow) handle(ctx workflow.Context, q QueuedSignal) error {
	return w.answered(q, func() error { return w.handleSignal(ctx, q) })
}

func (w *activityWorkflow) handleSignal(ctx workflow.Context, q QueuedSignal) error {
	var err error
	switch q.Name {
	case SignalVote, SignalCastingVote:
		var v VoteSignal
		if err = json.Unmarshal(q.Payload, &v); err == nil {
			return w.onVote(ctx, v, q.Name == SignalCastingVote)
		}
	case SignalRevise:
		var s ReviseSignal
		if err = json.Unmarshal(q.Payload, &s); err == nil {
			return w.onRevise(ctx, s)
		}
	case SignalWithdraw:
		var s WithdrawSignal
		if err = json.Unmarshal(q.Payload, &s); err == nil {
			return w.onWithdraw(ctx, s)
		}
	case SignalComplete:
		var s CompleteSignal
		if err = json.Unmarshal(q.Payload, &s); err == nil {
			return w.onComplete(ctx, s)
		}
	case SignalCancel:
		var s CancelSignal
		if err = json.Unmarshal(q.Payload, &s); err == nil {
			return w.onCancel(ctx, s)
		}
	}
	return w.refuseSignal(ctx, q.Name, "", refusedMalformedPayload, fmt.Sprint(err))
}

// onVote counts a vote or refuses it. A member's later vote in the same
// round replaces the earlier one; the round is decided as soon as a
// majority of the entitled members agree. The casting vote is always the
// Chair's, even when the Chair was recused from the ordinary vote: the rule
// needs one person who can break a tie, and the Chair is that person.
func (w *activityWorkflow) onVote(ctx workflow.Context, v VoteSignal, casting bool) error {
	v.Member = strings.ToLower(strings.TrimSpace(v.Member))
	name := SignalVote
	if casting {
		name = SignalCastingVote
	}
	if reason, detail := voteInputRefusal(v); reason != "" && v.Seat != "" {
		// A seat is a released field no earlier run saw: check it before any lookup.
		return w.refuseVote(ctx, name, v, reason, detail)
	}
	v, err := w.lookUp(ctx, v)
	if err != nil {
		return err
	}
	reason := w.voteRefusal(v)
	if casting {
		name, reason = SignalCastingVote, w.castingRefusal(v)
	}
	if reason != "" {
		return w.refuseVote(ctx, name, v, reason, "")
	}
	if reason, detail := voteInputRefusal(v); reason != "" && validating(ctx) {
		return w.refuseVote(ctx, name, v, reason, detail)
	}
	cast := CastVote{Seat: v.Seat, Member: v.Member, Decision: v.Decision, Comment: v.Comment, At: workflow.Now(ctx), Casting: casting}
	in := activities.VoteInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: w.st.Round, Seat: v.Seat, Member: v.Member,
		VoteID: v.VoteID, Decision: v.Decision, Comment: v.Comment, Casting: casting, At: cast.At}
	if err := recordVote(ctx, activityActs.RecordVote, in); err != nil {
		if refusedByActivity(err) && validating(ctx) {
			return w.refuseVote(ctx, name, v, refusedNotStored, err.Error())
		}
		return fmt.Errorf("record vote %s: %w", v.VoteID, err)
	}
	w.voteIDs[v.VoteID] = true
	w.putVote(cast)
	if casting {
		return w.decide(ctx, v.Decision, "chair")
	}
	if outcome := w.majorityOutcome(); outcome != "" {
		return w.decide(ctx, outcome, "majority")
	}
	return nil
}

func (w *activityWorkflow) voteRefusal(v VoteSignal) string {
	if r := w.commonRefusal(v); r != "" {
		return r
	}
	seat, ok := w.seat(v)
	switch {
	case w.st.Status != cooperation.ActivityUnderReview || !w.roundOpen || w.st.AwaitingCasting:
		return refusedRoundClosed
	case !ok:
		return refusedNotOnRoster
	case seat.Recused:
		return refusedRecused
	}
	return ""
}

func (w *activityWorkflow) castingRefusal(v VoteSignal) string {
	if r := w.commonRefusal(v); r != "" {
		return r
	}
	switch {
	case !w.roundOpen || !w.st.AwaitingCasting:
		return refusedCastingNotAsked
	case w.voterKey(v) != w.chair():
		return refusedNotChair
	}
	return ""
}

func (w *activityWorkflow) commonRefusal(v VoteSignal) string {
	switch {
	case v.VoteID == "":
		return refusedMissingVoteID
	case w.voteIDs[v.VoteID]:
		return refusedDuplicateVoteID
	case v.Decision != DecisionApprove && v.Decision != DecisionReject && v.Decision != DecisionRequestChanges:
		return refusedInvalidDecision
	}
	return ""
}

// voteInputRefusal checks what a vote carries against the cooperation
// limits: a vote the store would refuse is refused before it is counted.
func voteInputRefusal(v VoteSignal) (reason, detail string) {
	var seat error
	if v.Seat != "" {
		seat = cooperation.CountryCode("seat", v.Seat)
	}
	return inputRefusal(cooperation.ID("vote_id", v.VoteID), seat,
		cooperation.Line("member", v.Member, cooperation.MaxEmail, true),
		cooperation.Text("comment", v.Comment, cooperation.MaxVoteComment, false))
}

// answered runs the handling of a vote and, when an update waits for it,
// leaves the answer: refused with the reason refuseVote saw, or counted,
// with the outcome if this vote decided the round.
func (w *activityWorkflow) answered(q QueuedSignal, handle func() error) error {
	w.refusal = nil
	open := w.roundOpen
	err := handle()
	if q.ticket == 0 || err != nil {
		return err
	}
	a := w.refusal
	if a == nil {
		a = &answer{}
		if open && !w.roundOpen {
			a.outcome = w.st.Decision
		}
	}
	w.answer(q.ticket, a)
	return nil
}

func (w *activityWorkflow) refuseVote(ctx workflow.Context, signal string, v VoteSignal, reason, detail string) error {
	w.refusal = &answer{reason: reason, detail: detail, audited: true}
	w.st.Refused++
	w.logger.Info("vote refused", "member", cooperation.Excerpt(v.Member, cooperation.MaxEmail),
		"vote_id", cooperation.Excerpt(v.VoteID, cooperation.MaxID), "reason", reason)
	if detail == "" {
		detail = v.Decision
	}
	in := activities.RefusedInput{Biennium: w.in.Biennium, Code: w.in.Code, Seq: w.st.Refused, Signal: signal,
		Actor: v.Member, Reason: reason, Round: w.st.Round, VoteID: v.VoteID, Detail: detail}
	if err := recordVote(ctx, activityActs.RecordRefusedVote, in); err != nil {
		if refusedByActivity(err) && validating(ctx) {
			w.logger.Error("refused vote not recorded", "error", err)
			return nil
		}
		return fmt.Errorf("record refused vote %s: %w", v.VoteID, err)
	}
	return nil
}

// localVoteRecord is the change from which a vote, counted or refused, is
// written by a local activity: the worker running the workflow task writes
// the row itself, sparing the round trip of an activity task through the
// server, which is most of a vote's latency. Runs begun before the change
// keep the activity task so that their histories still replay.
const localVoteRecord = "local-vote-record"

// voteLocalOptions retry like activityActOptions; a local activity whose
// retries outgrow the workflow task is rescheduled by the SDK with a timer,
// so a long Postgres outage is survived in the same way.
var voteLocalOptions = workflow.LocalActivityOptions{
	StartToCloseTimeout:    activityActOptions.StartToCloseTimeout,
	ScheduleToCloseTimeout: activityActOptions.ScheduleToCloseTimeout,
	RetryPolicy:            activityActOptions.RetryPolicy,
}

// recordVote runs act (RecordVote or RecordRefusedVote) with in, as a
// local activity from version 1 of localVoteRecord. Both activities are
// idempotent (the vote ID and the refusal's sequence are dedup keys), as a
// local activity may run again when its workflow task is retried.
func recordVote(ctx workflow.Context, act, in any) error {
	if workflow.GetVersion(ctx, localVoteRecord, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return workflow.ExecuteActivity(ctx, act, in).Get(ctx, nil)
	}
	lctx := workflow.WithLocalActivityOptions(ctx, voteLocalOptions)
	return workflow.ExecuteLocalActivity(lctx, act, in).Get(ctx, nil)
}

// putVote keeps one vote per seat (per member, in a round of addresses)
// and kind (ordinary or casting): a delegate's vote replaces the one the
// seat's other delegate cast.
func (w *activityWorkflow) putVote(v CastVote) {
	w.st.Votes = slices.DeleteFunc(w.st.Votes, func(c CastVote) bool {
		return c.key() == v.key() && c.Casting == v.Casting
	})
	w.st.Votes = append(w.st.Votes, v)
}

// key is what a vote is counted under: its seat, else its member.
func (v CastVote) key() string {
	if v.Seat != "" {
		return v.Seat
	}
	return v.Member
}

// majorityOutcome is the outcome floor(n/2)+1 entitled members agree on,
// or "" while there is none.
func (w *activityWorkflow) majorityOutcome() string {
	n := len(w.entitled())
	if n == 0 {
		return ""
	}
	// In sorted order: should two outcomes ever both reach the majority,
	// the answer would otherwise change from one replay to the next.
	tally := w.tally()
	//workflowcheck:ignore maps.Keys goes in map order, slices.Sorted takes that away
	for _, outcome := range slices.Sorted(maps.Keys(tally)) {
		if tally[outcome] >= n/2+1 {
			return outcome
		}
	}
	return ""
}

func (w *activityWorkflow) tally() map[string]int {
	t := map[string]int{}
	for _, v := range w.st.Votes {
		if !v.Casting {
			t[v.Decision]++
		}
	}
	return t
}

// decide records the round's outcome; Postgres says where it leads (the
// last round's request for changes becomes a rejection).
func (w *activityWorkflow) decide(ctx workflow.Context, outcome, by string) error {
	in := activities.DecideInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: w.st.Round, Outcome: outcome,
		DecidedBy: by, At: workflow.Now(ctx)}
	var d activities.Decision
	if err := workflow.ExecuteActivity(ctx, activityActs.DecideReview, in).Get(ctx, &d); err != nil {
		return fmt.Errorf("decide round %d: %w", w.st.Round, err)
	}
	w.roundOpen, w.st.AwaitingCasting = false, false
	w.st.Decision, w.st.DecidedBy = d.Outcome, d.DecidedBy
	w.setStatus(d.Status)
	w.logger.Info("round decided", "round", w.st.Round, "outcome", d.Outcome, "decided_by", d.DecidedBy, "status", d.Status)
	return nil
}

// periodEnded asks the Chair for a casting vote when the voting period ends
// without a majority.
func (w *activityWorkflow) periodEnded(ctx workflow.Context) error {
	in := activities.CastingInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: w.st.Round, Tally: w.tally(),
		At: workflow.Now(ctx)}
	if err := workflow.ExecuteActivity(ctx, activityActs.AskCastingVote, in).Get(ctx, nil); err != nil {
		return fmt.Errorf("ask casting vote in round %d: %w", w.st.Round, err)
	}
	w.st.AwaitingCasting = true
	w.logger.Info("voting period ended without majority", "round", w.st.Round)
	return nil
}

// rosterKey is what names a roster's entry: its seat, else its member.
func rosterKey(s activities.RosterSeat) string {
	if s.Seat != "" {
		return s.Seat
	}
	return s.Email
}

// voterKey is the roster entry a vote names: its seat in a round of seats,
// its member in a round of addresses.
func (w *activityWorkflow) voterKey(v VoteSignal) string {
	if w.seated() {
		return v.Seat
	}
	return v.Member
}

func (w *activityWorkflow) seat(v VoteSignal) (activities.RosterSeat, bool) {
	key := w.voterKey(v)
	i := slices.IndexFunc(w.roster, func(s activities.RosterSeat) bool { return key != "" && rosterKey(s) == key })
	if i < 0 {
		return activities.RosterSeat{}, false
	}
	return w.roster[i], true
}

func (w *activityWorkflow) chair() string {
	for _, s := range w.roster {
		if s.Role == "chair" {
			return rosterKey(s)
		}
	}
	return ""
}

func (w *activityWorkflow) entitled() []string {
	var out []string
	for _, s := range w.roster {
		if !s.Recused {
			out = append(out, rosterKey(s))
		}
	}
	return out
}

// snapshot is the answer of query "state".
func (w *activityWorkflow) snapshot() ActivityState {
	s := w.st
	s.Votes = slices.Clone(w.st.Votes)
	if s.Votes == nil {
		s.Votes = []CastVote{}
	}
	s.Chair = w.chair()
	s.Pending, s.Recused = []string{}, []string{}
	for _, seat := range w.roster {
		key := rosterKey(seat)
		voted := slices.ContainsFunc(w.st.Votes, func(v CastVote) bool { return v.key() == key && !v.Casting })
		switch {
		case seat.Recused:
			s.Recused = append(s.Recused, key)
		case w.roundOpen && !voted:
			s.Pending = append(s.Pending, key)
		}
	}
	return s
}
