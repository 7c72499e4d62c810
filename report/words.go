package report

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
	portal "github.com/bienal/bienal/web/messages"
)

// Languages are the languages a report is written in: the Conference's
// working languages.
var Languages = cooperation.Languages

// messageFiles holds the words only the report uses, one catalogue per
// language (report/messages/<lang>.json), as the portal keeps its own. A
// word the portal already has - a status, "Goal", "Lead country" - is not
// repeated here: the report reads it from the portal's catalogue, so a page
// and the document the secretariat takes to the Conference say it alike.
//
//go:embed messages/*.json
var messageFiles embed.FS

var messages = loadMessages()

func loadMessages() map[string]map[string]string {
	all := make(map[string]map[string]string, len(Languages))
	for _, lang := range Languages {
		b, err := messageFiles.ReadFile("messages/" + lang + ".json")
		if err != nil {
			panic(fmt.Sprintf("report: read messages/%s.json: %v", lang, err))
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("report: parse messages/%s.json: %v", lang, err))
		}
		all[lang] = m
	}
	return all
}

// CheckLanguage refuses a language the report is not written in, naming
// the ones it is.
func CheckLanguage(field, lang string) error {
	if cooperation.Language(lang) {
		return nil
	}
	return &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice,
		Detail: fmt.Sprintf("%q is not a language the report is written in (%s)", cooperation.Excerpt(lang, 20), strings.Join(Languages, ", "))}
}

// words speaks one language: the report's own catalogue first, then the
// portal's. A key neither has shows as [[key]], which the tests look for in
// every language and format.
type words struct {
	Lang string
	// L is every word of the language by key, the portal's and the
	// report's together, for the templates: {{.L.summary}} is a map
	// lookup, where {{.T "summary"}} would be a method called through
	// reflection, which for a report of thousands of tasks took half its
	// rendering time.
	L map[string]string
	// foreign are the programme's texts this rendering shows in their
	// original language, by the text as written (see text).
	foreign map[string]cooperation.Shown
}

// wordsOf gathers the words of lang.
func wordsOf(lang string) words {
	l := make(map[string]string, len(portal.All()[lang])+len(messages[lang]))
	for k, v := range portal.All()[lang] {
		l[k] = v
	}
	for k, v := range messages[lang] {
		l[k] = v
	}
	return words{Lang: lang, L: l}
}

// T is the text of key.
func (w words) T(key string) string {
	if s, ok := w.L[key]; ok {
		return s
	}
	if s, ok := messages[w.Lang][key]; ok {
		return s
	}
	if s, ok := portal.Text(w.Lang, key); ok {
		return s
	}
	return "[[" + key + "]]"
}

// Cap is the text of key with its first letter a capital: a status word
// the portal writes in lower case ("aceptado") heading a column.
func (w words) Cap(key string) string {
	s := w.T(key)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToTitle(r)) + s[n:]
}

// Day is a calendar day as a reader of the language writes it. A stored
// day is midnight UTC; an instant (a submission, a review, the close) is
// read in UTC too, the zone the report names its days in, so the document
// is the same wherever it is made.
func (w words) Day(t time.Time) string { return mail.FormatDate(w.Lang, t.UTC()) }

// CountryName is a country's name in the language (the list the e-mails
// and pages use), else the name the programme gives it.
func (w words) CountryName(c store.ReportCountry) string {
	if n := mail.CountryName(w.Lang, c.Code); n != c.Code {
		return n
	}
	return c.Name
}

// Country is a country's name with its ISO code.
func (w words) Country(c store.ReportCountry) string {
	if c.Code == "" {
		return c.Name
	}
	return w.CountryName(c) + " (" + c.Code + ")"
}

// Countries names several countries, in the order given.
func (w words) Countries(cs []store.ReportCountry) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = w.Country(c)
	}
	return strings.Join(names, ", ")
}

// Execution is what a country reported of its part (on track, delayed,
// ...), or that nothing was reported.
func (w words) Execution(status string) string {
	if status == NotReported {
		return w.T("not_reported")
	}
	return w.T("rs_" + status)
}

// CountryReport is what one country reported of an activity, or, when it
// has not, where its task stands (waived, missing, open).
func (w words) CountryReport(r CountryReport) string {
	if r.Status == NotReported {
		return w.TaskStatus(r.Task)
	}
	return w.Execution(r.Status)
}

// ActivityStatus is the registry's status of an activity.
func (w words) ActivityStatus(s cooperation.ActivityStatus) string { return w.T("st_" + string(s)) }

// TaskStatus is where a report task stands.
func (w words) TaskStatus(s cooperation.TaskStatus) string { return w.T("ts_" + string(s)) }

// CycleStatus is whether the cycle is open.
func (w words) CycleStatus(s cooperation.CycleStatus) string { return w.T("cs_" + string(s)) }

// Role is lead or participant.
func (w words) Role(role string) string { return w.T("role_" + role) }

// Percent writes a share as the language does (67%, 67 %); "-" when
// nothing was due.
func (w words) Percent(c CountryRate) string {
	n, ok := c.Percent()
	if !ok {
		return "-"
	}
	return strings.Replace(w.T("percent"), "{n}", strconv.Itoa(n), 1)
}

// Mark says in a few words where a task stands: accepted, awaiting review,
// sent back for clarification (each on time or late), waived, or not in.
func (w words) Mark(t store.ReportTask) string {
	s := w.TaskStatus(t.Status)
	if t.Status == cooperation.TaskSubmitted {
		s += " (" + w.T("awaiting_review") + ")"
	}
	if t.Status.Reported() {
		if t.Late {
			s += " · " + w.T("late")
		} else {
			s += " · " + w.T("on_time")
		}
	}
	return s
}

// TextLang is the language a country's texts were written in where it is
// not the report's, for a writer to declare (HTML lang, DOCX w:lang); ""
// when they are in the report's language or it was not said.
func (w words) TextLang(s *store.ReportSubmission) string {
	if s == nil || s.Language == w.Lang || !cooperation.Language(s.Language) {
		return ""
	}
	return s.Language
}

// Written marks a country's texts written in another language than the
// report's, with the portal's words: "(escrito en portugués)"; "" where
// TextLang is.
func (w words) Written(s *store.ReportSubmission) string {
	lang := w.TextLang(s)
	if lang == "" {
		return ""
	}
	t := portal.WrittenNote(w.Lang, lang)
	r, n := utf8.DecodeRuneInString(t)
	return "(" + string(unicode.ToLower(r)) + t[n:] + ")"
}

// WrittenAfter is Written to follow a line: " (escrito en portugués)", or
// "".
func (w words) WrittenAfter(s *store.ReportSubmission) string {
	if m := w.Written(s); m != "" {
		return " " + m
	}
	return ""
}

// Language is the name of a language, in capitals as a front matter
// prints it (ENGLISH, ESPAÑOL).
func (w words) Language(lang string) string { return strings.ToUpper(w.T("language_" + lang)) }

// Distribution is LIMITED or GENERAL in the language.
func (w words) Distribution(d cooperation.Distribution) string {
	if !slices.Contains(cooperation.Distributions, d) {
		d = cooperation.DistributionLimited
	}
	return w.T("distribution_" + string(d))
}

// YesNo is yes or no.
func (w words) YesNo(b bool) string {
	if b {
		return w.T("yes")
	}
	return w.T("no")
}
