package mail

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// TestKindsInEveryLanguage fails for every kind that lacks a subject, a
// text or an HTML body in one of Languages: Render would send that reader
// English.
func TestKindsInEveryLanguage(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds {
		for _, lang := range Languages {
			for _, part := range []string{"subject", "text", "html"} {
				name := k.Name + "." + part + "." + lang
				if textTemplates.Lookup(name) == nil || htmlTemplates.Lookup(name) == nil {
					t.Errorf("kind %s has no %s in %s (templates/%s.tmpl, %q)", k.Name, part, lang, k.Name, name)
				}
			}
		}
	}
}

var subjectName = regexp.MustCompile(`^([a-z_]+)\.subject\.[a-z]+$`)

// TestTemplatesAreKinds fails for a message written in templates/ and not
// listed in Kinds, which no test would then hold to every language.
func TestTemplatesAreKinds(t *testing.T) {
	t.Parallel()
	for _, tpl := range textTemplates.Templates() {
		if m := subjectName.FindStringSubmatch(tpl.Name()); m != nil {
			if _, ok := kindNamed(m[1]); !ok {
				t.Errorf("templates define %s, but Kinds lists no kind %s", tpl.Name(), m[1])
			}
		}
	}
}

// TestRenderRefusesOtherData keeps each kind to its one data type.
func TestRenderRefusesOtherData(t *testing.T) {
	t.Parallel()
	if _, err := Render(KindReceipt, "es", ReviewData{}); err == nil {
		t.Error("a receipt rendered from ReviewData")
	}
	if _, err := Render("no_such_kind", "es", TaskData{}); err == nil {
		t.Error("an unknown kind rendered")
	}
}

var (
	day     = time.Date(2018, 5, 31, 0, 0, 0, 0, time.UTC)
	closes  = time.Date(2018, 6, 30, 0, 0, 0, 0, time.UTC)
	diffs   = []store.FieldDiff{{Field: "expected_outputs", Lines: []store.DiffLine{{Op: "-", Text: "One study"}, {Op: "+", Text: "Two studies"}}}, {Field: "starts_on", Lines: []store.DiffLine{{Op: "+", Text: "2017-04-01"}}}}
	comment = []store.Vote{{Member: "ana@ar.example", Decision: "request_changes", Comment: "Please add a budget."}}
	// shownCountries are the kinds whose reader should see a country's name.
	shownCountries = []string{KindTaskInvitation, KindReceipt, KindOverdueNotice, KindReminder, KindHandover}
)

