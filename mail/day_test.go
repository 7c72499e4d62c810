package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// One writer of days for pages, e-mails and the report, in each language.
func TestFormatDateAndTime(t *testing.T) {
	day := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 12, 20, 22, 43, 0, 0, time.UTC)
	mexico := Zone("America/Mexico_City")
	for lang, want := range map[string][3]string{
		"es": {"20 de diciembre de 2026", "20 de diciembre de 2026, 22:43 (UTC)", "20 de diciembre de 2026, 16:43 (America/Mexico_City)"},
		"en": {"20 December 2026", "20 December 2026, 22:43 (UTC)", "20 December 2026, 16:43 (America/Mexico_City)"},
		"pt": {"20 de dezembro de 2026", "20 de dezembro de 2026, 22:43 (UTC)", "20 de dezembro de 2026, 16:43 (America/Mexico_City)"},
		"fr": {"20 décembre 2026", "20 décembre 2026, 22:43 (UTC)", "20 décembre 2026, 16:43 (America/Mexico_City)"},
	} {
		got := [3]string{FormatDate(lang, day), FormatTime(lang, at, nil), FormatTime(lang, at, mexico)}
		if got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if Zone("Nowhere/Else") != time.UTC || Zone("") != time.UTC {
		t.Error("an unknown zone is UTC")
	}
}

// A vote request and a handover of a vote give the round's closing with
// its hour in the member's zone: 22:43 UTC is still the 12th in Mexico
// City, and would be the 13th in UTC+2.
func TestVoteClosingHasItsHourAndZone(t *testing.T) {
	closes := time.Date(2026, 3, 12, 22, 43, 0, 0, time.UTC)
	for lang, want := range map[string]string{"pt": "12 de março de 2026, 16:43 (America/Mexico_City)", "en": "12 March 2026, 16:43 (America/Mexico_City)"} {
		c, err := Render(KindVoteRequest, lang, ReviewData{Lang: lang, Name: "Carla", Biennium: "2017-2018", Code: "A1", ActivityTitle: plain("Agenda"),
			Round: 1, ClosesAt: closes, Zone: "America/Mexico_City", URL: "https://portal.example.org/vote/~link-1~"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.Text, want) || !strings.Contains(c.HTML, want) {
			t.Errorf("%s vote request: %q should give %q", lang, c.Text, want)
		}
	}
	e, err := HandoverMail("https://portal.example.org")(store.Handover{DedupKey: "k", Role: "principal", Biennium: "2017-2018", Country: "MX",
		To:    store.Person{Email: "eva@mx.example.org", Name: "Eva", Language: "es", TimeZone: "America/Mexico_City"},
		Items: []store.HandoverItem{{Purpose: store.PurposeVote, Title: cooperation.Plain("Agenda"), Code: "A1", Due: closes, Ref: "~link-1~"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "12 de marzo de 2026, 16:43 (America/Mexico_City)"; !strings.Contains(e.Text, want) {
		t.Errorf("handover: %q should give %q", e.Text, want)
	}
}

// A due day is an all-day event on that day; a round's closing is the
// instant, in UTC, which a calendar shows in its reader's zone.
func TestCalendarEvents(t *testing.T) {
	day := string(ICS(Event{UID: "task@bienal", Summary: "Report", Due: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), Stamp: time.Now()}))
	if !strings.Contains(day, "\r\nDTSTART;VALUE=DATE:20261220\r\nDTEND;VALUE=DATE:20261221\r\n") {
		t.Errorf("all-day event: %s", day)
	}
	at := string(ICS(Event{UID: "vote@bienal", Summary: "Vote", At: time.Date(2026, 12, 20, 22, 43, 0, 0, time.FixedZone("X", 9*3600)), Stamp: time.Now()}))
	if !strings.Contains(at, "\r\nDTSTART:20261220T134300Z\r\nDTEND:20261220T134300Z\r\n") {
		t.Errorf("a closing instant: %s", at)
	}
}
