package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// busyRetryAfter is what a refused request is told to wait, in seconds: a
// pool drained by a burst of requests frees up within that time.
const busyRetryAfter = "30"

// isBusy tells whether err says that the database could not be reached in
// time rather than that the request was wrong: no connection free in the
// pool before the request's deadline, a statement cut short by it, or a
// server refusing new connections (too many clients, starting up or
// shutting down). Sending the same form again later can succeed.
func isBusy(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "53300", // too_many_connections
			"53000", // insufficient_resources
			"57P03": // cannot_connect_now
			return true
		}
	}
	return false
}

// busyField is one posted value a busy page gives back.
type busyField struct {
	Name, Label, Value string
}

type busyData struct {
	Action   string
	Texts    []busyField
	Hidden   []busyField
	Password bool
	// Files is set for a form that carried files: a page cannot give
	// files back, so it asks for them again, in a form that can send them.
	Files bool
}

// busyTexts are the fields a person types, with the label each is shown
// under; any other posted field (a choice, a date) goes back unchanged, out
// of sight.
var busyTexts = map[string]string{
	"progress": "f_progress", "results": "f_results", "difficulties": "f_difficulties", "next_steps": "f_next_steps",
	"comment": "f_comment", "statement": "f_statement", "title": "title", "description": "description",
	"expected_outputs": "f_outputs", "reason": "f_extend_reason", "waive_reason": "f_waive_reason", "revoke_reason": "f_revoke_reason",
	"cycle_title": "title", "email": "email",
}

// busy answers 503 with Retry-After when the database is out of reach. The
// page needs no database: it speaks the language the form was shown in (or
// the browser's), and a posted form comes back whole, typed text included,
// with its own form token, so "send again" is the same form and still
// counts once.
func (s *server) busy(w http.ResponseWriter, r *http.Request, msg string, err error) {
	s.log.Warn("database busy: request refused with 503", "what", msg, "path", redactPath(r.URL.Path), "error", err)
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if r.Method == http.MethodPost && r.PostForm == nil {
		// The body is still unread when the very first lookup failed. A
		// multipart body's files past the first megabyte wait in temporary
		// files, which the server removes when the request ends.
		if multipart {
			_ = r.ParseMultipartForm(s.maxBody)
		} else {
			_ = r.ParseForm()
		}
	}
	lang := r.PostForm.Get("page_lang")
	if !validLanguage(lang) {
		lang = acceptLanguage(r)
	}
	lang = pickLanguage(r, lang)
	p := page{Lang: lang, TitleKey: "err_busy_title"}
	if r.Method == http.MethodPost && len(r.PostForm) > 0 {
		d := busyData{Action: r.URL.RequestURI(), Files: multipart}
		names := make([]string, 0, len(r.PostForm))
		for n := range r.PostForm {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			for _, v := range r.PostForm[n] {
				switch {
				case n == "password":
					d.Password = true
				case n == "page_lang":
				case n == "csrf":
					p.CSRF = shown(v)
				case busyTexts[n] != "":
					d.Texts = append(d.Texts, busyField{Name: n, Label: translate(lang, busyTexts[n]), Value: shown(v)})
				default:
					d.Hidden = append(d.Hidden, busyField{Name: shown(n), Value: shown(v)})
				}
			}
		}
		p.Data = d
	}
	w.Header().Set("Retry-After", busyRetryAfter)
	s.render(w, r, http.StatusServiceUnavailable, "busy", p)
}

// acceptLanguage is the first of the browser's languages the portal
// speaks, else Spanish.
func acceptLanguage(r *http.Request) string {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if validLanguage(primary) {
			return primary
		}
	}
	return "es"
}
