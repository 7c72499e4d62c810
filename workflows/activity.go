package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// ActivityResult is what an activity workflow ends with.
type ActivityResult struct {
	Biennium  string                     `json:"biennium"`
	Code      string                     `json:"code"`
	Status    cooperation.ActivityStatus `json:"status"`
	Round     int                        `json:"round"`
	Decision  string                     `json:"decision,omitempty"`
	DecidedBy string                     `json:"decided_by,omitempty"`
}

// QueuedSignal is a signal received and not yet handled. Its payload is
// kept raw so that a malformed signal is refused and audited instead of
// failing the workflow task.
type QueuedSignal struct {
	Name    string          `json:"name"`
	Payload json.RawMessage `json:"payload"`
	// ticket numbers a vote sent as an update, whose handler waits for its
	// answer; such a vote never crosses a continue-as-new unanswered.
	ticket int
	voteID string
}

// ActivityCarry is the state an activity workflow hands to its next run
// when it continues as new: the state query's answer, the round's roster,
// the vote IDs already counted, and the signals not yet handled.
type ActivityCarry struct {
	State     ActivityState           `json:"state"`
	Roster    []activities.RosterSeat `json:"roster"`
	VoteIDs   []string                `json:"vote_ids"`
	RoundOpen bool                    `json:"round_open"`
	Revised   bool                    `json:"revised"`
	Version   int                     `json:"version"`
	MaxRounds int                     `json:"max_rounds"`
	Queue     []QueuedSignal          `json:"queue"`
}

// activitySignals are the signals an activity workflow listens to, in the
// order a selector offers them.
var activitySignals = []string{SignalVote, SignalCastingVote, SignalRevise, SignalWithdraw, SignalComplete, SignalCancel}

// Activity is the life of one cooperation activity, from proposal through
// committee review to the end of its execution. It reads the activity's
// status from Postgres and carries on from there, so an imported approved
// activity starts in execution and a proposed one in review.
func Activity(ctx workflow.Context, in ActivityInput) (ActivityResult, error) {
	w := &activityWorkflow{in: in}
	if err := w.setup(ctx); err != nil {
		return ActivityResult{}, err
	}
	return w.run(ctx)
}

type activityWorkflow struct {
	in        ActivityInput
	st        ActivityState
	roster    []activities.RosterSeat
	voteIDs   map[string]bool
	roundOpen bool
	revised   bool // a new version is stored: the next round may open
	version   int  // the version the latest round reviewed
	maxRounds int
	queue     []QueuedSignal
	channels  map[string]workflow.ReceiveChannel
	logger    log.Logger
	// replies answers the vote updates.
	replies
	refusal *answer // the refusal of the vote being handled, if any
}

func (w *activityWorkflow) setup(ctx workflow.Context) error {
	if w.in.Biennium == "" || w.in.Code == "" {
		return temporal.NewNonRetryableApplicationError("activity workflow: biennium and code are required",
			activities.ErrTypeInvalid, nil)
	}
	w.logger = log.With(workflow.GetLogger(ctx), "biennium", w.in.Biennium, "code", w.in.Code)
	w.st = ActivityState{Biennium: w.in.Biennium, Code: w.in.Code}
	w.voteIDs = map[string]bool{}
	if c := w.in.Carried; c != nil {
		w.st, w.roster, w.roundOpen, w.revised = c.State, c.Roster, c.RoundOpen, c.Revised
		w.version, w.maxRounds, w.queue = c.Version, c.MaxRounds, c.Queue
		for _, id := range c.VoteIDs {
			w.voteIDs[id] = true
		}
	}
	w.channels = map[string]workflow.ReceiveChannel{}
	for _, name := range activitySignals {
		w.channels[name] = workflow.GetSignalChannel(ctx, name)
	}
	if err := w.setUpdates(ctx); err != nil {
		return err
	}
	return workflow.SetQueryHandler(ctx, QueryState, func() (ActivityState, error) {
		return w.snapshot(), nil
	})
}

func (w *activityWorkflow) run(ctx workflow.Context) (ActivityResult, error) {
	ctx = workflow.WithActivityOptions(ctx, activityActOptions)
	if w.in.Carried == nil {
		if err := w.load(ctx); err != nil {
			return ActivityResult{}, err
		}
	}
	for !closedStatus(w.st.Status) {
		w.showState(ctx)
		if err := w.step(ctx); err != nil {
			return ActivityResult{}, err
		}
	}
	w.showState(ctx)
	if err := w.refuseLeft(ctx); err != nil {
		return ActivityResult{}, err
	}
	if err := w.handlersDone(ctx); err != nil {
		return ActivityResult{}, err
	}
	w.logger.Info("activity closed", "status", w.st.Status)
	return ActivityResult{Biennium: w.in.Biennium, Code: w.in.Code, Status: w.st.Status, Round: w.st.Round,
		Decision: w.st.Decision, DecidedBy: w.st.DecidedBy}, nil
}

// step does one thing: a transition the status calls for, one queued
// signal, a continue-as-new, or a wait for the next event.
func (w *activityWorkflow) step(ctx workflow.Context) error {
	switch {
	case w.st.Status == cooperation.ActivityApproved:
		return w.startExecution(ctx)
	case w.st.Status == cooperation.ActivityProposed || w.revised || (w.st.Status == cooperation.ActivityUnderReview && !w.roundOpen):
		return w.openRound(ctx)
	case len(w.queue) > 0:
		q := w.queue[0]
		w.queue = w.queue[1:]
		return w.handle(ctx, q)
	case workflow.GetInfo(ctx).GetContinueAsNewSuggested():
		return w.continueAsNew(ctx)
	}
	return w.wait(ctx)
}

