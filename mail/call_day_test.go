package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/bienal/bienal/store"
)

// A call closing 2026-12-20 is stored as ending at midnight of the 21st;
// the invitation says the 20th, in every language.
func TestCallInvitationSaysTheLastDay(t *testing.T) {
	end := time.Date(2026, 12, 21, 0, 0, 0, 0, time.UTC)
	if got := LastDay(end); !got.Equal(time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("LastDay(%s) = %s", end, got)
	}
	for lang, want := range map[string]string{"en": "20 December 2026", "es": "20 de diciembre de 2026"} {
		e, err := CallInvitation("https://bienal.example")(store.Call{Biennium: "2027-2028", ClosesAt: end},
			store.Recipient{Email: "fp@example.org", Name: "Ana", Language: lang}, "~link-1~")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(e.Subject, want) || strings.Contains(e.Subject+e.Text, "21 ") {
			t.Errorf("%s: %q / %q should name the 20th only", lang, e.Subject, e.Text)
		}
	}
}
