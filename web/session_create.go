package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/bienal/bienal/store"
)

// Login throttling, kept in Postgres so every replica sees the same count:
// after loginMaxFailures failures within loginWindow an address is refused
// until the window passes, even with the right password.
const (
	loginMaxFailures = 5
	loginWindow      = 15 * time.Minute
)

// createSession checks e-mail and password and opens a session.
func (s *server) createSession(w http.ResponseWriter, r *http.Request) {
	lang := pickLanguage(r, "")
	f, err := parseForm(r, lang)
	if errors.Is(err, errTooLarge) {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "err_too_large")
		return
	} else if err != nil {
		s.fail(w, r, http.StatusBadRequest, "err_form")
		return
	}
	if _, ok := s.checkFormToken(loginBinding, r.PostForm.Get("csrf")); !ok {
		s.fail(w, r, http.StatusForbidden, "err_form")
		return
	}
	email := strings.ToLower(strings.TrimSpace(f.text(r, "email", 320, true)))
	password := f.text(r, "password", store.MaxPasswordLength, true)
	refuse := func(key string) {
		p := page{Lang: lang, TitleKey: "login_title", CSRF: s.formToken(loginBinding),
			Form: map[string]string{"email": email}, Errors: map[string]string{"form": translate(lang, key)}}
		s.render(w, r, http.StatusUnauthorized, "login", p)
	}
	if !f.ok() {
		refuse("login_failed")
		return
	}
	now := s.now()
	// The attempt counts as a failure until the password proves right, and
	// is counted before the password is checked: a burst of parallel guesses
	// cannot all read a count under the limit.
	if err := s.store.RecordLoginFailure(r.Context(), email, now); err != nil {
		s.internal(w, r, "record login attempt", err)
		return
	}
	failures, err := s.store.LoginFailures(r.Context(), email, now.Add(-loginWindow))
	if err != nil {
		s.internal(w, r, "count login failures", err)
		return
	}
	if failures > loginMaxFailures {
		s.log.Warn("login refused: too many failures", "email", email, "client", clientAddress(r))
		refuse("login_locked")
		return
	}
	u, err := s.store.CheckPassword(r.Context(), email, password)
	if errors.Is(err, store.ErrBadCredentials) {
		s.log.Info("login failed", "email", email, "client", clientAddress(r))
		refuse("login_failed")
		return
	} else if err != nil {
		s.internal(w, r, "check password", err)
		return
	}
	s.startSession(w, r, u, now)
}

func (s *server) startSession(w http.ResponseWriter, r *http.Request, u store.User, now time.Time) {
	if err := s.store.ClearLoginFailures(r.Context(), u.Email); err != nil {
		s.log.Error("clear login failures", "error", err)
	}
	id, err := s.store.CreateSession(r.Context(), u.Email, now, now.Add(s.sessionTTL))
	if err != nil {
		s.internal(w, r, "create session", err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: id, Path: "/", MaxAge: int(s.sessionTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
	s.log.Info("signed in", "email", u.Email)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