// activityActOptions retry a failed step (Postgres away) until it succeeds:
// an activity lives two years and must outlast any outage rather than fail
// with its votes. Errors retrying cannot fix are non-retryable where they arise.
var activityActOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrTypeInvalid, activities.ErrTypeNotFound},
	},
}

// activityActs names the activities; the SDK only reads method names from it.
var activityActs *activities.Activities

func (w *activityWorkflow) key() activities.ActivityKey {
	return activities.ActivityKey{Biennium: w.in.Biennium, Code: w.in.Code}
}

func (w *activityWorkflow) load(ctx workflow.Context) error {
	var s activities.ReviewStatus
	if err := workflow.ExecuteActivity(ctx, activityActs.LoadReview, w.key()).Get(ctx, &s); err != nil {
		return fmt.Errorf("load activity %s/%s: %w", w.in.Biennium, w.in.Code, err)
	}
	w.setStatus(s.Status)
	w.st.Round, w.version, w.maxRounds = s.Round, s.Version, s.MaxRounds
	if s.Status == cooperation.ActivityChangesRequested && s.Round > 0 {
		// The revision to wait for is one newer than what the last round saw.
		var r activities.ReviewRound
		in := activities.OpenRoundInput{Biennium: w.in.Biennium, Code: w.in.Code, Round: s.Round, At: workflow.Now(ctx)}
		if err := workflow.ExecuteActivity(ctx, activityActs.OpenReviewRound, in).Get(ctx, &r); err != nil {
			return fmt.Errorf("load round %d: %w", s.Round, err)
		}
		w.version = r.Version
	}
	return nil
}

// wait blocks until a signal arrives or, while votes are open, the voting
// period ends.
func (w *activityWorkflow) wait(ctx workflow.Context) error {
	sel := workflow.NewSelector(ctx)
	for _, name := range activitySignals {
		sel.AddReceive(w.channels[name], func(c workflow.ReceiveChannel, _ bool) {
			w.queue = append(w.queue, QueuedSignal{Name: name, Payload: receive(ctx, c)})
		})
	}
	// A vote sent as an update is already on the queue: waking is enough.
	sel.AddReceive(w.wake, func(c workflow.ReceiveChannel, _ bool) { c.ReceiveAsync(nil) })
	if !w.roundOpen || w.st.AwaitingCasting {
		sel.Select(ctx)
		return nil
	}
	left := w.st.Deadline.Sub(workflow.Now(ctx))
	if left <= 0 {
		return w.periodEnded(ctx)
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	ended := false
	sel.AddFuture(workflow.NewTimer(timerCtx, left), func(f workflow.Future) {
		ended = f.Get(ctx, nil) == nil
	})
	sel.Select(ctx)
	if ended {
		return w.periodEnded(ctx)
	}
	return nil
}

// continueAsNew drains every signal channel first, so no signal is lost,
// and hands the state and the unhandled signals to the next run.
func (w *activityWorkflow) continueAsNew(ctx workflow.Context) error {
	// Answer every update first; one admitted meanwhile is handled before
	// the run continues as new.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) || len(w.queue) > 0 }); err != nil {
		return err
	}
	if len(w.queue) > 0 {
		return nil
	}
	w.takeQueued()
	ids := make([]string, 0, len(w.voteIDs))
	//workflowcheck:ignore the keys are sorted just below
	for id := range w.voteIDs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	carry := &ActivityCarry{State: w.st, Roster: w.roster, VoteIDs: ids, RoundOpen: w.roundOpen, Revised: w.revised,
		Version: w.version, MaxRounds: w.maxRounds, Queue: w.queue}
	w.logger.Info("continuing as new", "queued", len(w.queue))
	return workflow.NewContinueAsNewError(ctx, ActivityWorkflowName,
		ActivityInput{Biennium: w.in.Biennium, Code: w.in.Code, Carried: carry})
}

// takeQueued moves every signal already received onto the queue.
func (w *activityWorkflow) takeQueued() {
	for _, name := range activitySignals {
		for {
			raw, ok := receiveAsync(w.channels[name])
			if !ok {
				break
			}
			w.queue = append(w.queue, QueuedSignal{Name: name, Payload: raw})
		}
	}
}

// refuseLeft handles the signals still queued when the activity closes:
// each is refused and audited (a vote after the decision, say), so none is
// acknowledged to its sender and then lost.
func (w *activityWorkflow) refuseLeft(ctx workflow.Context) error {
	if !validating(ctx) {
		return nil
	}
	for {
		w.takeQueued()
		if len(w.queue) == 0 {
			return nil
		}
		q := w.queue[0]
		w.queue = w.queue[1:]
		if err := w.handle(ctx, q); err != nil {
			return err
		}
	}
}

func (w *activityWorkflow) setStatus(status cooperation.ActivityStatus) {
	w.st.Status = status
	w.st.Stage = status.Stage()
}

// closedStatus tells whether the workflow has nothing left to do. A draft
// is not yet the committee's business: its workflow starts when proposed.
func closedStatus(status cooperation.ActivityStatus) bool { return !status.Live() }
