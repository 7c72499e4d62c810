package cooperation

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Lengths, in characters, of what people type. The database CHECKs the
// same bounds; these come first so that a refusal names the field.
const (
	MaxTitle       = 500
	MaxReportText  = 20000 // a report's narrative fields, a description, a final statement
	MaxOutputs     = 5000  // expected outputs, one per line
	MaxVoteComment = 5000
	MaxReason      = 2000 // extension, waiver, withdrawal, cancellation, revocation
	MaxName        = 200  // a person's or a country's name
	MaxEmail       = 320
	MaxID          = 200 // a vote, revision or request ID chosen by a client
	MaxCycleTitle  = 200
)

// Translation keys of the refusals below; the portal shows them beside the
// field in the person's language, the command line prints the message.
const (
	ErrRequired = "err_required"
	ErrTooLong  = "err_too_long"
	ErrUTF8     = "err_utf8"
	ErrControl  = "err_control"
	ErrID       = "err_id"
	ErrDate     = "err_date"
	ErrRange    = "err_date_range"
	ErrChoice   = "err_choice"
)

// FieldError says what is wrong with one input and where.
type FieldError struct {
	Field string // the input's name, as the form or the payload spells it
	Key   string // one of the Err* translation keys
	Max   int    // for ErrTooLong: the limit
	// Detail is the message in English, for logs, audit lines and the CLI.
	Detail string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Detail }

// Text checks a free text: valid UTF-8, no control characters but tab and
// newline (a NUL byte cannot be stored, others hide text from readers), at
// most max characters, and not blank when required.
func Text(field, v string, max int, required bool) error {
	switch {
	case !utf8.ValidString(v):
		return &FieldError{Field: field, Key: ErrUTF8, Detail: "not valid UTF-8"}
	case hasControl(v):
		return &FieldError{Field: field, Key: ErrControl, Detail: "holds a control character"}
	case utf8.RuneCountInString(v) > max:
		return &FieldError{Field: field, Key: ErrTooLong, Max: max, Detail: fmt.Sprintf("longer than %d characters", max)}
	case required && strings.TrimSpace(v) == "":
		return &FieldError{Field: field, Key: ErrRequired, Detail: "is required"}
	}
	return nil
}

// Line is Text for a one-line field: a newline or tab is refused too.
func Line(field, v string, max int, required bool) error {
	if strings.ContainsAny(v, "\t\n") {
		return &FieldError{Field: field, Key: ErrControl, Detail: "holds a control character"}
	}
	return Text(field, v, max, required)
}

// hasControl reports a C0 control character other than tab and newline, DEL,
// or a C1 control character.
func hasControl(v string) bool {
	for _, r := range v {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}

// ID checks an identifier chosen by a client (a vote ID, a revision ID):
// 1 to MaxID printable ASCII characters without spaces, which every
// released client (the portal's "web-…", the CLI's "cli-…", scripts' own
// "v-123" or "r-member@country") already uses.
func ID(field, v string) error {
	if v == "" {
		return &FieldError{Field: field, Key: ErrRequired, Detail: "is required"}
	}
	if len(v) > MaxID {
		return &FieldError{Field: field, Key: ErrID, Max: MaxID,
			Detail: fmt.Sprintf("longer than %d characters", MaxID)}
	}
	for _, r := range v {
		if r <= ' ' || r > '~' {
			return &FieldError{Field: field, Key: ErrID,
				Detail: fmt.Sprintf("may hold only printable ASCII characters without spaces (found %q)", r)}
		}
	}
	return nil
}

// Email checks an e-mail address as the directory stores it: lower case,
// one '@', a dot in the domain, no spaces or control characters.
func Email(field, v string) error {
	if err := Line(field, v, MaxEmail, true); err != nil {
		return err
	}
	at := strings.IndexByte(v, '@')
	if v != strings.ToLower(v) || strings.ContainsAny(v, " ") || at <= 0 || strings.Count(v, "@") != 1 ||
		!strings.Contains(v[at+1:], ".") || strings.HasSuffix(v, ".") {
		return &FieldError{Field: field, Key: ErrChoice, Detail: fmt.Sprintf("%q is not an e-mail address", v)}
	}
	return nil
}

// OneOf checks that v is one of allowed.
func OneOf[T ~string](field string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return &FieldError{Field: field, Key: ErrChoice, Detail: fmt.Sprintf("%q is not one of %v", string(v), allowed)}
}

// Excerpt makes any text safe to store and show where it is quoted rather
// than accepted (a refused signal's audit line): invalid bytes and control
// characters become U+FFFD and it is cut to max characters.
func Excerpt(v string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(v, "\uFFFD") {
		if n == max {
			b.WriteString("…")
			break
		}
		if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
