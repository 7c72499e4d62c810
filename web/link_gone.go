package web

import (
	"net/http"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// goneData is what the page of a link that stopped working says: that its
// holder was replaced in the role the item belongs to, or, for a vote,
// that the round was decided and how.
type goneData struct {
	Replaced bool
	// Item names what the link opened: a task's activity code and country,
	// or an activity.
	Code, Country, Cycle, Title string
	Tally                       *tallyView
}

// goneLink answers a token whose link stopped working for a reason its
// holder should hear, with 410 Gone, in the holder's language: they were
// replaced (a new focal point or delegate holds the item now), or the round
// they were to vote in was decided (its outcome and tally). It reports
// false, writing nothing, for every other token, which gets the one page
// any invalid link gets.
func (s *server) goneLink(w http.ResponseWriter, r *http.Request, token string) bool {
	l, err := s.store.FindLink(r.Context(), token)
	if err != nil || l.RevokedAt == nil {
		return false
	}
	var data goneData
	switch {
	case l.RevokedCause == store.RevokedReplaced:
		data.Replaced = true
	case l.RevokedCause == store.RevokedClosed && l.Purpose == store.PurposeVote:
	default:
		return false
	}
	lang := s.recipientLanguage(r, l.Recipient)
	if rest, ok := subjectAfter(l.Subject, "task"); ok {
		if k, err := cooperation.ParseTaskKey(rest); err == nil {
			data.Code, data.Country, data.Cycle = k.Code, k.Country, k.Cycle
		}
	} else if rest, ok := subjectAfter(l.Subject, "activity"); ok {
		biennium, code, _ := strings.Cut(rest, "/")
		data.Code = code
		if a, err := s.store.ReviewActivity(r.Context(), biennium, code); err == nil {
			data.Title = a.Title
			if !data.Replaced && a.Round > 0 {
				if data.Tally, err = s.roundTally(r, lang, biennium, code, a.Round); err != nil {
					s.internal(w, r, "load the round's tally", err)
					return true
				}
			}
		}
	}
	title := "link_replaced_title"
	if !data.Replaced {
		title = "round_decided"
	}
	s.log.Info("link gone", "purpose", l.Purpose, "cause", l.RevokedCause)
	s.render(w, r, http.StatusGone, "link_gone", page{Lang: lang, TitleKey: title, Data: data})
	return true
}
