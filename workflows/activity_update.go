package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/cooperation"
)

// Update names. An update answers its sender: a vote sent as an update is
// judged by the workflow before it is admitted (a refused one leaves no
// history), and the answer comes once the vote is stored and counted, or
// refused with its reason. The signals of the same names stay for raw use.
const (
	UpdateVote        = "cast-vote"
	UpdateCastingVote = "cast-casting-vote"
	// The answered forms of revise, withdraw, complete and cancel.
	UpdateRevise   = "revise-proposal"
	UpdateWithdraw = "withdraw-proposal"
	UpdateComplete = "complete-activity"
	UpdateCancel   = "cancel-activity"
)

// ErrTypeRefused is the ApplicationError type of a request the workflow
// refuses. Its details are a Refusal.
const ErrTypeRefused = "Refused"

// Refusal is why an update was refused. Audited tells whether the workflow
// wrote the refusal's audit line: it does for a request admitted and then
// refused, never for one its validator refused, which leaves no history.
type Refusal struct {
	Reason  string `json:"reason"`
	Detail  string `json:"detail,omitempty"`
	Audited bool   `json:"audited"`
}

// VoteAnswer is the answer to a counted vote.
type VoteAnswer struct {
	VoteID string `json:"vote_id"`
	Round  int    `json:"round"`
	// Outcome is the round's decision when this vote decided it.
	Outcome string `json:"outcome,omitempty"`
}

// RefusalError is the error an update answers a refusal with.
func RefusalError(reason, detail string, audited bool) error {
	msg := "refused: " + reason
	if detail != "" {
		msg += ": " + detail
	}
	return temporal.NewApplicationError(msg, ErrTypeRefused, Refusal{Reason: reason, Detail: detail, Audited: audited})
}

// RefusalOf reads the refusal an update's error carries; ok is false for
// any other error.
func RefusalOf(err error) (r Refusal, ok bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypeRefused || appErr.Details(&r) != nil {
		return Refusal{}, false
	}
	return r, true
}

// answer is what the main loop leaves for an update waiting on its vote.
type answer struct {
	reason, detail, outcome string
	// audited tells that the workflow wrote the refusal's audit line.
	audited bool
}

// replies lets update handlers wait for the main loop's answer to what they
// put on its queue: the main loop alone changes state, in one order, and
// leaves each handler its answer by ticket.
type replies struct {
	answers map[int]*answer
	tickets int
	// wake wakes the main loop when something is queued.
	wake workflow.Channel
}

func newReplies(ctx workflow.Context) replies {
	return replies{answers: map[int]*answer{}, wake: workflow.NewBufferedChannel(ctx, 1)}
}

// ask queues a request with enqueue(ticket), wakes the main loop and waits
// for the answer to that ticket.
func (r *replies) ask(ctx workflow.Context, enqueue func(ticket int)) (*answer, error) {
	r.tickets++
	ticket := r.tickets
	enqueue(ticket)
	r.wake.SendAsync(true)
	if err := workflow.Await(ctx, func() bool { return r.answers[ticket] != nil }); err != nil {
		return nil, err
	}
	a := r.answers[ticket]
	delete(r.answers, ticket)
	return a, nil
}

// answer leaves the answer to a ticket.
func (r *replies) answer(ticket int, a *answer) { r.answers[ticket] = a }

// setUpdates registers the vote updates. Their handlers put the vote on the
// queue the main loop works through, one item at a time, as a signal would
// be, and wait for its answer: votes from signals and from updates are
// counted in one order by one piece of code.
func (w *activityWorkflow) setUpdates(ctx workflow.Context) error {
	w.replies = newReplies(ctx)
	for _, u := range []struct {
		name, signal string
		casting      bool
	}{{UpdateVote, SignalVote, false}, {UpdateCastingVote, SignalCastingVote, true}} {
		err := workflow.SetUpdateHandlerWithOptions(ctx, u.name,
			func(ctx workflow.Context, v VoteSignal) (VoteAnswer, error) {
				return w.answerVote(ctx, u.signal, v)
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, v VoteSignal) error {
				return w.validateVote(v, u.casting)
			}})
		if err != nil {
			return err
		}
	}
	return w.setChangeUpdates(ctx)
}

