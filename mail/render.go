// Package mail composes bienal's messages (templates per kind and language,
// calendar attachments) and delivers the rows of the e-mail table over SMTP.
package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"reflect"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/web/messages"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// Languages every person may choose. Every kind is written in each of them;
// English stays the fallback of a language a recipient's row names and
// bienal does not speak.
var Languages = []string{"es", "en", "pt", "fr"}

// Content is a rendered message.
type Content struct {
	Subject string
	Text    string
	HTML    string
}

var (
	textTemplates = texttemplate.Must(texttemplate.New("").Funcs(texttemplate.FuncMap(funcs)).
			Funcs(texttemplate.FuncMap{"shown": ShownText}).ParseFS(templateFiles, "templates/*.tmpl"))
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").Funcs(htmltemplate.FuncMap(funcs)).
			Funcs(htmltemplate.FuncMap{"shown": ShownHTML}).ParseFS(templateFiles, "templates/*.tmpl"))
)

// ShownText writes a text for readers in a message's plain text: as it
// reads, followed, when it is not in the reader's language, by the language
// it was written in: "Red de parques (original in Spanish)".
func ShownText(s cooperation.Shown) string {
	if !s.Foreign() {
		return s.Text
	}
	return s.Text + " (" + messages.OriginalNote(s.Reader, s.Lang) + ")"
}

// ShownHTML is ShownText in HTML, the text in an element that names its
// language, so that a screen reader reads it in that language. Pages and
// messages write texts for readers with it.
func ShownHTML(s cooperation.Shown) htmltemplate.HTML {
	text := htmltemplate.HTMLEscapeString(s.Text)
	if !s.Foreign() {
		return htmltemplate.HTML(text)
	}
	return htmltemplate.HTML(`<span lang="` + htmltemplate.HTMLEscapeString(s.Lang) + `">` + text + `</span> (` +
		htmltemplate.HTMLEscapeString(messages.OriginalNote(s.Reader, s.Lang)) + `)`)
}

// subjectMark is where the layout of HTML messages puts the subject: the
// title and the first heading, each message's own words for what it is.
const subjectMark = "@@subject@@"

var funcs = map[string]any{
	"date":    FormatDate,
	"when":    formatTimeIn,
	"country": CountryName,
	"join":    strings.Join,
}

// Render renders the message kind (a file templates/<kind>.tmpl defining
// "subject.<lang>", "text.<lang>" and "html.<lang>") in lang, or in English
// where that language is missing. data must be of the kind's type (Kinds).
func Render(kind, lang string, data any) (Content, error) {
	k, ok := kindNamed(kind)
	if !ok {
		return Content{}, fmt.Errorf("render %s: no such kind of message", kind)
	}
	if reflect.TypeOf(data) != reflect.TypeOf(k.Data) {
		return Content{}, fmt.Errorf("render %s: data is %T, want %T", kind, data, k.Data)
	}
	l := lang
	if textTemplates.Lookup(kind+".subject."+l) == nil {
		l = "en"
	}
	var c Content
	var b bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&b, kind+".subject."+l, data); err != nil {
		return Content{}, fmt.Errorf("render %s subject (%s): %w", kind, l, err)
	}
	c.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := textTemplates.ExecuteTemplate(&b, kind+".text."+l, data); err != nil {
		return Content{}, fmt.Errorf("render %s text (%s): %w", kind, l, err)
	}
	c.Text = strings.TrimSpace(b.String()) + "\n"
	b.Reset()
	if err := htmlTemplates.ExecuteTemplate(&b, kind+".html."+l, data); err != nil {
		return Content{}, fmt.Errorf("render %s html (%s): %w", kind, l, err)
	}
	c.HTML = strings.Replace(b.String(), subjectMark, htmltemplate.HTMLEscapeString(c.Subject), 2)
	return c, nil
}

var months = map[string][]string{
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// FormatDate writes a calendar date the way a reader of lang expects: "20
// de diciembre de 2026", "20 December 2026", "20 de dezembro de 2026", "20
// décembre 2026". It is the one place portal pages, e-mails and the report
// write a day in words, so the three never disagree. The day is read as it
// is held (dates are kept at midnight UTC), never moved to another zone.
func FormatDate(lang string, t time.Time) string {
	m, ok := months[lang]
	if !ok {
		m = months["en"]
	}
	switch lang {
	case "es", "pt":
		return fmt.Sprintf("%d de %s de %d", t.Day(), m[t.Month()-1], t.Year())
	default:
		return fmt.Sprintf("%d %s %d", t.Day(), m[t.Month()-1], t.Year())
	}
}

// FormatTime writes an instant where its hour matters (a round's closing,
// a message sent, a draft saved) for a reader of lang in zone z, UTC when z
// is nil: the day in their language, the hour and the zone's name, "20
// December 2026, 22:43 (UTC)", since the same instant falls on another day
// elsewhere.
func FormatTime(lang string, t time.Time, z *time.Location) string {
	if z == nil {
		z = time.UTC
	}
	t = t.In(z)
	return FormatDate(lang, t) + ", " + t.Format("15:04") + " (" + z.String() + ")"
}

// Zone is the time zone an IANA name names, UTC when it names none.
func Zone(name string) *time.Location {
	if z, err := time.LoadLocation(name); err == nil && name != "" {
		return z
	}
	return time.UTC
}

// formatTimeIn is FormatTime for templates, which name the zone.
func formatTimeIn(lang string, t time.Time, zone string) string {
	return FormatTime(lang, t, Zone(zone))
}
