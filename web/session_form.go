package web

import (
	"errors"
	"net/http"
)

// sessionForm parses a signed-in user's POST and checks its form token,
// which must have been issued for this session. It returns the nonce.
func (s *server) sessionForm(w http.ResponseWriter, r *http.Request) (*form, string, bool) {
	lang := pickLanguage(r, currentUser(r).user.Language)
	f, err := parseForm(r, lang)
	if errors.Is(err, errTooLarge) {
		s.failIn(w, r, http.StatusRequestEntityTooLarge, "err_too_large", lang)
		return nil, "", false
	} else if err != nil {
		s.failIn(w, r, http.StatusBadRequest, "err_form", lang)
		return nil, "", false
	}
	lang = f.lang
	nonce, ok := s.checkFormToken("session:"+currentUser(r).sessionID, r.PostForm.Get("csrf"))
	if !ok {
		s.log.Warn("form token refused", "path", r.URL.Path, "client", clientAddress(r))
		s.failIn(w, r, http.StatusForbidden, "err_form", lang)
		return nil, "", false
	}
	return f, nonce, true
}

// MaxReason bounds the reason of an extension or a waiver, in characters.
const MaxReason = 2000
