package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
)

// form reads and checks a posted form. Each check records its message
// beside the field; the handler stores nothing while any is recorded.
type form struct {
	lang   string
	values map[string]string
	errors map[string]string
}

// errTooLarge is returned by parseForm when the body is over the limit.
var errTooLarge = errors.New("request body too large")

func parseForm(r *http.Request, lang string) (*form, error) {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge
		}
		return nil, fmt.Errorf("parse form: %w", err)
	}
	// The language of the page the form was sent from, unless the address
	// asks for another: the answer speaks what the person was reading.
	if l := r.PostForm.Get("page_lang"); validLanguage(l) && !validLanguage(r.URL.Query().Get("lang")) {
		lang = l
	}
	return &form{lang: lang, values: map[string]string{}, errors: map[string]string{}}, nil
}

// refuse records err beside field name, in the form's language. Only the
// first refusal of a field is kept: it is the one the person fixes first.
func (f *form) refuse(name string, err error) {
	if err == nil || f.errors[name] != "" {
		return
	}
	var fe *cooperation.FieldError
	if !errors.As(err, &fe) {
		f.errors[name] = translate(f.lang, cooperation.ErrChoice)
		return
	}
	msg := translate(f.lang, fe.Key)
	if fe.Key == cooperation.ErrTooLong || fe.Key == cooperation.ErrOutputsCount {
		msg = fmt.Sprintf(msg, fe.Max)
	}
	f.errors[name] = msg
}

// shown is a value as the page may show it back: invalid bytes and control
// characters become U+FFFD, so the person sees where the refused character
// was and the page stays well-formed.
func shown(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) {
			return '\uFFFD'
		}
		return r
	}, v)
}

// text reads a free-text field under cooperation.Text: valid UTF-8, no
// control character but tab and newline, at most max characters, and
// present when required. Line endings are normalised.
func (f *form) text(r *http.Request, name string, max int, required bool) string {
	v := strings.ReplaceAll(r.PostForm.Get(name), "\r\n", "\n")
	f.values[name] = shown(v)
	f.refuse(name, cooperation.Text(name, v, max, required))
	return v
}

// line reads a one-line field under cooperation.Line (no tab or newline
// either); surrounding spaces are dropped.
func (f *form) line(r *http.Request, name string, max int, required bool) string {
	v := strings.TrimSpace(r.PostForm.Get(name))
	f.values[name] = shown(v)
	f.refuse(name, cooperation.Line(name, v, max, required))
	return v
}

// value reads a field an operation checks: it is only kept to show again,
// without its surrounding spaces.
func (f *form) value(r *http.Request, name string) string {
	v := strings.TrimSpace(r.PostForm.Get(name))
	f.values[name] = shown(v)
	return v
}

// multiline reads a text field an operation checks, with its line endings
// normalised; it is kept to show again.
func (f *form) multiline(r *http.Request, name string) string {
	v := strings.ReplaceAll(r.PostForm.Get(name), "\r\n", "\n")
	f.values[name] = shown(v)
	return v
}

// choice reads a field that must be one of allowed.
func (f *form) choice(r *http.Request, name string, allowed []string) string {
	v := r.PostForm.Get(name)
	if err := cooperation.OneOf(name, v, allowed...); err != nil {
		f.refuse(name, err)
		f.values[name] = ""
		return ""
	}
	f.values[name] = v
	return v
}

// language reads the language a text is marked as written in: a working
// language, or nothing when the form did not ask (a page rendered before
// it did, a script).
func (f *form) language(r *http.Request, name string) string {
	v := r.PostForm.Get(name)
	if err := cooperation.TextLanguage(name, v); err != nil {
		f.refuse(name, err)
		f.values[name] = ""
		return ""
	}
	f.values[name] = v
	return v
}

func (f *form) ok() bool { return len(f.errors) == 0 }

// date reads a calendar day written YYYY-MM-DD (the format of an HTML date
// input) within the years cooperation.Day allows; an empty value is
// allowed unless required.
func (f *form) date(r *http.Request, name string, required bool) time.Time {
	v := strings.TrimSpace(r.PostForm.Get(name))
	f.values[name] = shown(v)
	if v == "" {
		if required {
			f.refuse(name, &cooperation.FieldError{Field: name, Key: cooperation.ErrRequired})
		}
		return time.Time{}
	}
	d, err := cooperation.Day(name, v)
	if err != nil {
		f.refuse(name, err)
		return time.Time{}
	}
	return d
}

// within records an error on field name when d falls outside from..to.
func (f *form) within(d, from, to time.Time, name string) {
	if !d.IsZero() {
		f.refuse(name, cooperation.Within(name, d, from, to))
	}
}

// lines reads a text area holding one item per line, dropping blank lines.
func (f *form) lines(r *http.Request, name string, max int) []string {
	var out []string
	for l := range strings.SplitSeq(f.text(r, name, max, false), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// after records an error on the later field when it comes before the earlier one.
func (f *form) after(earlier, later time.Time, name string) {
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) {
		f.refuse(name, &cooperation.FieldError{Field: name, Key: cooperation.ErrOrder})
	}
}
