package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bienal/bienal/store"
)

// The secretariat's forms answer with a redirect to the page that shows the
// outcome (Post/Redirect/Get), whatever it is: done, refused, or fields to
// correct. The outcome travels as a flash in Postgres, named by ?form= in
// the address and bound to the session, so that Back and reload show a page
// again instead of offering to send the form again, and every replica can
// show it.

// flashParam names the flash a page shows.
const flashParam = "form"

// keptCookie holds the secret a form sent after its session expired is
// bound to, until its author signs in again.
const keptCookie = "bienal_kept"

func sessionBinding(r *http.Request) string { return "session:" + currentUser(r).sessionID }

// redirectFlash stores fl for the signed-in user and redirects to the page
// that shows it. A ?lang= of the form's address is carried on. The address
// has no #fragment: the page's notice or error summary takes the focus
// (autofocus), which scrolls to it, and browsers ignore autofocus on a page
// opened at a fragment.
func (s *server) redirectFlash(w http.ResponseWriter, r *http.Request, fl store.FormFlash) {
	id, err := s.store.SaveFlash(r.Context(), sessionBinding(r), fl, s.now())
	if err != nil {
		s.internal(w, r, "save form answer", err)
		return
	}
	http.Redirect(w, r, flashURL(r, fl.Path, id), http.StatusSeeOther)
}

func flashURL(r *http.Request, path, id string) string {
	q := url.Values{flashParam: {id}}
	if l := r.URL.Query().Get("lang"); validLanguage(l) {
		q.Set("lang", l)
	}
	return path + "?" + q.Encode()
}

// pageFlash is the flash the page's address names for the signed-in user,
// nil when there is none (another session's, expired, or never made).
func (s *server) pageFlash(r *http.Request, path string) *store.FormFlash {
	id := r.URL.Query().Get(flashParam)
	if id == "" {
		return nil
	}
	fl, err := s.store.Flash(r.Context(), id, sessionBinding(r), s.now())
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("load form answer", "error", err)
		}
		return nil
	}
	if fl.Path != path {
		return nil
	}
	return &fl
}

// flashForm is a flash as the form it shows again.
func flashForm(fl *store.FormFlash, lang string) *form {
	f := &form{lang: lang, values: fl.Values, errors: fl.Errors}
	if f.values == nil {
		f.values = map[string]string{}
	}
	if f.errors == nil {
		f.errors = map[string]string{}
	}
	return f
}

// flashNotice is the notice of a flash in the page's language.
func flashNotice(fl *store.FormFlash, lang string) string {
	if fl == nil || fl.Notice == "" {
		return ""
	}
	if len(fl.NoticeArgs) == 0 {
		return translate(lang, fl.Notice)
	}
	args := make([]any, len(fl.NoticeArgs))
	for i, a := range fl.NoticeArgs {
		args[i] = a
	}
	return fmt.Sprintf(translate(lang, fl.Notice), args...)
}

// formPage is the page that holds the form a secretariat POST to path
// comes from, and the row or section of it the form belongs to.
func formPage(path string) (page, target string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "cycles":
		return "/", "cycle"
	case len(parts) == 1 && parts[0] == "calls":
		return "/", "call"
	case len(parts) >= 4 && parts[0] == "cycles":
		page = cyclePath(parts[1], parts[2])
		if len(parts) == 7 && parts[3] == "tasks" {
			return page, parts[4] + "/" + parts[5]
		}
		return page, ""
	case len(parts) == 3 && parts[0] == "emails":
		return "/emails/" + parts[1], ""
	case len(parts) >= 1 && parts[0] == "emails":
		return "/emails", ""
	}
	return "/", ""
}

// keepExpiredForm answers a form sent after its session ended: what was
// typed is kept, bound to a cookie of its own, and the person is sent to
// sign in, then back to the form with it.
func (s *server) keepExpiredForm(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/logout" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	page, target := formPage(r.URL.Path)
	if !localPath(page) {
		page, target = "/", ""
	}
	if err := r.ParseForm(); err != nil {
		http.Redirect(w, r, "/login?"+url.Values{"next": {page}}.Encode(), http.StatusSeeOther)
		return
	}
	// The login page speaks the language the form was in.
	q := url.Values{"next": {page}, "kept": {"1"}}
	if l := pickLanguage(r, ""); validLanguage(r.PostForm.Get("page_lang")) || validLanguage(r.URL.Query().Get("lang")) {
		q.Set("lang", l)
	}
	next := "/login?" + q.Encode()
	values := map[string]string{}
	for k, v := range r.PostForm {
		if k == "csrf" || k == "page_lang" || len(v) == 0 {
			continue
		}
		values[k] = shown(v[0])
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	secret := base64.RawURLEncoding.EncodeToString(b)
	fl := store.FormFlash{Path: page, Target: target, Values: values, Notice: "kept_after_login"}
	if _, err := s.store.SaveFlash(r.Context(), "kept:"+secret, fl, s.now()); err != nil {
		s.log.Warn("keep a form sent after its session expired", "error", err)
		http.Redirect(w, r, "/login?"+url.Values{"next": {page}}.Encode(), http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: keptCookie, Value: secret, Path: "/", MaxAge: int(store.FlashTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	s.log.Info("form kept for after login", "path", redactPath(r.URL.Path))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// afterLogin is where a new session goes: back to a form kept when the
// previous one expired, else to the page asked for before login, else the
// dashboard.
func (s *server) afterLogin(w http.ResponseWriter, r *http.Request, sessionID, next string) string {
	if c, err := r.Cookie(keptCookie); err == nil && c.Value != "" {
		http.SetCookie(w, &http.Cookie{Name: keptCookie, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		id, fl, err := s.store.KeptFlash(r.Context(), "kept:"+c.Value, "session:"+sessionID, s.now())
		if err == nil {
			return flashURL(r, fl.Path, id)
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("take a kept form", "error", err)
		}
	}
	if localPath(next) {
		return next
	}
	return "/"
}

// localPath tells whether next is a path of this portal to return to after
// login: an absolute path, not another host's ("//host", "/\host"), not the
// login page itself.
func localPath(next string) bool {
	return strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.HasPrefix(next, "/\\") &&
		!strings.HasPrefix(next, "/login") && !strings.ContainsAny(next, "\r\n") && len(next) <= 500
}

// The forms reached from a personal link (propose, revise, complete)
// answer the same way, with the flash bound to the link: whoever holds the
// link's token, and nobody else, sees what was typed.

func linkBinding(v linkVisit) string { return "link:" + v.token }

// redirectLinkFlash stores fl for the link and redirects to its page.
func (s *server) redirectLinkFlash(w http.ResponseWriter, r *http.Request, v linkVisit, fl store.FormFlash) {
	fl.Path = linkPath(v.token)
	id, err := s.store.SaveFlash(r.Context(), linkBinding(v), fl, s.now())
	if err != nil {
		s.internal(w, r, "save form answer", err)
		return
	}
	http.Redirect(w, r, flashURL(r, fl.Path, id), http.StatusSeeOther)
}

// linkFlash is the flash the link page's address names, nil when none.
func (s *server) linkFlash(r *http.Request, v linkVisit) *store.FormFlash {
	id := r.URL.Query().Get(flashParam)
	if id == "" {
		return nil
	}
	fl, err := s.store.Flash(r.Context(), id, linkBinding(v), s.now())
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("load form answer", "error", err)
		}
		return nil
	}
	return &fl
}
