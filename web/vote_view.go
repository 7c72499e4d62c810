package web

import (
	"net/http"
	"time"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// diffView is one changed field of a proposal as a reviewer reads it: the
// field named in their language, and each changed line with the words
// that changed marked within it.
type diffView struct {
	Label string
	Lines []lineView
}

// lineView is a line kept, removed or added; Words, when set, is a line
// replaced by another, word by word (Op " " kept, "-" removed, "+" added).
type lineView struct {
	Op    string
	Text  string
	Words []store.DiffWord
}

// diffFields name the fields of a proposal with the catalogue's keys.
var diffFields = map[string]string{"title": "title", "description": "description", "expected_outputs": "expected_outputs",
	"starts_on": "f_starts_on", "ends_on": "f_ends_on"}

// diffViews turns the line diffs of a proposal into what the page shows: a
// removed line directly followed by an added one becomes one line whose
// changed words are marked, so a one-phrase edit reads as that phrase.
func diffViews(lang string, diffs []store.FieldDiff) []diffView {
	out := make([]diffView, 0, len(diffs))
	for _, d := range diffs {
		key, ok := diffFields[d.Field]
		if !ok {
			key = d.Field
		}
		v := diffView{Label: translate(lang, key)}
		for i := 0; i < len(d.Lines); i++ {
			l := d.Lines[i]
			if l.Op == "-" && i+1 < len(d.Lines) && d.Lines[i+1].Op == "+" {
				if words := store.DiffWords(l.Text, d.Lines[i+1].Text); words != nil {
					v.Lines = append(v.Lines, lineView{Op: "~", Words: words})
					i++
					continue
				}
			}
			v.Lines = append(v.Lines, lineView{Op: l.Op, Text: l.Text})
		}
		out = append(out, v)
	}
	return out
}

// tallyView is a round's votes as a member reads them after voting: by
// seat (its country) and by who cast each, with the round's outcome once
// decided, or the seats still to vote while it is open.
type tallyView struct {
	Rows      []tallyRow
	Majority  int
	Pending   []string
	Outcome   string
	DecidedBy string
}

type tallyRow struct {
	Seat, By, Decision, Comment string
	Casting                     bool
}

// roundTally reads the round's tally from Postgres, where a vote is stored
// before its sender is answered: the page shows what was counted.
func (s *server) roundTally(r *http.Request, lang string, biennium, code string, round int) (*tallyView, error) {
	rd, err := s.store.LoadRound(r.Context(), biennium, code, round)
	if err != nil {
		return nil, err
	}
	votes, err := s.store.ListVotes(r.Context(), biennium, code)
	if err != nil {
		return nil, err
	}
	t := &tallyView{Outcome: rd.Outcome, DecidedBy: rd.DecidedBy}
	voted := map[string]bool{}
	for _, v := range votes {
		if v.Round != round {
			continue
		}
		t.Rows = append(t.Rows, tallyRow{Seat: seatName(lang, v.Seat), By: v.MemberName, Decision: v.Decision,
			Comment: v.Comment, Casting: v.Casting})
		if !v.Casting {
			voted[v.Seat] = true
		}
	}
	entitled := 0
	for _, st := range rd.Seats {
		if st.Recused {
			continue
		}
		entitled++
		if rd.Outcome == "" && !voted[st.Country] {
			t.Pending = append(t.Pending, seatName(lang, st.Country))
		}
	}
	t.Majority = entitled/2 + 1
	return t, nil
}

// zonedTime writes an instant for a reader of lang in the time zone tz (UTC
// when tz names none): the day in their language, the hour and the zone,
// since a round that closes at 22:43 UTC closes on another day elsewhere.
func (s *server) zonedTime(lang string, t time.Time, tz string) string {
	return mail.FormatTime(lang, t, mail.Zone(tz))
}
