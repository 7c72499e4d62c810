package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
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
