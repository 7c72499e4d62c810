package activities

import (
	"context"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// SendOverdueNotice tells the secretariat which tasks of the cycle are late,
// once per cycle and day (mail.OverdueKey). It returns how many tasks it
// listed; none means no message.
func (a *Activities) SendOverdueNotice(ctx context.Context, in OverdueNoticeInput) (int, error) {
	date, err := parseDay("date", in.Date)
	if err != nil {
		return 0, err
	}
	c, err := a.Store.GetCycle(ctx, in.Cycle.Biennium, in.Cycle.Name)
	if err != nil {
		return 0, refusal(err)
	}
	tasks, err := a.Store.ListTasks(ctx, in.Cycle.Biennium, in.Cycle.Name, store.TaskFilter{Status: cooperation.TaskOverdue})
	if err != nil || len(tasks) == 0 {
		return 0, err
	}
	late := make([]mail.LateTask, len(tasks))
	for i, t := range tasks {
		late[i] = mail.LateTask{Code: t.Code, Country: t.Country, Due: t.DueOn}
	}
	data := mail.CycleData{Title: titleOf(c), CycleTitle: titleOf(c), Date: date, Late: late}
	key := func(email string) string { return mail.OverdueKey(in.Cycle.Biennium, in.Cycle.Name, in.Date, email) }
	return len(tasks), a.toSecretariat(ctx, mail.KindOverdueNotice, key, data)
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
	data := mail.CycleData{Title: titleOf(c), CycleTitle: titleOf(c), Reason: in.Reason, Date: a.now().UTC()}
	for _, st := range cooperation.TaskStatuses {
		data.Counts = append(data.Counts, mail.StatusCount{Status: st, N: counts[st]})
		data.Total += counts[st]
	}
	key := func(email string) string { return mail.CycleClosedKey(in.Cycle.Biennium, in.Cycle.Name, email) }
	return a.toSecretariat(ctx, mail.KindCycleClosed, key, data)
}

// toSecretariat writes one message of kind to every secretariat user, each
// under the dedup key key makes of the user's address.
func (a *Activities) toSecretariat(ctx context.Context, kind string, key func(email string) string, data mail.CycleData) error {
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
			_, err = tx.QueueEmail(ctx, store.Email{DedupKey: key(p.Email), Recipient: p.Email, Language: p.Language,
				Kind: kind, Subject: c.Subject, Text: c.Text, HTML: c.HTML})
			if err != nil {
				return err
			}
		}
		return nil
	})
}
