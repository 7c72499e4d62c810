package programme

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bienal/bienal/cooperation"
)

// walker reads a yaml.Node tree field by field, recording every problem with
// its line instead of stopping at the first one.
type walker struct {
	errs Errors
}

func (w *walker) fail(line int, field, format string, args ...any) {
	w.errs = append(w.errs, FieldError{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// resolve follows aliases; the bound guards against alias chains.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// object is one YAML mapping being read against a fixed set of field names.
type object struct {
	w    *walker
	line int
	path string
	keys map[string]*yaml.Node
	ok   bool // false when the node was not a mapping: missing fields are not reported again
}

// object reads n as a mapping whose fields must be among known: strict
// decoding, so a misspelt field is an error rather than silently ignored.
func (w *walker) object(n *yaml.Node, path string, known ...string) *object {
	n = resolve(n)
	o := &object{w: w, path: path, keys: map[string]*yaml.Node{}}
	if n == nil {
		return o
	}
	o.line = n.Line
	if n.Kind != yaml.MappingNode {
		w.fail(n.Line, path, "expected a mapping of fields, found %s", kindName(n))
		return o
	}
	o.ok = true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			w.fail(n.Content[i].Line, path, "field names must be plain words")
			continue
		}
		if !contains(known, k.Value) {
			w.fail(k.Line, join(path, k.Value), "unknown field (expected one of %s)", strings.Join(known, ", "))
			continue
		}
		if _, dup := o.keys[k.Value]; dup {
			w.fail(k.Line, join(path, k.Value), "field given twice")
			continue
		}
		o.keys[k.Value] = v
	}
	return o
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing usable"
}

// lineOf is the line of a field's value, or of the mapping when it is absent.
func (o *object) lineOf(key string) int {
	if n := resolve(o.keys[key]); n != nil {
		return n.Line
	}
	return o.line
}

func (o *object) fail(key, format string, args ...any) {
	o.w.fail(o.lineOf(key), join(o.path, key), format, args...)
}

// scalar returns the field's scalar node, or nil when it is absent or null
// (reported when required) or not a scalar (always reported).
func (o *object) scalar(key string, required bool) *yaml.Node {
	n := resolve(o.keys[key])
	if n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		if required && o.ok {
			o.fail(key, "required")
		}
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		o.fail(key, "expected a single value, found %s", kindName(n))
		return nil
	}
	return n
}

// str reads a text field; a value of only spaces counts as empty.
func (o *object) str(key string, required bool, maxLen int) string {
	n := o.scalar(key, required)
	if n == nil {
		return ""
	}
	s := strings.TrimSpace(n.Value)
	switch {
	case s == "" && required:
		o.fail(key, "required, and empty")
	case len([]rune(s)) > maxLen:
		o.fail(key, "too long (%d characters, at most %d)", len([]rune(s)), maxLen)
	default:
		if msg := badCharacters(s); msg != "" {
			o.fail(key, "%s", msg)
		}
	}
	return s
}

// badCharacters applies the shared rule on the characters a text may hold
// (a double-quoted YAML string can spell a NUL byte as "\0", which
// PostgreSQL cannot store); it returns "" when the text is fine.
func badCharacters(s string) string {
	var fe *cooperation.FieldError
	if err := cooperation.Text("", s, len(s), false); errors.As(err, &fe) {
		return fe.Detail
	}
	return ""
}

func (o *object) integer(key string, required bool, min, max int) (int, bool) {
	n := o.scalar(key, required)
	if n == nil {
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || n.ShortTag() != "!!int" {
		o.fail(key, "expected a whole number, found %q", n.Value)
		return 0, false
	}
	if v < min || v > max {
		o.fail(key, "%d is out of range (%d to %d)", v, min, max)
		return 0, false
	}
	return v, true
}

func (o *object) boolean(key string) (v, present bool) {
	n := o.scalar(key, false)
	if n == nil {
		return false, false
	}
	if n.ShortTag() != "!!bool" || n.Decode(&v) != nil {
		o.fail(key, "expected true or false, found %q", n.Value)
		return false, false
	}
	return v, true
}

// date reads a calendar date written YYYY-MM-DD.
func (o *object) date(key string, required bool) (time.Time, bool) {
	n := o.scalar(key, required)
	if n == nil {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(n.Value))
	if err != nil {
		o.fail(key, "expected a date written YYYY-MM-DD, found %q", n.Value)
		return time.Time{}, false
	}
	return d, true
}

// list returns the items of a list field; required means at least one item.
func (o *object) list(key string, required bool) []*yaml.Node {
	n := resolve(o.keys[key])
	if n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		if required && o.ok {
			o.fail(key, "required: a list with at least one item")
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		o.fail(key, "expected a list, found %s", kindName(n))
		return nil
	}
	if len(n.Content) == 0 && required {
		o.fail(key, "required: a list with at least one item")
	}
	return n.Content
}

// strings reads a list of text items, each non-empty.
func (o *object) strings(key string, required bool, maxLen int) ([]string, []int) {
	var out []string
	var lines []int
	for i, item := range o.list(key, required) {
		item = resolve(item)
		field := index(join(o.path, key), i)
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
		lines = append(lines, item.Line)
	}
	return out, lines
}

var syntaxLine = regexp.MustCompile(`line (\d+):\s*`)

// syntaxError turns yaml's own message into a FieldError with its line.
func syntaxError(err error) FieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	fe := FieldError{Message: "not valid YAML: " + msg}
	if m := syntaxLine.FindStringSubmatchIndex(msg); m != nil {
		fe.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		fe.Message = "not valid YAML: " + msg[:m[0]] + msg[m[1]:]
	}
	return fe
}
