package reminder

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bienal/bienal/store"
)

// digest is what the reminder template reads.
type digest struct {
	Lang  string
	Title string
	Name  string
	// Next is the earliest due date listed.
	Next  time.Time
	Items []digestItem
}

type digestItem struct {
	Kind    string
	Title   string
	Code    string
	Country string
	Cycle   string
	Round   int
	DueOn   time.Time
	Overdue bool
	URL     string
}

// digestData lists every open item of the recipient, due or not, each with a
// fresh personal link, so one message says everything they have to do. The
// links are made in one statement: a recipient may have a thousand items.
func (s *Sweeper) digestData(ctx context.Context, tx *store.Store, group []store.ReminderItem) (digest, error) {
	first := group[0]
	links := make([]store.NewLink, len(group))
	for i, it := range group {
		purpose, subject := linkFor(it)
		links[i] = store.NewLink{Purpose: purpose, Subject: subject, Recipient: it.Recipient, ExpiresAt: it.LinkExpires}
	}
	tokens, err := tx.CreateLinks(ctx, links)
	if err != nil {
		return digest{}, fmt.Errorf("reminder digest for %s: %w", first.Recipient, err)
	}
	base := strings.TrimRight(s.BaseURL, "/") + "/l/"
	d := digest{Lang: first.Language, Title: "bienal", Name: first.Name, Items: make([]digestItem, 0, len(group))}
	for i, it := range group {
		if i == 0 || it.DueOn.Before(d.Next) {
			d.Next = it.DueOn
		}
		d.Items = append(d.Items, digestItem{
			Kind: it.Kind, Title: it.Title, Code: it.Code, Country: it.Country, Cycle: it.Cycle, Round: it.Round,
			DueOn: it.DueOn, Overdue: it.Overdue, URL: base + tokens[i],
		})
	}
	return d, nil
}

// linkFor is the purpose and subject of the link to an item: a report task
// is answered on its task page, a vote on its activity's page.
func linkFor(it store.ReminderItem) (purpose, subject string) {
	if it.Kind == store.ReminderTask {
		return store.PurposeReport, it.Item
	}
	return store.PurposeVote, fmt.Sprintf("activity/%s/%s", it.Biennium, it.Code)
}
