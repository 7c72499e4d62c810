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

// MaxReported is how many problems Error prints. A file broken in one
// systematic way (a wrong indentation, a list of unknown codes) has hundreds
// of problems that all say the same; the first ones are what to fix, and
// printing every one buries them.
const MaxReported = 50

func (e Errors) Error() string {
	n := min(len(e), MaxReported)
	lines := make([]string, n, n+1)
	for i, fe := range e[:n] {
		lines[i] = fe.Error()
	}
	if len(e) > n {
		lines = append(lines, fmt.Sprintf("... and %d more problems (%d in all)", len(e)-n, len(e)))
	}
	return strings.Join(lines, "\n")
}

func (e Errors) sorted() Errors {
	sort.SliceStable(e, func(i, j int) bool { return e[i].Line < e[j].Line })
	return e
}
