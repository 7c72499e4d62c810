package reminder

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// digest is what the reminder template reads.
type digest struct {
	Lang  string
	Title string
	Name  string
	// Next is the earliest due date listed; Count the items listed.
	Next  time.Time
	Count int
	// Due are the items reminded of now, each with a fresh link.
	Due []digestItem
	// Open are the recipient's other open items. An item has a URL only when
	// the recipient holds no live link to it; EarlierLinks says some have
	// none, so the message says the links of earlier messages still work.
	Open         []digestItem
	EarlierLinks bool
}

type digestItem struct {
	// Task and Vote say the kind (neither: the Chair's casting vote), as
	// fields because a template function call per item costs more.
	Task    bool
	Vote    bool
	Title   string
	Code    string
	Country string
	// Date is the due date written in the digest's language, once in Go
	// rather than once per item through a template function.
	Date    string
	Overdue bool
	URL     string
}

// digestData lists every open item of the recipient. The items due now get a
// fresh link each; the others are listed with their due date and status,
// since every earlier message's link still works (links are never replaced),
// and get a fresh link only where missing says the recipient has no live
// one, so nothing listed is out of reach. The links are made in one statement.
func (s *Sweeper) digestData(ctx context.Context, tx *store.Store, group []store.ReminderItem, missing map[store.LinkRef]bool) (digest, error) {
	var links []store.NewLink
	var linked []int
	for i, it := range group {
		ref := it.LinkRef()
		if it.Due() || missing[ref] {
			links = append(links, store.NewLink{Purpose: ref.Purpose, Subject: ref.Subject, Recipient: ref.Recipient, ExpiresAt: it.LinkExpires})
			linked = append(linked, i)
		}
	}
	// The digest holds the links' placeholders; their tokens are minted when it is sent.
	refs, err := tx.CreateMailLinks(ctx, links)
	if err != nil {
		return digest{}, fmt.Errorf("reminder digest for %s: %w", group[0].Recipient, err)
	}
	urls := make([]string, len(group))
	base := strings.TrimRight(s.BaseURL, "/") + "/l/"
	for j, i := range linked {
		urls[i] = base + refs[j]
	}
	return newDigest(group, urls), nil
}

// newDigest sorts the group into the items due now and the other open ones.
func newDigest(group []store.ReminderItem, urls []string) digest {
	first := group[0]
	d := digest{Lang: first.Language, Title: "bienal", Name: first.Name, Count: len(group)}
	for i, it := range group {
		if i == 0 || it.DueOn.Before(d.Next) {
			d.Next = it.DueOn
		}
		item := digestItem{Task: it.Kind == store.ReminderTask, Vote: it.Kind == store.ReminderVote, Title: it.Title, Code: it.Code, Country: it.Country,
			Date: mail.FormatDate(first.Language, it.DueOn), Overdue: it.Overdue, URL: urls[i]}
		switch {
		case it.Due():
			d.Due = append(d.Due, item)
		default:
			d.Open = append(d.Open, item)
			d.EarlierLinks = d.EarlierLinks || item.URL == ""
		}
	}
	return d
}
