package mail

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// LinkURL is the address of a personal link under the portal's base
// address: token is the link's token, or the placeholder a stored message
// holds in its place (store.CreateMailLink).
func LinkURL(baseURL, token string) string {
	return strings.TrimSuffix(baseURL, "/") + "/l/" + token
}

// CallInvitation composes the e-mail that invites a focal point to a call
// for proposals, with their personal link under baseURL: the
// store.CallMailFunc that opening a call passes to store.OpenCall.
func CallInvitation(baseURL string) store.CallMailFunc {
	return func(c store.Call, to store.Recipient, token string) (store.Email, error) {
		data := CallData{Lang: to.Language, Name: to.Name, Biennium: c.Biennium, URL: LinkURL(baseURL, token), Closes: LastDay(c.ClosesAt)}
		return composeCall(KindCallForProposals, to, data)
	}
}

// ProposalReceipt composes the receipt of a proposal, to its proposer. url
// is the call's link through which they follow its status; empty when no
// call is open, and the receipt then only says the proposal is in.
func ProposalReceipt(biennium, code string, title cooperation.TextSet, url string, to store.Recipient) (store.Email, error) {
	data := CallData{Lang: to.Language, Name: to.Name, Biennium: biennium, URL: url, Code: code, ActivityTitle: title.Show(to.Language)}
	e, err := composeCall(KindProposalReceipt, to, data)
	e.DedupKey = ProposalReceiptKey(biennium, code)
	return e, err
}

// composeCall renders a message of a call in its recipient's language, or
// in Spanish, the programme's first, when theirs is none of Languages.
func composeCall(kind string, to store.Recipient, data CallData) (store.Email, error) {
	if !slices.Contains(Languages, data.Lang) {
		data.Lang = "es"
	}
	data.Title = "bienal"
	c, err := Render(kind, data.Lang, data)
	if err != nil {
		return store.Email{}, fmt.Errorf("compose %s to %s: %w", kind, to.Email, err)
	}
	return store.Email{Recipient: to.Email, Language: data.Lang, Kind: kind, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
}

// LastDay is the calendar day (UTC) that ends at end: a call open "until 20
// December" is stored as closing when that day ends, at midnight of the
// 21st, and people are told the 20th.
func LastDay(end time.Time) time.Time {
	end = end.UTC()
	day := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	if end.Equal(day) {
		return day.AddDate(0, 0, -1)
	}
	return day
}
