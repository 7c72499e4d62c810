package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages holds one template set per page, each the layout plus the page's
// "content", so pages never see each other's definitions.
type pages struct {
	sets map[string]*template.Template
}

func loadPages() (*pages, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("layout.html").Funcs(template.FuncMap{"field": newField, "input": newInput, "options": newOptions, "required": required, "join": strings.Join}).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// page is what every template receives.
type page struct {
	Lang     string
	TitleKey string
	// Path is the page's own address, for the language switch.
	Path string
	User *store.User
	// CSRF is the form token of the page's forms.
	CSRF   string
	Data   any
	Form   map[string]string
	Errors map[string]string
	// Zone is the reader's time zone, where the page knows it; times are
	// shown in UTC otherwise.
	Zone *time.Location
}

// T translates a message key into the page's language.
func (p page) T(key string) string { return translate(p.Lang, key) }

// Title is the page's heading and document title.
func (p page) Title() string { return p.T(p.TitleKey) }

// Err is the message beside a field, empty when the field is fine.
func (p page) Err(field string) string { return p.Errors[field] }

// Date shows a calendar day in the reader's language, "20 December 2026",
// marked up with its ISO form for machines (<time datetime="2026-12-20">).
// It takes a time.Time held as a date (midnight UTC, as the store and
// cooperation.Day give it) or a day already written YYYY-MM-DD; anything
// else is shown as it is.
func (p page) Date(v any) template.HTML {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d
	case *time.Time:
		if d == nil {
			return ""
		}
		t = *d
	case string:
		parsed, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return template.HTML(template.HTMLEscapeString(d))
		}
		t = parsed
	default:
		return template.HTML(template.HTMLEscapeString(fmt.Sprint(v)))
	}
	return template.HTML(`<time datetime="` + t.Format(time.DateOnly) + `">` +
		template.HTMLEscapeString(mail.FormatDate(p.Lang, t)) + `</time>`)
}

// Time shows an instant whose hour matters in the reader's language and
// time zone, naming the zone ("5 March 2026, 09:00 (America/Santiago)"),
// marked up with the instant in UTC for machines.
func (p page) Time(t time.Time) template.HTML {
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `">` +
		template.HTMLEscapeString(p.When(t)) + `</time>`)
}

// When is Time's words without the markup, for attributes and plain text.
func (p page) When(t time.Time) string { return mail.FormatTime(p.Lang, t, p.Zone) }

// Tf translates key and fills its verbs with args, as printf would, but
// keeps the markup of Date and Time and escapes everything else: a
// sentence that names a day ("extension requested until %s") keeps the
// day's <time> element.
func (p page) Tf(key string, args ...any) template.HTML {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case template.HTML:
			out[i] = string(v)
		case string:
			out[i] = template.HTMLEscapeString(v)
		default:
			out[i] = a
		}
	}
	return template.HTML(fmt.Sprintf(template.HTMLEscapeString(p.T(key)), out...))
}

// zoneOf is the time zone an IANA name names, UTC when it names none.
func zoneOf(name string) *time.Location { return mail.Zone(name) }

// Size shows a file's size as people read it (12 KB, 3.2 MB).
func (p page) Size(n int64) string { return cooperation.Bytes(n) }

// Country names the country of an ISO code in the page's language, from the
// list the e-mails use, so a focal point reads the same name on both.
func (p page) Country(code string) string { return mail.CountryName(p.Lang, code) }

// fieldView is one labelled text area with its value and its error.
type fieldView struct {
	Name, Label, Value, Err string
	// Required marks the field, with Mark as the words that say so.
	Required bool
	Mark     string
}

func newField(p page, name, labelKey string) fieldView {
	return fieldView{Name: name, Label: p.T(labelKey), Value: p.Form[name], Err: p.Err(name), Mark: p.T("required")}
}

// inputView is one labelled input with its type, value and error.
type inputView struct {
	Name, Label, Type, Value, Err string
	Required                      bool
	Mark                          string
}

func newInput(p page, name, labelKey, typ string) inputView {
	return inputView{Name: name, Label: p.T(labelKey), Type: typ, Value: p.Form[name], Err: p.Err(name), Mark: p.T("required")}
}

