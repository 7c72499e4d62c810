package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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
	return &form{lang: lang, values: map[string]string{}, errors: map[string]string{}}, nil
}

// text reads a free-text field: valid UTF-8, at most max characters, and
// present when required. Line endings are normalised.
func (f *form) text(r *http.Request, name string, max int, required bool) string {
	v := strings.ReplaceAll(r.PostForm.Get(name), "\r\n", "\n")
	f.values[name] = v
	switch {
	case !utf8.ValidString(v):
		f.values[name] = strings.ToValidUTF8(v, "\uFFFD")
		f.errors[name] = translate(f.lang, "err_utf8")
	case utf8.RuneCountInString(v) > max:
		f.errors[name] = fmt.Sprintf(translate(f.lang, "err_too_long"), max)
	case required && strings.TrimSpace(v) == "":
		f.errors[name] = translate(f.lang, "err_required")
	}
	return v
}

// choice reads a field that must be one of allowed.
func (f *form) choice(r *http.Request, name string, allowed []string) string {
	v := r.PostForm.Get(name)
	if !slices.Contains(allowed, v) {
		f.errors[name] = translate(f.lang, "err_choice")
		f.values[name] = ""
		return ""
	}
	f.values[name] = v
	return v
}

func (f *form) ok() bool { return len(f.errors) == 0 }

// date reads a calendar day written YYYY-MM-DD (the format of an HTML date
// input); an empty value is allowed unless required.
func (f *form) date(r *http.Request, name string, required bool) time.Time {
	v := strings.TrimSpace(r.PostForm.Get(name))
	f.values[name] = v
	if v == "" {
		if required {
			f.errors[name] = translate(f.lang, "err_required")
		}
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.values[name] = strings.ToValidUTF8(v, "\uFFFD")
		f.errors[name] = translate(f.lang, "err_date")
		return time.Time{}
	}
	return d
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
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) && f.errors[name] == "" {
		f.errors[name] = translate(f.lang, "err_date_order")
	}
}