// setChangeUpdates registers the answered forms of the activity's other
// signals. Each validator refuses what the state already refuses; the
// handler queues the change like its signal and answers with the state.
func (w *activityWorkflow) setChangeUpdates(ctx workflow.Context) error {
	inReview := func() (string, bool) { return refusedAfterDecision, w.st.Status.InReview() }
	inExecution := func() (string, bool) {
		return refusedNotInExecution, w.st.Status == cooperation.ActivityInExecution
	}
	revisable := func() (string, bool) {
		return refusedNotRequested, w.st.Status == cooperation.ActivityChangesRequested
	}
	if err := setChange(ctx, w, UpdateRevise, SignalRevise, revisable, func(s ReviseSignal) []error {
		return []error{cooperation.Line("by", s.By, cooperation.MaxEmail, false),
			cooperation.Line("revision_id", s.RevisionID, cooperation.MaxID, false)}
	}); err != nil {
		return err
	}
	if err := setChange(ctx, w, UpdateWithdraw, SignalWithdraw, inReview, func(s WithdrawSignal) []error {
		return []error{cooperation.Line("by", s.By, cooperation.MaxEmail, false),
			cooperation.Text("reason", s.Reason, cooperation.MaxReason, false)}
	}); err != nil {
		return err
	}
	if err := setChange(ctx, w, UpdateComplete, SignalComplete, inExecution, func(s CompleteSignal) []error {
		return []error{cooperation.Line("by", s.By, cooperation.MaxEmail, false),
			cooperation.Text("statement", s.Statement, cooperation.MaxReportText, true)}
	}); err != nil {
		return err
	}
	return setChange(ctx, w, UpdateCancel, SignalCancel, inExecution, func(s CancelSignal) []error {
		return []error{cooperation.Line("by", s.By, cooperation.MaxEmail, false),
			cooperation.Text("reason", s.Reason, cooperation.MaxReason, true)}
	})
}

// setChange registers one change update: allowed says whether the state
// takes it (and the reason when not), fields checks its payload.
func setChange[S any](ctx workflow.Context, w *activityWorkflow, update, signal string, allowed func() (string, bool), fields func(S) []error) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, update,
		func(ctx workflow.Context, s S) (ActivityState, error) {
			payload, err := json.Marshal(s)
			if err != nil {
				return ActivityState{}, fmt.Errorf("encode %s: %w", update, err)
			}
			a, err := w.ask(ctx, func(ticket int) {
				w.queue = append(w.queue, QueuedSignal{Name: signal, Payload: payload, ticket: ticket})
			})
			if err != nil {
				return ActivityState{}, err
			}
			if a.reason != "" {
				return ActivityState{}, RefusalError(a.reason, a.detail, a.audited)
			}
			return w.snapshot(), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, s S) error {
			if reason, ok := allowed(); !ok {
				return RefusalError(reason, string(w.st.Status), false)
			}
			if reason, detail := inputRefusal(fields(s)...); reason != "" {
				return RefusalError(reason, detail, false)
			}
			return nil
		}})
}

// validateVote refuses, before it is admitted, a vote the workflow's state
// already refuses; it reads the state and changes nothing.
func (w *activityWorkflow) validateVote(v VoteSignal, casting bool) error {
	v.Member = strings.ToLower(strings.TrimSpace(v.Member))
	reason := w.voteRefusal(v)
	if casting {
		reason = w.castingRefusal(v)
	}
	// While a round is about to open (the workflow just started, or a
	// revision came in), its roster is not known yet: the vote is admitted
	// and judged once the round is open, as a signalled vote would be. So
	// is a vote whose seat only Postgres can tell (needsLookup).
	switch {
	case reason == "":
	case reason == refusedRoundClosed && w.roundOpening():
	case (reason == refusedNotOnRoster || reason == refusedRecused || reason == refusedNotChair) && w.needsLookup(v):
	default:
		return RefusalError(reason, "", false)
	}
	if reason, detail := voteInputRefusal(v); reason != "" {
		return RefusalError(reason, detail, false)
	}
	for _, q := range w.queue {
		if q.ticket != 0 && q.voteID == v.VoteID {
			return RefusalError(refusedDuplicateVoteID, "", false)
		}
	}
	return nil
}

func (w *activityWorkflow) answerVote(ctx workflow.Context, signal string, v VoteSignal) (VoteAnswer, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return VoteAnswer{}, fmt.Errorf("encode vote: %w", err)
	}
	a, err := w.ask(ctx, func(ticket int) {
		w.queue = append(w.queue, QueuedSignal{Name: signal, Payload: payload, ticket: ticket, voteID: v.VoteID})
	})
	if err != nil {
		return VoteAnswer{}, err
	}
	if a.reason != "" {
		return VoteAnswer{}, RefusalError(a.reason, a.detail, a.audited)
	}
	return VoteAnswer{VoteID: v.VoteID, Round: w.st.Round, Outcome: a.outcome}, nil
}

// handlersDone waits for the update handlers to return their answers, so a
// run ends or continues as new only after every sender has been answered.
func (w *activityWorkflow) handlersDone(ctx workflow.Context) error {
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// roundOpening tells whether the main loop is about to open a round (the
// condition step acts on first).
func (w *activityWorkflow) roundOpening() bool {
	return w.st.Status == "" || w.st.Status == cooperation.ActivityProposed || w.revised ||
		(w.st.Status == cooperation.ActivityUnderReview && !w.roundOpen)
}
