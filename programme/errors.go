package programme

import (
	"fmt"
	"sort"
	"strings"
)

// FieldError is one problem in a file, placed by line and field path so the
// secretariat can go straight to it, e.g.
// `line 42: activities[3].lead: unknown country "XX"`.
type FieldError struct {
	// Line is 1-based; 0 when the problem has no place in the file.
	Line int `json:"line"`
	// Field is the path of the field, e.g. "activities[3].lead"; indexes count from 0.
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors lists every problem found in a file, in line order, so one run
// shows them all rather than one per attempt.
type Errors []FieldError

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, fe := range e {
		lines[i] = fe.Error()
	}
	return strings.Join(lines, "\n")
}

func (e Errors) sorted() Errors {
	sort.SliceStable(e, func(i, j int) bool { return e[i].Line < e[j].Line })
	return e
}
