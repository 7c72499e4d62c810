package web

import "net/http"

const loginBinding = "login"

// newSession shows the login page.
func (s *server) newSession(w http.ResponseWriter, r *http.Request) {
	p := page{Lang: pickLanguage(r, ""), TitleKey: "login_title", CSRF: s.formToken(loginBinding), Form: map[string]string{}}
	s.render(w, r, http.StatusOK, "login", p)
}
