package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/bienal/bienal/store"
)

type ctxKey int

const userKey ctxKey = iota

type signedIn struct {
	user      store.User
	sessionID string
}

func (s *server) cookieName() string {
	if s.secure {
		// The __Host- prefix makes browsers refuse the cookie unless it is
		// Secure, host-only and for the whole site.
		return "__Host-bienal_session"
	}
	return "bienal_session"
}

// requireLogin lets a signed-in secretariat user through and sends anyone
// else to the login page, then back: to the page asked for, or to the form
// they sent, with what they typed (keepExpiredForm).
func (s *server) requireLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.cookieName())
		if err == nil {
			u, err := s.store.SessionUser(r.Context(), c.Value, s.now())
			if err == nil {
				ctx := context.WithValue(r.Context(), userKey, signedIn{user: u, sessionID: c.Value})
				h(w, r.WithContext(ctx))
				return
			}
			if !errors.Is(err, store.ErrNotFound) {
				s.internal(w, r, "load session", err)
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.keepExpiredForm(w, r)
			return
		}
		to := "/login"
		if r.URL.RequestURI() != "/" {
			to += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
}

func currentUser(r *http.Request) signedIn {
	v, _ := r.Context().Value(userKey).(signedIn)
	return v
}

// userPage starts a page for the signed-in user, in their language unless ?lang= says otherwise.
func (s *server) userPage(r *http.Request, titleKey string) page {
	si := currentUser(r)
	u := si.user
	return page{Lang: pickLanguage(r, u.Language), TitleKey: titleKey, User: &u, CSRF: s.formToken("session:" + si.sessionID),
		Zone: zoneOf(u.TimeZone)}
}

// checkSessionForm checks the form token of a signed-in user's POST.
func (s *server) checkSessionForm(r *http.Request) bool {
	_, ok := s.checkFormToken("session:"+currentUser(r).sessionID, r.PostForm.Get("csrf"))
	return ok
}