// samples gives, for each kind, data like its callers build, one value per
// status or outcome the templates turn into words.
func samples() map[string][]any {
	task := TaskData{Title: "Regional digital agenda", Name: "João Silva", ActivityTitle: plain("Regional digital agenda"),
		Code: "G1A1", Country: "BR", CycleTitle: "Mid-term 2017-2018", Due: day, Closes: closes, URL: "https://bienal.example/l/t0k3n"}
	review := ReviewData{Title: "Regional digital agenda", Name: "Marie Joseph", Biennium: "2017-2018", Code: "G1A1",
		ActivityTitle: plain("Regional digital agenda"), Round: 2, ClosesAt: closes,
		URL: "https://bienal.example/vote/t0k3n", Changes: diffs, Comments: comment, Approve: 2, Reject: 2, RC: 2}
	out := map[string][]any{}
	extended := task
	extended.Extended = true
	out[KindTaskInvitation] = []any{task, extended}
	for i, st := range store.SubmissionStatuses {
		r := task
		r.Version, r.Status, r.Late = i+1, st, i%2 == 0
		out[KindReceipt] = append(out[KindReceipt], r)
	}
	r := task
	r.Version, r.Status = 2, store.SubmissionStatuses[1]
	r.Texts = []ReportText{{Field: "progress", Text: "Two workshops held."}, {Field: "results", Text: "A shared agenda."},
		{Field: "difficulties"}, {Field: "next_steps", Text: "A third workshop."}}
	r.Files = []FileLine{{Name: "agenda.pdf", Kind: "PDF", Size: "120 KB"}}
	out[KindReceipt] = append(out[KindReceipt], r)
	notice := task
	notice.Version, notice.Reason, notice.Requested = 1, "Please add the results for output 2.", closes
	out[KindClarification] = []any{notice}
	out[KindExtensionRefused] = []any{notice}
	out[KindTaskWaived] = []any{notice}
	accepted := notice
	out[KindReportAccepted] = []any{accepted, task}
	out[KindVoteRequest] = []any{review}
	out[KindRecused] = []any{review}
	out[KindChangesRequested] = []any{review}
	out[KindCastingRequest] = []any{review}
	for _, outcome := range []string{"approve", "reject"} {
		for _, by := range []string{"majority", "chair", "rounds_exhausted"} {
			d := review
			d.Outcome, d.DecidedBy = outcome, by
			out[KindDecision] = append(out[KindDecision], d)
		}
	}
	for _, outcome := range []string{"approve", "reject", "request_changes"} {
		for _, by := range []string{"majority", "chair", "rounds_exhausted"} {
			d := review
			d.Outcome, d.DecidedBy = outcome, by
			if by == "chair" {
				d.Casting = outcome
			}
			out[KindRoundDecided] = append(out[KindRoundDecided], d)
		}
	}
	out[KindOverdueNotice] = []any{CycleData{Title: "Mid-term", CycleTitle: "Mid-term", Date: day,
		Late: []LateTask{{Code: "G1A1", Country: "BR", Due: day}, {Code: "G2A3", Country: "DO", Due: day}}}}
	for _, reason := range []string{"signal", "complete", "closing_date"} {
		c := CycleData{Title: "Mid-term", CycleTitle: "Mid-term", Reason: reason, Date: closes}
		for i, st := range cooperation.TaskStatuses {
			c.Counts = append(c.Counts, StatusCount{Status: st, N: i})
			c.Total += i
		}
		out[KindCycleClosed] = append(out[KindCycleClosed], c)
	}
	out[KindReportReady] = []any{ReportData{Title: "Mid-term", Name: "Secretariat", ProgrammeTitle: plain("Biennial programme"),
		Biennium: "2017-2018", CycleTitle: "Mid-term", Tasks: 9, Submitted: 7, OnTime: 6, Late: 1, Waived: 1, Missing: 1,
		Rate: "78%", Command: "bienal report 2017-2018/mid-term", URL: "https://bienal.example/#cycle-2017-2018-mid-term"}}
	call := CallData{Title: "bienal", Name: "João Silva", Biennium: "2017-2018", URL: "https://bienal.example/l/t0k3n", Closes: closes}
	receipt := call
	receipt.Code, receipt.ActivityTitle = "G1A4", plain("Open data network")
	out[KindCallForProposals] = []any{call}
	out[KindProposalReceipt] = []any{receipt}
	out[KindReminder] = []any{Digest{Title: "bienal", Name: "João Silva", Next: day, Count: 2,
		Due:          []DigestItem{{Task: true, Title: plain("Regional digital agenda"), Code: "G1A1", Country: "BR", Date: "31 May 2018", URL: "https://bienal.example/l/t0k3n"}},
		Open:         []DigestItem{{Vote: true, Title: plain("Open data network"), Code: "G1A4", Date: "30 June 2018", Overdue: true}},
		EarlierLinks: true}}
	for _, role := range []string{cooperation.RoleFocalPoint, cooperation.RolePrincipal, cooperation.RoleAlternate, cooperation.RoleDelegate} {
		h := HandoverData{Title: "bienal", Name: "João Silva", Role: role, Country: "BR", FromName: "Maria Souza",
			Biennium: "2017-2018", Effective: day, Until: closes,
			Items: []HandoverItem{{Task: true, Title: plain("Regional digital agenda"), Code: "G1A1", Country: "BR", Cycle: "Mid-term",
				URL: "https://bienal.example/tasks/t0k3n"}, {Title: plain("Open data network"), Code: "G1A4", URL: "https://bienal.example/vote/t0k3n"}}}
		out[KindHandover] = append(out[KindHandover], h)
	}
	out[KindHandover] = append(out[KindHandover], HandoverData{Title: "bienal", Name: "João Silva", Role: cooperation.RoleFocalPoint,
		Country: "BR", Biennium: "2017-2018", Effective: day})
	out[KindFailureNotice] = []any{FailureData{Title: "bienal", Name: "Secretariat", Day: day,
		Failed: []store.FailedEmail{{ID: 7, Recipient: "ana@ar.example", Kind: KindReceipt, Subject: "Recibido", LastError: "550 mailbox unavailable"}}}}
	return out
}

