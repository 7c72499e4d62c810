package web

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// Login throttling, kept in Postgres so every replica sees the same count.
// Failures are counted per account and client address: after
// loginMaxFailures failures within loginWindow, that address is refused for
// that account until the window passes, even with the right password, while
// the account's owner still signs in from anywhere else. Across addresses,
// each counting at most loginMaxFailures, the account takes
// loginAccountCeiling failures per window; past it, only an address without
// a failure of its own in the window is let try, once. A guesser with many
// addresses is slowed to one guess per address and window, and still cannot
// keep the owner out from an address they have not failed from.
const (
	loginMaxFailures    = 5
	loginWindow         = 15 * time.Minute
	loginAccountCeiling = 100
	// loginKeep is how long failures are kept: past loginWindow none counts.
	loginKeep = 24 * time.Hour
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
	lang = f.lang
	if _, ok := s.checkFormToken(loginBinding, r.PostForm.Get("csrf")); !ok {
		s.fail(w, r, http.StatusForbidden, "err_form")
		return
	}
	email := strings.ToLower(f.line(r, "email", cooperation.MaxEmail, true))
	password := f.text(r, "password", store.MaxPasswordLength, true)
	refuse := func(key string) {
		errs := map[string]string{"form": translate(lang, key)}
		if e := f.errors["email"]; e != "" {
			errs["email"] = e
		}
		form := map[string]string{"email": f.values["email"]}
		if next := r.PostForm.Get("next"); localPath(next) {
			form["next"] = next
		}
		p := page{Lang: lang, TitleKey: "login_title", CSRF: s.formToken(loginBinding),
			Form: form, Errors: errs, Data: loginData{}}
		s.render(w, r, http.StatusUnauthorized, "login", p)
	}
	if !f.ok() {
		refuse("login_failed")
		return
	}
	now := s.now()
	address := loginAddress(r)
	// The attempt counts as a failure until the password proves right, and
	// is counted before the password is checked: a burst of parallel guesses
	// cannot all read a count under the limit.
	if err := s.store.RecordLoginFailure(r.Context(), email, address, now); err != nil {
		s.internal(w, r, "record login attempt", err)
		return
	}
	n, err := s.store.LoginFailures(r.Context(), email, address, now.Add(-loginWindow), loginMaxFailures)
	if err != nil {
		s.internal(w, r, "count login failures", err)
		return
	}
	// n counts this attempt: FromAddress is 1 for an address's first try.
	if n.FromAddress > loginMaxFailures || (n.Account > loginAccountCeiling && n.FromAddress > 1) {
		s.log.Warn("login refused: too many failures", "email", email, "client", clientAddress(r),
			"from_address", n.FromAddress, "account", n.Account)
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
	s.startSession(w, r, u, address, now)
}

// loginAddress is the address failures are counted under: the client's IP,
// and for IPv6 its /64, which one subscriber usually holds whole.
func loginAddress(r *http.Request) string {
	ip, err := netip.ParseAddr(clientAddress(r))
	if err != nil {
		a := clientAddress(r)
		return a[:min(len(a), 64)]
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

func (s *server) startSession(w http.ResponseWriter, r *http.Request, u store.User, address string, now time.Time) {
	if err := s.store.ClearLoginFailures(r.Context(), u.Email, address); err != nil {
		s.log.Error("clear login failures", "error", err)
	}
	// A good login is rare enough to pay for the housekeeping of every
	// account: failures no window counts any more, sessions already expired.
	if failures, sessions, err := s.store.PruneLogins(r.Context(), now.Add(-loginKeep), now); err != nil {
		s.log.Error("prune logins", "error", err)
	} else if failures+sessions > 0 {
		s.log.Debug("logins pruned", "failures", failures, "sessions", sessions)
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
	http.Redirect(w, r, s.afterLogin(w, r, id, r.PostForm.Get("next")), http.StatusSeeOther)
}
