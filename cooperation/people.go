package cooperation

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The people of a programme and the rules every front door applies to them:
// the programme file, the portal's directory and the commands that replace
// a focal point or a delegate check a person with the same PersonFields.

// Roles a person holds in the directory, as the audit log and the
// replacement commands name them.
const (
	RoleFocalPoint = "focal_point"
	RolePrincipal  = "principal"
	RoleAlternate  = "alternate"
	// RoleDelegate is whoever a person away named to act for them.
	RoleDelegate = "delegate"
)

// Translation keys of the people rules' refusals.
const (
	ErrLanguage    = "err_language"
	ErrTimeZone    = "err_time_zone"
	ErrEmail       = "err_email"
	ErrSamePerson  = "err_same_person"
	ErrOtherRole   = "err_other_role"
	ErrBeforeStart = "err_before_biennium"
	ErrFarAhead    = "err_far_ahead"
	// ErrNotScheduled: no scheduled change by that number is waiting.
	ErrNotScheduled = "err_not_scheduled"
	ErrCountryCode  = "err_country_code"
	ErrOneChair     = "err_one_chair"
	ErrNoPrincipal  = "err_no_principal"
	ErrOpenTasks    = "err_open_tasks"
	ErrUnknown      = "err_unknown"
	ErrNotActive    = "err_not_active"
	ErrExists       = "err_exists"
	ErrOverlap      = "err_overlap"
)

// MaxReference bounds the reference a change of person keeps (the note
// verbale that announced it, say).
const MaxReference = MaxReason

var personIDRE = regexp.MustCompile(`^p-[0-9a-f]{20}$`)

// IsPersonID tells whether v is a person's ID as the database makes them
// (p- and 20 hexadecimal digits): what workflows carry instead of an
// address. No address has this shape, since it holds no @.
func IsPersonID(v string) bool { return personIDRE.MatchString(v) }

var countryRE = regexp.MustCompile(`^[A-Z]{2}$`)

// CountryCode checks an ISO 3166 alpha-2 code in capitals.
func CountryCode(field, v string) error {
	if !countryRE.MatchString(v) {
		return &FieldError{Field: field, Key: ErrCountryCode,
			Detail: fmt.Sprintf("%q is not an ISO 3166 alpha-2 code in capitals, such as AR", Excerpt(v, 20))}
	}
	return nil
}

// PersonFields are what the directory knows of a person.
type PersonFields struct {
	Email, Name, Language, TimeZone string
}

// Normalized is p with its address in lower case and its other fields
// trimmed, as it is stored.
func (p PersonFields) Normalized() PersonFields {
	return PersonFields{Email: strings.ToLower(strings.TrimSpace(p.Email)), Name: strings.TrimSpace(p.Name),
		Language: strings.TrimSpace(p.Language), TimeZone: strings.TrimSpace(p.TimeZone)}
}

// Check applies the programme file's rules to a person: a plain address,
// a name of at most MaxName characters, a working language and an IANA time
// zone. Fields are named email, name, language and time_zone.
func (p PersonFields) Check() []error {
	return []error{PersonEmail("email", p.Email), Line("name", p.Name, MaxName, true),
		PersonLanguage("language", p.Language), TimeZone("time_zone", p.TimeZone)}
}

// PersonEmail is Email with the directory's message.
func PersonEmail(field, v string) error {
	err := Email(field, v)
	var fe *FieldError
	if errors.As(err, &fe) && fe.Key == ErrChoice {
		fe.Key = ErrEmail
	}
	return err
}

// PersonLanguage checks a working language: es, en, pt or fr.
func PersonLanguage(field, v string) error {
	if v == "" {
		return &FieldError{Field: field, Key: ErrRequired, Detail: "is required"}
	}
	if !Language(v) {
		return &FieldError{Field: field, Key: ErrLanguage, Detail: fmt.Sprintf("unknown language %q (expected es, en, pt or fr)", Excerpt(v, 20))}
	}
	return nil
}

// TextLanguage checks the language a text is marked as written in: a
// working language, or "" when it was not said.
func TextLanguage(field, v string) error {
	if v == "" {
		return nil
	}
	return PersonLanguage(field, v)
}

// TimeZone checks an IANA time zone name, as America/Santiago.
func TimeZone(field, v string) error {
	if v == "" {
		return &FieldError{Field: field, Key: ErrRequired, Detail: "is required"}
	}
	if _, err := time.LoadLocation(v); err != nil || v == "Local" || strings.ContainsAny(v, " \t\n") {
		return &FieldError{Field: field, Key: ErrTimeZone,
			Detail: fmt.Sprintf("unknown time zone %q (expected an IANA name like America/Santiago)", Excerpt(v, 64))}
	}
	return nil
}

// Effective checks the day a change of person takes effect: not before the
// biennium, and at most a year ahead. A day after today is a change
// announced ahead, made on that day (see Replace); an empty v means today.
func Effective(field, v string, b Biennium, today time.Time) (time.Time, error) {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if v == "" {
		return today, nil
	}
	d, err := Day(field, v)
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case d.Before(b.Starts()):
		return time.Time{}, &FieldError{Field: field, Key: ErrBeforeStart,
			Detail: fmt.Sprintf("%s is before the biennium %d-%d starts (%s)", v, b.First, b.Last, b.Starts().Format(time.DateOnly))}
	case d.After(today.AddDate(1, 0, 0)):
		return time.Time{}, &FieldError{Field: field, Key: ErrFarAhead,
			Detail: fmt.Sprintf("%s is more than a year ahead (today is %s): schedule it nearer the day", v, today.Format(time.DateOnly))}
	}
	return d, nil
}

// DelegationRange checks the days of a delegation: both given, the last
// not before the first, and the last not already past.
func DelegationRange(from, until string, today time.Time) (time.Time, time.Time, []error) {
	f, ferr := Day("from", from)
	u, uerr := Day("until", until)
	if ferr != nil || uerr != nil {
		return f, u, []error{ferr, uerr}
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case u.Before(f):
		return f, u, []error{&FieldError{Field: "until", Key: ErrOrder,
			Detail: fmt.Sprintf("%s ends before it starts (%s)", until, from)}}
	case u.Before(today):
		return f, u, []error{&FieldError{Field: "until", Key: ErrRange,
			Detail: fmt.Sprintf("%s is already past (today is %s)", until, today.Format(time.DateOnly))}}
	case u.Sub(f) > 2*366*24*time.Hour:
		return f, u, []error{&FieldError{Field: "until", Key: ErrRange,
			Detail: "a delegation lasts at most two years"}}
	}
	return f, u, nil
}
