package report_test

import (
	"regexp"
	"testing"
	"time"
)

// The consolidated report names the cycle's due and closing days and a
// clarification's due day as typed, in each language and format, never the
// day after; the day of an instant (the cycle closed at 23:59 UTC on 31
// July) is its day in UTC.
func TestReportNamesTheDaysTyped(t *testing.T) {
	t.Parallel()
	r := seeded(t)
	// However the instant arrives (the driver gives it in the process's
	// zone), its day is its day in UTC.
	tokyo := time.FixedZone("JST", 9*60*60)
	closed := r.Cycle.ClosedAt.In(tokyo)
	r.Cycle.ClosedAt, r.Date = &closed, r.Date.In(tokyo)
	days := map[string][]string{
		"es": {"30 de junio de 2018", "31 de julio de 2018", "20 de julio de 2018"},
		"en": {"30 June 2018", "31 July 2018", "20 July 2018"},
		"pt": {"30 de junho de 2018", "31 de julho de 2018", "20 de julho de 2018"},
		"fr": {"30 juin 2018", "31 juillet 2018", "20 juillet 2018"},
	}
	after := map[string]string{"es": "1 de agosto de 2018", "en": "1 August 2018", "pt": "1 de agosto de 2018", "fr": "1 août 2018"}
	for lang, want := range days {
		for _, format := range []string{"html", "md"} {
			doc := write(t, r, lang, format)
			for _, d := range want {
				if format == "md" && d == want[2] {
					continue // the Markdown lists no review history
				}
				if !regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(d)).MatchString(doc) {
					t.Errorf("%s %s: %q missing", lang, format, d)
				}
			}
			if regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(after[lang])).MatchString(doc) {
				t.Errorf("%s %s names the day after the closing day, %q", lang, format, after[lang])
			}
		}
	}
}
