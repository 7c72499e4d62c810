package web

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	catalogue "github.com/bienal/bienal/web/messages"
)

// languages the portal speaks, each on every page: TestMissingTranslations
// holds every catalogue to the same keys.
var languages = []string{"es", "en", "pt", "fr"}

var languageNames = map[string]string{"es": "Español", "en": "English", "pt": "Português", "fr": "Français"}

// languageChoices are the working languages as a form or a downloads table
// offers them, each named in its own language.
func languageChoices() []langLink {
	out := make([]langLink, len(languages))
	for i, l := range languages {
		out[i] = langLink{Code: l, Name: languageNames[l]}
	}
	return out
}

func validLanguage(l string) bool {
	_, ok := messages[l]
	return ok
}

// langCookie keeps the language a person chose in the switcher, so that the
// pages and the answers to forms that follow speak it too.
const langCookie = "bienal_lang"

// pickLanguage chooses the language of a page: the one asked for with
// ?lang=, else the one of the page a form was sent from (page_lang), else
// the one chosen earlier in the switcher (its cookie), else preferred (the
// recipient's or the user's), else the first of the browser's languages
// the portal speaks, and Spanish only when nothing says otherwise.
func pickLanguage(r *http.Request, preferred string) string {
	if l := r.URL.Query().Get("lang"); validLanguage(l) {
		return l
	}
	// Only a form already parsed: parsing here would consume a body
	// its handler reads as a stream.
	if r.PostForm != nil {
		if l := r.PostForm.Get("page_lang"); validLanguage(l) {
			return l
		}
	}
	if c, err := r.Cookie(langCookie); err == nil && validLanguage(c.Value) {
		return c.Value
	}
	if validLanguage(preferred) {
		return preferred
	}
	if l := browserLanguage(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return "es"
}

// browserLanguage is the portal language an Accept-Language header ranks
// highest (pt-BR counts as pt), "" when it names none of them. Of equal
// weights the first listed wins, as the browser lists them in order.
func browserLanguage(header string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				continue
			}
			q = f
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if validLanguage(base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

// keepLanguage remembers a language chosen with ?lang= on a page, for a
// year, so that the next pages and the forms sent from them keep it.
func (s *server) keepLanguage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return
	}
	l := r.URL.Query().Get("lang")
	if !validLanguage(l) {
		return
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == l {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// translate returns key in lang, falling back to English, then to the key.
func translate(lang, key string) string {
	if m, ok := messages[lang][key]; ok {
		return m
	}
	if m, ok := messages["en"][key]; ok {
		return m
	}
	return key
}

// messageFiles holds one catalogue per language, web/messages/<lang>.json,
// a flat object from key to text, so every text of a language is in one
// place and a translator works on one file.
//
//go:embed messages/*.json
var messageFiles embed.FS

// messages is read once at start-up by package messages, which also gives
// the report the words it shares with the portal.
var messages = catalogue.All()
