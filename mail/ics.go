package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/bienal/bienal/store"
)

// Event is a due date to put in the recipient's calendar.
type Event struct {
	// UID is stable for the thing that is due (a task, a vote round), so that
	// a changed date updates the event instead of adding one.
	UID         string
	Summary     string
	Description string
	URL         string
	Due         time.Time // a calendar date; the time of day is ignored
	// At, when set, makes the event the instant something closes (a vote
	// round at 22:43 UTC) rather than a day, which a calendar shows in its
	// reader's own zone.
	At time.Time
	// Sequence grows with every change of the event (an extension).
	Sequence int
	Stamp    time.Time
}

// ICS renders the event as an iCalendar all-day event (RFC 5545), or as
// an instant in UTC when At is set.
func ICS(e Event) []byte {
	var b strings.Builder
	line := func(s string) { foldLine(&b, s) }
	day := e.Due.Format("20060102")
	next := e.Due.AddDate(0, 0, 1).Format("20060102")
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//bienal//EN")
	line("METHOD:PUBLISH")
	line("BEGIN:VEVENT")
	line("UID:" + escapeText(e.UID))
	line(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
	line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
	if e.At.IsZero() {
		line("DTSTART;VALUE=DATE:" + day)
		line("DTEND;VALUE=DATE:" + next)
	} else {
		at := e.At.UTC().Format("20060102T150405Z")
		line("DTSTART:" + at)
		line("DTEND:" + at)
	}
	line("SUMMARY:" + escapeText(e.Summary))
	if e.Description != "" {
		line("DESCRIPTION:" + escapeText(e.Description))
	}
	if e.URL != "" {
		line("URL:" + e.URL)
	}
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String())
}

func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`)
	return r.Replace(s)
}

// foldLine writes one content line, folded at 75 octets as RFC 5545 requires.
func foldLine(b *strings.Builder, s string) {
	for len(s) > 75 {
		cut := 75
		for cut > 0 && (s[cut]&0xC0) == 0x80 {
			cut--
		}
		b.WriteString(s[:cut] + "\r\n")
		s = " " + s[cut:]
	}
	b.WriteString(s + "\r\n")
}

// fillCalendar puts a send's tokens into a stored calendar: unfolded first,
// since a fold may cut a placeholder, then folded again line by line.
func fillCalendar(content []byte, fill func(string) string) []byte {
	s := fill(string(store.UnfoldCalendar(content)))
	var b strings.Builder
	for line := range strings.SplitSeq(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		foldLine(&b, line)
	}
	return []byte(b.String())
}
