package mail

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// HandoverData is what a handover reads: the message to a person who takes
// over open items as the new focal point or delegate of a country (Role),
// or who acts for someone away (Role delegate, FromName, Until).
type HandoverData struct {
	Lang, Title, Name string
	Role              string
	Country           string
	FromName          string
	Biennium          string
	Effective, Until  time.Time
	Items             []HandoverItem
}

// HandoverItem is one item handed over, with its link.
type HandoverItem struct {
	// Task is a report task; Revise a proposal to revise, Complete an
	// activity to report completed; otherwise a vote (Casting: the
	// Chair's casting vote).
	Task, Revise, Complete, Casting bool
	Title                           cooperation.Shown
	Code                            string
	Country                         string
	Cycle                           string
	// Date is the due day of a task, the last day of a link to revise or
	// complete, or the day and hour a vote's round closes in the
	// recipient's zone, written in the message's language.
	Date string
	URL  string
}

// linkPaths are where each purpose's links open, as the messages that first
// sent them write them: invitations /tasks/, vote requests /vote/, changes
// requested /revise/; a completion link opens under /l/, which takes any.
var linkPaths = map[string]string{store.PurposeReport: "/tasks/", store.PurposeVote: "/vote/",
	store.PurposeRevise: "/revise/", store.PurposeComplete: "/l/"}

// HandoverMail composes handovers with links under baseURL: the
// store.HandoverMailFunc that replacements, imports and delegations pass.
// Each item is linked as the message that first sent it links it
// (linkPaths).
func HandoverMail(baseURL string) store.HandoverMailFunc {
	base := strings.TrimSuffix(baseURL, "/")
	return func(h store.Handover) (store.Email, error) {
		lang := h.To.Language
		if !slices.Contains(Languages, lang) {
			lang = "es"
		}
		data := HandoverData{Lang: lang, Title: "bienal", Name: h.To.Name, Role: h.Role, Country: h.Country,
			FromName: h.From.Name, Biennium: h.Biennium, Effective: h.Effective, Until: h.Until}
		for _, it := range h.Items {
			item := HandoverItem{Task: it.Purpose == store.PurposeReport, Revise: it.Purpose == store.PurposeRevise,
				Complete: it.Purpose == store.PurposeComplete, Casting: it.Casting, Title: it.Title.Show(lang),
				Code: it.Code, Country: it.Country, Cycle: it.CycleTitle, Date: FormatDate(lang, it.Due)}
			if it.Purpose == store.PurposeVote {
				// A round closes at an hour, which falls on another day elsewhere.
				item.Date = FormatTime(lang, it.Due, Zone(h.To.TimeZone))
			}
			item.URL = base + linkPaths[it.Purpose] + it.Ref
			data.Items = append(data.Items, item)
		}
		c, err := Render(KindHandover, lang, data)
		if err != nil {
			return store.Email{}, fmt.Errorf("compose handover to %s: %w", h.To.Email, err)
		}
		return store.Email{Recipient: h.To.Email, Language: lang, Kind: KindHandover, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
	}
}
