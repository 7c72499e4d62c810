package reminder

import (
	"slices"
	"testing"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// A digest names a task's due day as stored, whatever the reader's zone,
// and a vote's closing with its hour in the reader's zone: a round closing
// at 01:30 UTC on the 21st closes on the 20th in Santiago.
func TestDigestDays(t *testing.T) {
	santiago, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	closes := time.Date(2026, 12, 21, 1, 30, 0, 0, time.UTC)
	group := []store.ReminderItem{
		{Recipient: "ana@cl.example", Language: "es", Location: santiago, Kind: store.ReminderTask, Title: cooperation.Plain("T"), Code: "A1", Country: "CL",
			DueOn: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)},
		{Recipient: "ana@cl.example", Language: "es", Location: santiago, Kind: store.ReminderVote, Title: cooperation.Plain("V"), Code: "A2",
			ClosesAt: closes, DueOn: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)},
	}
	d := newDigest(group, []string{"", ""})
	items := slices.Concat(d.Due, d.Open)
	if len(items) != 2 {
		t.Fatalf("items: %+v", items)
	}
	want := map[string]string{"A1": "20 de diciembre de 2026", "A2": "20 de diciembre de 2026, 22:30 (America/Santiago)"}
	for _, it := range items {
		if it.Date != want[it.Code] {
			t.Errorf("%s: %q, want %q", it.Code, it.Date, want[it.Code])
		}
	}
}
