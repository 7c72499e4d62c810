package reminder

import (
	"context"
	"fmt"
	"strings"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// digestData lists every open item of the recipient. The items due now get a
// fresh link each; the others are listed with their due date and status,
// since every earlier message's link still works (links are never replaced),
// and get a fresh link only where missing says the recipient has no live
// one, so nothing listed is out of reach. The links are made in one statement.
func (s *Sweeper) digestData(ctx context.Context, tx *store.Store, group []store.ReminderItem, missing map[store.LinkRef]bool) (mail.Digest, error) {
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
		return mail.Digest{}, fmt.Errorf("reminder digest for %s: %w", group[0].Recipient, err)
	}
	urls := make([]string, len(group))
	base := strings.TrimRight(s.BaseURL, "/") + "/l/"
	for j, i := range linked {
		urls[i] = base + refs[j]
	}
	return newDigest(group, urls), nil
}

// newDigest sorts the group into the items due now and the other open ones.
func newDigest(group []store.ReminderItem, urls []string) mail.Digest {
	first := group[0]
	d := mail.Digest{Lang: first.Language, Title: "bienal", Name: first.Name, Count: len(group)}
	for i, it := range group {
		if i == 0 || it.DueOn.Before(d.Next) {
			d.Next, d.NextOverdue = it.DueOn, it.Overdue
		}
		item := mail.DigestItem{Task: it.Kind == store.ReminderTask, Vote: it.Kind == store.ReminderVote, Title: it.Title.Show(first.Language), Code: it.Code, Country: it.Country, Cycle: it.Cycle,
			Date: mail.FormatDate(first.Language, it.DueOn), Overdue: it.Overdue, URL: urls[i], For: it.For}
		if item.Vote {
			// A round closes at an hour, which the person is told in their zone.
			item.Date = mail.FormatTime(first.Language, it.ClosesAt, it.Location)
		}
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
