package activities

import (
	"context"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// ExecutionInput changes the execution status of an approved activity.
type ExecutionInput struct {
	Biennium string `json:"biennium"`
	Code     string `json:"code"`
	By       string `json:"by"`
	// Text is the final statement (complete) or the reason (cancel).
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// StartExecution puts an approved activity in execution (the adopted
// programme is imported approved and starts here).
func (a *Activities) StartExecution(ctx context.Context, in ExecutionInput) error {
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		return a.moveAudited(ctx, tx, in.Biennium, in.Code, 0, cooperation.ActivityInExecution,
			actorOr(in.By), map[string]any{})
	})
	return reviewErr(err)
}

// CompleteActivity stores the final statement and marks the activity
// completed, in one transaction.
func (a *Activities) CompleteActivity(ctx context.Context, in ExecutionInput) error {
	if strings.TrimSpace(in.Text) == "" {
		return reviewInvalid("complete " + in.Biennium + "/" + in.Code + ": statement: must not be empty")
	}
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SetFinalStatement(ctx, in.Biennium, in.Code, in.Text); err != nil {
			return err
		}
		return a.moveAudited(ctx, tx, in.Biennium, in.Code, 0, cooperation.ActivityCompleted,
			actorOr(in.By), map[string]any{"statement": in.Text})
	})
	return reviewErr(err)
}

// CancelActivity marks an activity in execution cancelled, with its reason.
func (a *Activities) CancelActivity(ctx context.Context, in ExecutionInput) error {
	if strings.TrimSpace(in.Text) == "" {
		return reviewInvalid("cancel " + in.Biennium + "/" + in.Code + ": reason: must not be empty")
	}
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		return a.moveAudited(ctx, tx, in.Biennium, in.Code, 0, cooperation.ActivityCancelled,
			actorOr(in.By), map[string]any{"reason": in.Text})
	})
	return reviewErr(err)
}

func actorOr(by string) string {
	if by == "" {
		return "system"
	}
	return by
}
