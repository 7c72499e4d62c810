package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// languages the portal speaks, each on every page: TestMissingTranslations
// holds every catalogue to the same keys.
var languages = []string{"es", "en", "pt", "fr"}

var languageNames = map[string]string{"es": "Español", "en": "English", "pt": "Português", "fr": "Français"}

func validLanguage(l string) bool {
	_, ok := messages[l]
	return ok
}

// pickLanguage takes ?lang= when valid, else the recipient's language, else Spanish.
func pickLanguage(r *http.Request, preferred string) string {
	if l := r.URL.Query().Get("lang"); validLanguage(l) {
		return l
	}
	if validLanguage(preferred) {
		return preferred
	}
	return "es"
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

// messages is read once at start-up; a catalogue that does not parse stops
// the process, since it is compiled in and a test reads it first.
var messages = loadMessages()

func loadMessages() map[string]map[string]string {
	all := make(map[string]map[string]string, len(languages))
	for _, lang := range languages {
		b, err := messageFiles.ReadFile("messages/" + lang + ".json")
		if err != nil {
			panic(fmt.Sprintf("web: read messages/%s.json: %v", lang, err))
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("web: parse messages/%s.json: %v", lang, err))
		}
		all[lang] = m
	}
	return all
}