// selectView is one labelled list of options.
type selectView struct {
	Name, Label, Value, Err string
	Options                 []store.Choice
	Required                bool
	Mark                    string
}

// required marks a field of the "input", "select" or "textarea" template
// as one the form needs.
func required(v any) any {
	switch f := v.(type) {
	case inputView:
		f.Required = true
		return f
	case selectView:
		f.Required = true
		return f
	case fieldView:
		f.Required = true
		return f
	}
	return v
}

// summaryView is the list, above a form, of the fields to correct, each a
// link to its field; it takes the focus when the page opens.
type summaryView struct {
	ID, Title string
	Items     []summaryItem
}

type summaryItem struct{ ID, Label, Message string }

// Summary lists the page's errors over fields, pairs of (field name, label
// key), in the form's order; id is the element's id and ids the id of
// each field's input ("" keeps the field's name).
func (p page) Summary(id, ids string, fields ...string) summaryView {
	v := summaryView{ID: id, Title: p.T("err_invalid")}
	for i := 0; i+1 < len(fields); i += 2 {
		name, label := fields[i], fields[i+1]
		if msg := p.Errors[name]; msg != "" {
			fid := name
			if ids != "" {
				fid = strings.ReplaceAll(ids, "{}", name)
			}
			v.Items = append(v.Items, summaryItem{ID: fid, Label: p.T(label), Message: msg})
		}
	}
	return v
}

// noticeView is a confirmation or a refusal shown above what it is about.
type noticeView struct {
	ID, Text string
	Failed   bool
}

// Notice is a notice with its element's id; nil when text is empty.
func (p page) Notice(id, text string, failed bool) *noticeView {
	if text == "" {
		return nil
	}
	return &noticeView{ID: id, Text: text, Failed: failed}
}

// newOptions takes the options as choices or as plain strings.
func newOptions(p page, name, labelKey string, opts any) selectView {
	v := selectView{Name: name, Label: p.T(labelKey), Value: p.Form[name], Err: p.Err(name), Mark: p.T("required")}
	switch o := opts.(type) {
	case []store.Choice:
		v.Options = o
	case []string:
		for _, s := range o {
			v.Options = append(v.Options, store.Choice{Key: s, Title: s})
		}
	}
	return v
}

type langLink struct {
	Code, Name, URL string
	Current         bool
}

// Langs lists the languages this page can switch to.
func (p page) Langs() []langLink {
	var out []langLink
	for _, l := range languages {
		out = append(out, langLink{Code: l, Name: languageNames[l], URL: p.Path + "?lang=" + url.QueryEscape(l), Current: l == p.Lang})
	}
	return out
}

// render writes a page; a template error is logged and shown as a plain message.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.pages.sets[name]
	if !ok {
		s.log.Error("no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if p.Path == "" {
		p.Path = r.URL.Path
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.Error("render page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	noStore(w)
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// fail shows an error page with one clear message and nothing internal.
func (s *server) fail(w http.ResponseWriter, r *http.Request, status int, key string) {
	s.failIn(w, r, status, key, pickLanguage(r, ""))
}

// failIn is fail in a given language (the recipient's, on link pages).
func (s *server) failIn(w http.ResponseWriter, r *http.Request, status int, key, lang string) {
	p := page{Lang: lang, TitleKey: "err_title", Data: key}
	if key == "err_link" {
		p.TitleKey, p.Data = "err_link", "err_link_help"
	}
	if key == "err_not_found" {
		p.TitleKey = key
	}
	s.render(w, r, status, "error", p)
}

// internal logs err and shows the person a message that names no internals.
// A database out of reach is not an internal error: the person is told to
// send again soon, with what they typed kept.
func (s *server) internal(w http.ResponseWriter, r *http.Request, msg string, err error) {
	if isBusy(err) {
		s.busy(w, r, msg, err)
		return
	}
	s.log.Error(msg, "path", redactPath(r.URL.Path), "error", err)
	s.fail(w, r, http.StatusInternalServerError, "err_internal")
}

// Text writes a text meant for readers (an activity's title, description
// or expected output) in the page's language where it was given in it,
// else as written, in an element naming its language and said to be the
// original (cooperation.TextSet.Show, mail.ShownHTML).
func (p page) Text(t cooperation.TextSet) template.HTML { return mail.ShownHTML(t.Show(p.Lang)) }
