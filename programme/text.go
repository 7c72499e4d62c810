package programme

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bienal/bienal/cooperation"
)

// Text is a text meant for readers - a title, a description, an expected
// output - given in several languages:
//
//	title: {es: Red de parques científicos, en: Network of science parks, original_language: es}
//
// Original is the language it was first written in; In holds it in every
// language given, Original's included. The plain field (Activity.Title, ...)
// holds the text in its original language, so everything that reads one
// text reads that; a plain string in the file has no Text.
type Text = cooperation.TextSet

// Texts are a subject's texts given in several languages, by field:
// "title", "description", "expected_outputs/0" (the first output).
type Texts map[string]Text

// textKeys are the fields of a text's mapping.
var textKeys = append(append([]string{}, cooperation.Languages...), "original_language")

// text reads a text for readers: a plain string, or a mapping of the
// working languages to the text in each, with its original_language. It
// returns the text in its original language, and the Text of a mapping. A
// language outside es, en, pt and fr, a mapping without its original
// language, or one whose original language has no text, is an error with
// its line.
func (o *object) text(key string, required bool, maxLen int) (string, *Text) {
	n := resolve(o.keys[key])
	if n == nil || n.Kind != yaml.MappingNode {
		return o.str(key, required, maxLen), nil
	}
	return o.w.textMap(n, join(o.path, key), maxLen)
}

func (w *walker) textMap(n *yaml.Node, path string, maxLen int) (string, *Text) {
	m := w.object(n, path, textKeys...)
	t := &Text{In: map[string]string{}}
	for _, lang := range cooperation.Languages {
		if _, given := m.keys[lang]; !given {
			continue
		}
		if s := m.str(lang, true, maxLen); s != "" {
			t.In[lang] = s
		}
	}
	t.Original = m.str("original_language", false, 2)
	if len(t.In) == 0 && len(m.keys) <= 1 {
		w.fail(n.Line, path, "a text in at least one of es, en, pt, fr, with its original_language")
	} else if fe := t.Check(); fe != nil {
		m.fail(fe.Field, "%s", fe.Detail)
	}
	return t.In[t.Original], t
}

// texts reads a list of texts for readers, each a plain string or a
// mapping of languages (see text), each non-empty. It returns them in their
// original languages, with the Text of each item given as a mapping under
// its index.
func (o *object) texts(key string, required bool, maxLen int) ([]string, map[int]*Text) {
	var out []string
	given := map[int]*Text{}
	for i, item := range o.list(key, required) {
		item = resolve(item)
		field := index(join(o.path, key), i)
		if item != nil && item.Kind == yaml.MappingNode {
			s, t := o.w.textMap(item, field, maxLen)
			given[len(out)] = t
			out = append(out, s)
			continue
		}
		if item == nil || item.Kind != yaml.ScalarNode || strings.TrimSpace(item.Value) == "" || item.ShortTag() == "!!null" {
			line := o.lineOf(key)
			if item != nil {
				line = item.Line
			}
			o.w.fail(line, field, "expected a non-empty text")
			continue
		}
		s := strings.TrimSpace(item.Value)
		if len([]rune(s)) > maxLen {
			o.w.fail(item.Line, field, "too long (%d characters, at most %d)", len([]rune(s)), maxLen)
		} else if msg := badCharacters(s); msg != "" {
			o.w.fail(item.Line, field, "%s", msg)
		}
		out = append(out, s)
	}
	return out, given
}

// add keeps t, when given, as the text of field.
func (ts *Texts) add(field string, t *Text) {
	if t == nil {
		return
	}
	if *ts == nil {
		*ts = Texts{}
	}
	(*ts)[field] = *t
}

// OutputField is the field of an expected output's text.
func OutputField(i int) string { return "expected_outputs/" + strconv.Itoa(i) }

// Set is field's text for readers, stored as stored, in every language
// given.
func (ts Texts) Set(field, stored string) cooperation.TextSet {
	t := ts[field]
	t.Stored = stored
	return t
}
