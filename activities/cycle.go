package activities

import (
	"context"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// CycleRef names a reporting cycle. It is also the one argument of the
// activity "StoreCycleReports" that the cycle calls when it closes.
type CycleRef struct {
	Biennium string `json:"biennium"`
	Name     string `json:"name"`
}

func (r CycleRef) String() string { return r.Biennium + "/" + r.Name }

// CycleInfo is a cycle as its workflow needs to know it.
type CycleInfo struct {
	Title  string                  `json:"title"`
	Due    string                  `json:"due"`    // YYYY-MM-DD
	Closes string                  `json:"closes"` // YYYY-MM-DD
	Status cooperation.CycleStatus `json:"status"`
}

// TargetsInput asks for the next page of (activity, country) pairs after After.
type TargetsInput struct {
	Cycle CycleRef           `json:"cycle"`
	After cooperation.Target `json:"after"`
	Limit int                `json:"limit"`
}

// CloseCycleInput closes a cycle; Reason is complete, closing_date or signal.
type CloseCycleInput struct {
	Cycle  CycleRef `json:"cycle"`
	Reason string   `json:"reason"`
	By     string   `json:"by"`
}

// OverdueNoticeInput asks for the day's notice of late tasks.
type OverdueNoticeInput struct {
	Cycle CycleRef `json:"cycle"`
	Date  string   `json:"date"` // YYYY-MM-DD, the day the notice is for
}

// LoadCycle reads the cycle's row, which `bienal cycle open` wrote.
func (a *Activities) LoadCycle(ctx context.Context, ref CycleRef) (CycleInfo, error) {
	c, err := a.Store.GetCycle(ctx, ref.Biennium, ref.Name)
	if err != nil {
		return CycleInfo{}, refusal(err)
	}
	return CycleInfo{Title: c.Title, Due: c.DueOn.Format(time.DateOnly), Closes: c.ClosesOn.Format(time.DateOnly), Status: c.Status}, nil
}

// CycleTargets returns the next page of (activity, country) pairs owed a task.
func (a *Activities) CycleTargets(ctx context.Context, in TargetsInput) ([]cooperation.Target, error) {
	return a.Store.CycleTargetsOf(ctx, in.Cycle.Biennium, in.Cycle.Name, in.After, in.Limit)
}

// CloseCycle marks the cycle closed and its unanswered tasks missing, once.
func (a *Activities) CloseCycle(ctx context.Context, in CloseCycleInput) (int64, error) {
	var missing int64
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		if missing, err = tx.CloseCycle(ctx, in.Cycle.Biennium, in.Cycle.Name); err != nil {
			return err
		}
		by, err := actorOf(ctx, tx, in.By)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, "cycle-closed/"+in.Cycle.String(), by, cooperation.CycleID(in.Cycle.Biennium, in.Cycle.Name), "cycle_closed",
			map[string]any{"reason": in.Reason, "missing": missing})
	})
	return missing, err
}

func titleOf(c store.Cycle) string {
	if c.Title != "" {
		return c.Title
	}
	return c.Biennium + "/" + c.Name
}
