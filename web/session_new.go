package web

import "net/http"

const loginBinding = "login"

// loginData says why the login page is shown: a session that expired with
// a form kept (Kept), or a page that needs a login (Next).
type loginData struct {
	Kept, Next bool
}

// newSession shows the login page.
func (s *server) newSession(w http.ResponseWriter, r *http.Request) {
	form := map[string]string{}
	if next := r.URL.Query().Get("next"); localPath(next) {
		form["next"] = next
	}
	p := page{Lang: pickLanguage(r, ""), TitleKey: "login_title", CSRF: s.formToken(loginBinding), Form: form,
		Data: loginData{Kept: r.URL.Query().Get("kept") == "1", Next: form["next"] != ""}}
	s.render(w, r, http.StatusOK, "login", p)
}