// rawKeys are the values bienal stores where a person should read a word:
// statuses, outcomes and reasons. In English most are English words; in
// the other languages none is.
func rawKeys() []string {
	keys := slices.Concat(words(cooperation.ActivityStatuses), words(cooperation.TaskStatuses), store.SubmissionStatuses,
		words(cooperation.Decisions), []string{string(cooperation.CycleOpen), string(cooperation.CycleClosed),
			"signal", "complete", "closing_date", "majority", "chair", "rounds_exhausted"})
	slices.Sort(keys)
	return slices.Compact(keys)
}

var (
	linkURL    = regexp.MustCompile(`https?://[^\s"<>]+`)
	identifier = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)
	isoCode    = regexp.MustCompile(`\b(BR|DO)\b`)
)

// TestRenderEveryKind renders each kind in each language and fails where the
// reader would meet a stored value instead of a word of their language
// (in_execution, closing_date, submitted in a French message), a bare ISO
// code instead of the country's name, or a message left in English.
func TestRenderEveryKind(t *testing.T) {
	t.Parallel()
	all := samples()
	for _, k := range Kinds {
		variants := all[k.Name]
		if len(variants) == 0 {
			t.Errorf("no sample data for kind %s: add it to samples", k.Name)
			continue
		}
		for _, lang := range Languages {
			for i, data := range variants {
				data = withLang(data, lang)
				c, err := Render(k.Name, lang, data)
				if err != nil {
					t.Errorf("render %s in %s: %v", k.Name, lang, err)
					continue
				}
				if c.Subject == "" {
					t.Errorf("%s in %s (sample %d): empty subject", k.Name, lang, i)
				}
				if lang != "en" {
					en, err := Render(k.Name, "en", withLang(data, "en"))
					if err == nil && en.Text == c.Text {
						t.Errorf("%s in %s (sample %d) reads as the English one", k.Name, lang, i)
					}
				}
				for part, s := range map[string]string{"subject": c.Subject, "text": c.Text, "html": c.HTML} {
					checkWords(t, k.Name, lang, part, i, s)
				}
			}
		}
	}
}

func checkWords(t *testing.T, kind, lang, part string, sample int, s string) {
	t.Helper()
	s = linkURL.ReplaceAllString(s, "")
	where := kind + " " + part + " in " + lang
	for _, id := range identifier.FindAllString(s, -1) {
		t.Errorf("%s (sample %d) shows %q, a stored value, not a word", where, sample, id)
	}
	if lang != "en" {
		for _, key := range rawKeys() {
			if regexp.MustCompile(`\b` + key + `\b`).MatchString(s) {
				t.Errorf("%s (sample %d) shows %q, a stored value, not a word of %s", where, sample, key, lang)
			}
		}
	}
	if code := isoCode.FindString(s); code != "" {
		t.Errorf("%s (sample %d) shows the code %s where its reader should see %q", where, sample, code, CountryName(lang, code))
	}
	if slices.Contains(shownCountries, kind) && part != "subject" && !strings.Contains(s, CountryName(lang, "BR")) {
		t.Errorf("%s (sample %d) does not name the country %q", where, sample, CountryName(lang, "BR"))
	}
}

