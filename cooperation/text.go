package cooperation

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// TextSet is one text meant for readers (a programme's or goal's title, an
// activity's title, description or expected output) in the languages it was
// given in. Stored is the text as its row holds it, in its original
// language; Original names that language, "" when nobody said; In holds it
// in every language given, the original's included.
type TextSet struct {
	Stored   string            `json:"stored,omitempty"`
	Original string            `json:"original_language,omitempty"`
	In       map[string]string `json:"in,omitempty"`
}

// Shown is a text as one reader is given it: Text, in Lang ("" when not
// said), for a reader of Reader.
type Shown struct {
	Text, Lang, Reader string
}

// String is the text itself, so that a template printing a Shown prints
// what the reader reads.
func (s Shown) String() string { return s.Text }

// Foreign says the text is not in the reader's language: it is shown as it
// was written, and readers are told in which language.
func (s Shown) Foreign() bool { return s.Lang != "" && s.Lang != s.Reader }

// Plain is a text whose other languages nobody gave: everyone reads it as
// stored, its language not said.
func Plain(s string) TextSet { return TextSet{Stored: s} }

// Current says the languages were given for the text stored: its original
// language is said, and its text in it is the one stored. A text revised
// since its translations were written is not current.
func (t TextSet) Current() bool { return t.Original != "" && t.In[t.Original] == t.Stored }

// Show is the one rule for which text a reader gets: theirs where it was
// given, else the original, in its language. The languages count only
// while the original they were given for is the text stored: a title
// revised since shows as revised, its language not said, never as the old
// title in another language.
func (t TextSet) Show(reader string) Shown {
	if !t.Current() {
		return Shown{Text: t.Stored, Reader: reader}
	}
	if s := t.In[reader]; s != "" {
		return Shown{Text: s, Lang: reader, Reader: reader}
	}
	return Shown{Text: t.Stored, Lang: t.Original, Reader: reader}
}

// Check holds a text in several languages to the rules every way in
// shares, the programme file's and the portal's forms alike: its original
// language one of es, en, pt and fr, with a text in it, since the others
// translate it, and every other language one of the four too. The error
// names "original_language" (Key ErrOriginalLanguage, or
// ErrRequired when the original has no text) or the unknown language.
func (t TextSet) Check() *FieldError {
	switch {
	case t.Original == "":
		return &FieldError{Field: "original_language", Key: ErrOriginalLanguage,
			Detail: "required: the language this text was first written in (es, en, pt or fr)"}
	case !Language(t.Original):
		return &FieldError{Field: "original_language", Key: ErrOriginalLanguage,
			Detail: fmt.Sprintf("unknown language %q (expected es, en, pt or fr)", Excerpt(t.Original, 10))}
	case strings.TrimSpace(t.In[t.Original]) == "":
		return &FieldError{Field: "original_language", Key: ErrRequired,
			Detail: fmt.Sprintf("%s: no text in %s here; give it, since the other languages translate it", t.Original, t.Original)}
	}
	for _, lang := range slices.Sorted(maps.Keys(t.In)) {
		if !Language(lang) {
			return &FieldError{Field: lang, Key: ErrChoice,
				Detail: fmt.Sprintf("unknown language %q (expected one of %v)", Excerpt(lang, 10), Languages)}
		}
	}
	return nil
}
