package web

import "net/http"

// deleteSession signs out: the session row goes and the cookie is cleared.
func (s *server) deleteSession(w http.ResponseWriter, r *http.Request) {
	s.requireLogin(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || !s.checkSessionForm(r) {
			s.fail(w, r, http.StatusForbidden, "err_form")
			return
		}
		if err := s.store.DeleteSession(r.Context(), currentUser(r).sessionID); err != nil {
			s.internal(w, r, "delete session", err)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})(w, r)
}
