package web

import (
	"fmt"
	"strings"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// CallInvitation composes the e-mail that invites a focal point to a call
// for proposals, with their personal link under baseURL; it is the
// store.CallMailFunc the dashboard and `bienal call open` pass to
// store.OpenCall.
func CallInvitation(baseURL string) store.CallMailFunc {
	base := strings.TrimSuffix(baseURL, "/")
	return func(c store.Call, to store.Recipient, token string) (store.Email, error) {
		data := mail.CallData{Lang: to.Language, Name: to.Name, Biennium: c.Biennium, URL: base + linkPath(token), Closes: c.ClosesAt}
		return composeMail(mail.KindCallForProposals, to, data)
	}
}

// proposalReceipt composes the receipt of a proposal sent through a call.
func (s *server) proposalReceipt(biennium, code, title, token string, to store.Recipient) (store.Email, error) {
	data := mail.CallData{Lang: to.Language, Name: to.Name, Biennium: biennium, URL: s.baseURL + linkPath(token),
		Code: code, ActivityTitle: title}
	e, err := composeMail(mail.KindProposalReceipt, to, data)
	e.DedupKey = mail.ProposalReceiptKey(biennium, code)
	return e, err
}

func composeMail(kind string, to store.Recipient, data mail.CallData) (store.Email, error) {
	if !validLanguage(data.Lang) {
		data.Lang = "es"
	}
	data.Title = "bienal"
	c, err := mail.Render(kind, data.Lang, data)
	if err != nil {
		return store.Email{}, fmt.Errorf("compose %s to %s: %w", kind, to.Email, err)
	}
	return store.Email{Recipient: to.Email, Language: data.Lang, Kind: kind, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
}
