package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/bienal/bienal/mail"
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
	Title  string `json:"title"`
	Due    string `json:"due"`    // YYYY-MM-DD
	Closes string `json:"closes"` // YYYY-MM-DD
	Status string `json:"status"`
}

// TargetsInput asks for the next page of (activity, country) pairs after After.
type TargetsInput struct {
	Cycle CycleRef     `json:"cycle"`
	After store.Target `json:"after"`
	Limit int          `json:"limit"`
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
func (a *Activities) CycleTargets(ctx context.Context, in TargetsInput) ([]store.Target, error) {
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
		return tx.Audit(ctx, "cycle-closed/"+in.Cycle.String(), in.By, "cycle/"+in.Cycle.String(), "cycle_closed",
			map[string]any{"reason": in.Reason, "missing": missing})
	})
	return missing, err
}

type lateTask struct {
	Code, Country, ActivityTitle string
	Due                          time.Time
}

type cycleMail struct {
	Lang, Title, CycleTitle, Reason string
	Date                            time.Time
	Late                            []lateTask
	Counts                          []statusCount
	Total                           int
}

type statusCount struct {
	Status string
	N      int
}

// SendOverdueNotice tells the secretariat which tasks of the cycle are late,
// once per cycle and day (dedup key overdue/<biennium>/<name>/<date>/<recipient>).
// It returns how many tasks it listed; none means no message.
func (a *Activities) SendOverdueNotice(ctx context.Context, in OverdueNoticeInput) (int, error) {
	date, err := parseDay("date", in.Date)
	if err != nil {
		return 0, err
	}
	c, err := a.Store.GetCycle(ctx, in.Cycle.Biennium, in.Cycle.Name)
	if err != nil {
		return 0, refusal(err)
	}
	tasks, err := a.Store.ListTasks(ctx, in.Cycle.Biennium, in.Cycle.Name, store.TaskFilter{Status: store.TaskOverdue})
	if err != nil || len(tasks) == 0 {
		return 0, err
	}
	late := make([]lateTask, len(tasks))
	for i, t := range tasks {
		late[i] = lateTask{Code: t.Code, Country: t.Country, Due: t.DueOn}
	}
	data := cycleMail{Title: titleOf(c), CycleTitle: titleOf(c), Date: date, Late: late}
	key := fmt.Sprintf("overdue/%s/%s/%s", in.Cycle.Biennium, in.Cycle.Name, in.Date)
	return len(tasks), a.toSecretariat(ctx, "overdue_notice", key, data)
}

// SendCycleClosed tells the secretariat that the cycle closed, with its counts.
func (a *Activities) SendCycleClosed(ctx context.Context, in CloseCycleInput) error {
	c, err := a.Store.GetCycle(ctx, in.Cycle.Biennium, in.Cycle.Name)
	if err != nil {
		return refusal(err)
	}
	counts, err := a.Store.CycleCounts(ctx, in.Cycle.Biennium, in.Cycle.Name)
	if err != nil {
		return err
	}
	data := cycleMail{Title: titleOf(c), CycleTitle: titleOf(c), Reason: in.Reason, Date: a.now()}
	for _, st := range store.TaskStatuses {
		data.Counts = append(data.Counts, statusCount{Status: st, N: counts[st]})
		data.Total += counts[st]
	}
	return a.toSecretariat(ctx, "cycle_closed", "cycle_closed/"+in.Cycle.String(), data)
}

// toSecretariat writes one message of kind to every secretariat user; the
// dedup key gets the recipient appended.
func (a *Activities) toSecretariat(ctx context.Context, kind, key string, data cycleMail) error {
	people, err := a.Store.Secretariat(ctx)
	if err != nil {
		return err
	}
	return a.Store.InTx(ctx, func(tx *store.Store) error {
		for _, p := range people {
			data.Lang = p.Language
			c, err := mail.Render(kind, p.Language, data)
			if err != nil {
				return err
			}
			_, err = tx.QueueEmail(ctx, store.Email{DedupKey: key + "/" + p.Email, Recipient: p.Email, Language: p.Language,
				Kind: kind, Subject: c.Subject, Text: c.Text, HTML: c.HTML})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func titleOf(c store.Cycle) string {
	if c.Title != "" {
		return c.Title
	}
	return c.Biennium + "/" + c.Name
}
