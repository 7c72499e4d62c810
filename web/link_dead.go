package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// deadLinkData is what the page of a link that opens nothing says: why, what
// the link was for, what to do and whom to write to.
type deadLinkData struct {
	Reason string
	// Why is the sentence that says what happened, with its date; Received
	// what the cycle got from the country, for a closed cycle.
	Why, Received string
	// Next says what to do.
	Next string
	// For names what the link was for, empty when the token is unknown.
	For template.HTML
	// Contact is the secretariat's address, MailTo a mailto: URL to it
	// whose subject names the link's subject; both empty when unknown.
	Contact store.Contact
	MailTo  string
}

// deadStatus is the status of each reason: 404 for an address that never
// was a link, 410 for a link that was and no longer is.
func deadStatus(reason string) int {
	switch reason {
	case store.DeadTruncated, store.DeadUnknown, deadUnfit:
		return http.StatusNotFound
	}
	return http.StatusGone
}

// deadTexts are each reason's heading, sentence and advice. The sentences
// of reasons with a date take it as their first argument.
var deadTexts = map[string]struct{ title, why, next string }{
	store.DeadTruncated:   {"dead_truncated_title", "dead_truncated_body", "dead_truncated_next"},
	store.DeadUnknown:     {"dead_unknown_title", "dead_unknown_body", "dead_unknown_next"},
	store.DeadExpired:     {"dead_expired_title", "dead_expired_body", "dead_expired_next"},
	store.DeadRevoked:     {"dead_revoked_title", "dead_revoked_body", "dead_revoked_next"},
	store.DeadWaived:      {"dead_waived_title", "dead_waived_body", "dead_waived_next"},
	store.DeadCycleClosed: {"dead_cycle_closed_title", "dead_cycle_closed_body", "dead_cycle_closed_next"},
	store.DeadDecided:     {"dead_decided_title", "dead_decided_body", "dead_decided_next"},
	store.DeadWithdrawn:   {"dead_withdrawn_title", "dead_withdrawn_body", "dead_withdrawn_next"},
	store.DeadCallClosed:  {"dead_call_closed_title", "dead_call_closed_body", "dead_call_closed_next"},
	store.DeadReplaced:    {"dead_replaced_title", "dead_replaced_body", "dead_replaced_next"},
	deadUnfit:             {"dead_unfit_title", "dead_unfit_body", "dead_unfit_next"},
}

// outcomeWords say what a decided round did to the proposal.
var outcomeWords = map[string]string{
	string(cooperation.Approve): "outcome_approve", string(cooperation.Reject): "outcome_reject",
	string(cooperation.RequestChanges): "outcome_request_changes",
}

// deadUnfit is a link that opens but grants nothing on this page: another
// recipient's task, a seat no longer on the roster.
const deadUnfit = "unfit"

// showDeadLink answers a token that opens nothing with the page of its
// reason, in the language of the link's recipient when the token was issued
// (else the browser's). GET or POST, nothing is changed.
func (s *server) showDeadLink(w http.ResponseWriter, r *http.Request, token string) {
	d, err := s.store.ExplainLink(r.Context(), token, s.now())
	if err != nil {
		s.internal(w, r, "explain link", err)
		return
	}
	if d.Reason == "" {
		// Live again since the lookup (a clock at the edge of its expiry):
		// it is still dead for this request.
		d.Reason, d.At = store.DeadExpired, d.Link.ExpiresAt
	}
	s.log.Info("link refused", "reason", d.Reason, "client", clientAddress(r))
	lang := pickLanguage(r, "")
	if d.Link.Recipient != "" {
		lang = s.recipientLanguage(r, d.Link.Recipient)
	}
	s.renderDeadLink(w, r, lang, d)
}

// renderDeadLink writes the page of d in lang.
func (s *server) renderDeadLink(w http.ResponseWriter, r *http.Request, lang string, d store.DeadLink) {
	texts, ok := deadTexts[d.Reason]
	if !ok {
		s.log.Error("dead link reason without a page", "reason", d.Reason)
		d.Reason, texts = store.DeadRevoked, deadTexts[store.DeadRevoked]
	}
	data := deadLinkData{Reason: d.Reason, For: linkFor(lang, d), Next: translate(lang, texts.next)}
	// Instants (a revocation, a decision, a close) are named by their day in
	// UTC, the zone days are kept in, whatever zone the driver gave them.
	day := func(t time.Time) string { return mail.FormatDate(lang, t.UTC()) }
	why := translate(lang, texts.why)
	switch d.Reason {
	case store.DeadDecided:
		data.Why = fmt.Sprintf(why, d.Round, day(d.At), translate(lang, outcomeWords[d.Outcome]))
	case store.DeadCallClosed:
		data.Why = fmt.Sprintf(why, day(mail.LastDay(d.At)))
	case store.DeadTruncated, store.DeadUnknown, deadUnfit:
		data.Why = why
	default:
		data.Why = fmt.Sprintf(why, day(d.At))
	}
	if d.Reason == store.DeadCycleClosed {
		if d.Received != nil {
			data.Received = fmt.Sprintf(translate(lang, "dead_received"), day(*d.Received))
		} else {
			data.Received = translate(lang, "dead_not_received")
		}
	}
	c, err := s.store.SecretariatContact(r.Context())
	if err == nil {
		data.Contact = c
		about := d.Link.Subject
		if about == "" {
			// No token, even a part of one: whoever reads the mail must
			// not be able to act with it.
			first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
			about = "/" + first + "/…"
		}
		data.MailTo = (&url.URL{Scheme: "mailto", Opaque: c.Email,
			RawQuery: "subject=" + url.PathEscape("bienal: "+about)}).String()
	} else if !errors.Is(err, store.ErrNotFound) {
		s.log.Warn("secretariat contact unknown", "error", err)
	}
	p := page{Lang: lang, TitleKey: texts.title, Data: data}
	s.render(w, r, deadStatus(d.Reason), "deadlink", p)
}

// linkFor names what a link was for, in lang; empty when nothing is known.
func linkFor(lang string, d store.DeadLink) template.HTML {
	// The sentence is HTML so that the title, where it is not in lang, is
	// in an element naming its language; every other part is escaped.
	say := func(key string, args ...any) template.HTML {
		for i, a := range args {
			if s, ok := a.(string); ok {
				args[i] = template.HTMLEscapeString(s)
			}
		}
		return template.HTML(fmt.Sprintf(template.HTMLEscapeString(translate(lang, key)), args...))
	}
	title := mail.ShownHTML(d.Title.Show(lang))
	switch {
	case d.Task != nil:
		return say("dead_for_task", d.Code, title, mail.CountryName(lang, d.Task.Country), d.Task.Cycle)
	case d.Link.Purpose == store.PurposeVote && d.Code != "":
		return say("dead_for_vote", d.Code, title)
	case d.Code != "":
		return say("dead_for_activity", d.Code, title)
	case d.Link.Purpose == store.PurposePropose && d.Biennium != "":
		return say("dead_for_call", d.Biennium)
	}
	return ""
}