// withLang sets the Lang every data type carries, as the callers do.
func withLang(data any, lang string) any {
	switch d := data.(type) {
	case TaskData:
		d.Lang = lang
		return d
	case ReviewData:
		d.Lang = lang
		return d
	case CycleData:
		d.Lang = lang
		return d
	case ReportData:
		d.Lang = lang
		return d
	case CallData:
		d.Lang = lang
		return d
	case Digest:
		d.Lang = lang
		// The reminder writes its dates in Go, in the digest's language.
		d.Due, d.Open = slices.Clone(d.Due), slices.Clone(d.Open)
		for _, items := range [][]DigestItem{d.Due, d.Open} {
			for i := range items {
				items[i].Date = FormatDate(lang, day)
			}
		}
		return d
	case FailureData:
		d.Lang = lang
		return d
	case HandoverData:
		d.Lang = lang
		d.Items = slices.Clone(d.Items)
		for i := range d.Items {
			d.Items[i].Date = FormatDate(lang, day)
		}
		return d
	}
	panic("withLang: no case for this type")
}

// TestCountryNames fails when a country lacks its name in a language, or a
// country of the example programme is missing from the list.
func TestCountryNames(t *testing.T) {
	t.Parallel()
	codes := map[string]bool{}
	for _, lang := range Languages {
		for code, name := range countryNames[lang] {
			codes[code] = true
			if strings.TrimSpace(name) == "" {
				t.Errorf("country %s has no name in %s", code, lang)
			}
		}
	}
	for code := range codes {
		for _, lang := range Languages {
			if _, ok := countryNames[lang][code]; !ok {
				t.Errorf("country %s has no name in %s", code, lang)
			}
		}
	}
	b, err := os.ReadFile("../examples/programme-2017-2018.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`code: ([A-Z]{2})\b`).FindAllStringSubmatch(string(b), -1) {
		if !codes[m[1]] {
			t.Errorf("country %s of the example programme is not in countries.csv", m[1])
		}
	}
	if got := CountryName("pt", "BR"); got != "Brasil" {
		t.Errorf(`CountryName("pt", "BR") = %q, want "Brasil"`, got)
	}
	if got := CountryName("fr", "ZZ"); got != "ZZ" {
		t.Errorf(`CountryName("fr", "ZZ") = %q, want the code back`, got)
	}
}

func words[S ~string](ws []S) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}

// A French message greets a person by name with "Bonjour": "Madame,
// Monsieur" before a full name reads as a form letter gone wrong.
func TestFrenchGreeting(t *testing.T) {
	for _, k := range Kinds {
		for _, part := range []string{"text", "html"} {
			tmpl := textTemplates.Lookup(k.Name + "." + part + ".fr")
			if tmpl == nil || tmpl.Tree == nil {
				continue
			}
			if strings.Contains(tmpl.Tree.Root.String(), "Madame, Monsieur {{.Name}}") {
				t.Errorf("%s.%s.fr greets with \"Madame, Monsieur\" before a name", k.Name, part)
			}
		}
	}
}

// A reminder whose earliest item is late says since when, not "next due":
// on 16 December, "next due 15 December" reads as a mistake.
func TestReminderSubjectOfLateItems(t *testing.T) {
	day := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "overdue since", "es": "vencido desde", "pt": "vencido desde", "fr": "en retard depuis"} {
		c, err := Render(KindReminder, lang, Digest{Lang: lang, Title: "bienal", Name: "Ana", Next: day, NextOverdue: true, Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.Subject, want) {
			t.Errorf("%s: subject %q lacks %q", lang, c.Subject, want)
		}
		c, err = Render(KindReminder, lang, Digest{Lang: lang, Title: "bienal", Name: "Ana", Next: day, Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c.Subject, want) {
			t.Errorf("%s: subject %q of an item not yet due says it is late", lang, c.Subject)
		}
	}
}

// plain is a text for readers whose other languages nobody gave.
func plain(s string) cooperation.Shown { return cooperation.Plain(s).Show("") }
