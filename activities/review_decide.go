package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// DecideInput is the outcome a round reached.
type DecideInput struct {
	Biennium  string    `json:"biennium"`
	Code      string    `json:"code"`
	Round     int       `json:"round"`
	Outcome   string    `json:"outcome"`    // approve | reject | request_changes
	DecidedBy string    `json:"decided_by"` // majority | chair
	At        time.Time `json:"at"`
}

// Decision is what became of the activity.
type Decision struct {
	Outcome   string                     `json:"outcome"`
	DecidedBy string                     `json:"decided_by"`
	Status    cooperation.ActivityStatus `json:"status"`
}

// DecideReview records a round's outcome and its consequences in one
// transaction: approve puts the activity approved and then in execution (two
// audit lines); reject rejects it; request_changes sends it back to the lead
// country's focal points with the members' comments, or rejects it when the
// programme's last round is spent (decided_by rounds_exhausted). The
// proposer and lead focal points are told. A retry changes nothing.
func (a *Activities) DecideReview(ctx context.Context, in DecideInput) (Decision, error) {
	var out Decision
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		act, err := tx.ReviewActivity(ctx, in.Biennium, in.Code)
		if err != nil {
			return err
		}
		out = Decision{Outcome: in.Outcome, DecidedBy: in.DecidedBy}
		if in.Outcome == "request_changes" && in.Round >= act.MaxRounds {
			out = Decision{Outcome: string(cooperation.Reject), DecidedBy: cooperation.DecidedByRoundsExhausted}
		}
		changed, err := tx.DecideRound(ctx, in.Biennium, in.Code, in.Round, out.Outcome, out.DecidedBy, in.At)
		if err != nil {
			return err
		}
		if !changed {
			r, err := tx.LoadRound(ctx, in.Biennium, in.Code, in.Round)
			out = Decision{Outcome: r.Outcome, DecidedBy: r.DecidedBy, Status: act.Status}
			return err
		}
		out.Status, err = a.applyDecision(ctx, tx, act, in, out)
		return err
	})
	if err != nil {
		return Decision{}, reviewErr(err)
	}
	return out, nil
}

func (a *Activities) applyDecision(ctx context.Context, tx *store.Store, act store.ReviewActivity, in DecideInput, d Decision) (cooperation.ActivityStatus, error) {
	subject := store.ActivityRef(in.Biennium, in.Code)
	if _, err := tx.RevokeLinks(ctx, subject); err != nil {
		return "", err
	}
	detail := map[string]any{"round": in.Round, "outcome": d.Outcome, "decided_by": d.DecidedBy, "votes_outcome": in.Outcome}
	steps := []cooperation.ActivityStatus{cooperation.ActivityRejected}
	switch cooperation.Decision(d.Outcome) {
	case cooperation.Approve:
		steps = []cooperation.ActivityStatus{cooperation.ActivityApproved, cooperation.ActivityInExecution}
	case cooperation.RequestChanges:
		steps = []cooperation.ActivityStatus{cooperation.ActivityChangesRequested}
	}
	for _, to := range steps {
		if err := a.moveAudited(ctx, tx, in.Biennium, in.Code, in.Round, to, "system", detail); err != nil {
			return "", err
		}
	}
	status := steps[len(steps)-1]
	if err := a.mailCommittee(ctx, tx, act, in.Round, d); err != nil {
		return "", err
	}
	if cooperation.Decision(d.Outcome) == cooperation.RequestChanges {
		return status, a.mailChangesRequested(ctx, tx, act, in.Round, in.At)
	}
	return status, a.mailDecision(ctx, tx, act, in.Round, d)
}

// moveAudited changes the activity's status and writes its audit line in the
// caller's transaction; the line's key makes a retry write it once. The
// line names the actor by address when the workflow carried their ID.
func (a *Activities) moveAudited(ctx context.Context, tx *store.Store, biennium, code string, round int, to cooperation.ActivityStatus, actor string, detail map[string]any) error {
	if _, err := tx.MoveActivity(ctx, biennium, code, to); err != nil {
		return err
	}
	actor, err := actorOf(ctx, tx, actor)
	if err != nil {
		return err
	}
	return tx.Audit(ctx, fmt.Sprintf("status/%s/%s/%d/%s", biennium, code, round, to), actor,
		store.ActivityRef(biennium, code), string(to), detail)
}

// CastingInput asks the Chair to decide a round whose period ended.
type CastingInput struct {
	Biennium string         `json:"biennium"`
	Code     string         `json:"code"`
	Round    int            `json:"round"`
	Tally    map[string]int `json:"tally"`
	At       time.Time      `json:"at"`
}

// AskCastingVote marks the round as awaiting the Chair's casting vote (the
// reminder sweep reads the mark) and e-mails the Chair, in one transaction.
func (a *Activities) AskCastingVote(ctx context.Context, in CastingInput) error {
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		changed, err := tx.SetAwaitingCasting(ctx, in.Biennium, in.Code, in.Round)
		if err != nil || !changed {
			return err
		}
		err = tx.Audit(ctx, fmt.Sprintf("casting_requested/%s/%s/%d", in.Biennium, in.Code, in.Round), "system",
			store.ActivityRef(in.Biennium, in.Code), "casting_requested", map[string]any{"round": in.Round, "tally": in.Tally})
		if err != nil {
			return err
		}
		return a.mailCastingRequest(ctx, tx, in)
	})
	return reviewErr(err)
}

// WithdrawInput withdraws a proposal before its decision.
type WithdrawInput struct {
	Biennium string    `json:"biennium"`
	Code     string    `json:"code"`
	Round    int       `json:"round"`
	By       string    `json:"by"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}

// WithdrawActivity marks the activity withdrawn, closes its open round and
// revokes its links, in one transaction.
func (a *Activities) WithdrawActivity(ctx context.Context, in WithdrawInput) error {
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		if in.Round > 0 {
			if _, err := tx.DecideRound(ctx, in.Biennium, in.Code, in.Round, string(cooperation.ActivityWithdrawn), "withdrawal", in.At); err != nil {
				return err
			}
		}
		if _, err := tx.RevokeLinks(ctx, store.ActivityRef(in.Biennium, in.Code)); err != nil {
			return err
		}
		return a.moveAudited(ctx, tx, in.Biennium, in.Code, in.Round, cooperation.ActivityWithdrawn, in.By,
			map[string]any{"round": in.Round, "reason": in.Reason})
	})
	return reviewErr(err)
}
