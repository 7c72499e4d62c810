// Package messages holds the portal's catalogues, one JSON file per working
// language (es.json, en.json, pt.json, fr.json): a flat object from key to
// text. The portal reads them through web; the report reads the words it
// shares with the portal (statuses, "Goal", "Lead country", ...) from here
// too, so each such word has one owner and reads the same on a page and in
// the document the secretariat takes to the Conference.
package messages

import (
	"embed"
	"encoding/json"
	"fmt"
)

// Languages are the languages the catalogues are written in.
var Languages = []string{"es", "en", "pt", "fr"}

// Files holds the catalogues, named <lang>.json.
//
//go:embed *.json
var Files embed.FS

// all is read once: a catalogue that does not parse stops the process, since
// it is compiled in and the tests read it first.
var all = load()

func load() map[string]map[string]string {
	out := make(map[string]map[string]string, len(Languages))
	for _, lang := range Languages {
		b, err := Files.ReadFile(lang + ".json")
		if err != nil {
			panic(fmt.Sprintf("messages: read %s.json: %v", lang, err))
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("messages: parse %s.json: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// All returns every catalogue by language. The maps are shared: callers
// read them and never write.
func All() map[string]map[string]string { return all }

// Text is key in lang, and whether that catalogue has it.
func Text(lang, key string) (string, bool) {
	s, ok := all[lang][key]
	return s, ok
}

// OriginalNote tells a reader of reader that a text is shown as it was
// written, in lang: "original in Spanish". Pages, e-mails and the report
// all say it with these words.
func OriginalNote(reader, lang string) string { return inOrEnglish(reader, "text_original_"+lang) }

// WrittenNote tells a reader of reader which language a person wrote their
// texts in: "Written in Spanish".
func WrittenNote(reader, lang string) string { return inOrEnglish(reader, "text_written_"+lang) }

// inOrEnglish is key in lang, else in English, the fallback of a language
// bienal does not speak.
func inOrEnglish(lang, key string) string {
	if s, ok := Text(lang, key); ok {
		return s
	}
	s, _ := Text("en", key)
	return s
}
