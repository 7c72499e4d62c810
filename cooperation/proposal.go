package cooperation

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxCallLead is how far ahead a call for proposals may close, in years: a
// call open longer is a typing error (2062 for 2026), and its personal
// links would stay valid all that time.
const MaxCallLead = 1

// ErrDuplicate is the translation key of a country listed twice among an
// activity's countries.
const ErrDuplicate = "err_duplicate"

// CallClosing reads the last day to send proposals to a call opened on
// today (UTC): required, not passed (proposals are taken until the day
// ends), and at most MaxCallLead years ahead.
func CallClosing(field, v string, today time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, &FieldError{Field: field, Key: ErrRequired, Detail: "is required"}
	}
	d, err := Day(field, v)
	if err != nil {
		return time.Time{}, err
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	last := today.AddDate(MaxCallLead, 0, 0)
	switch {
	case d.Before(today):
		return time.Time{}, &FieldError{Field: field, Key: ErrPast,
			Detail: fmt.Sprintf("%s has already passed (today is %s)", v, today.Format(time.DateOnly))}
	case d.After(last):
		return time.Time{}, &FieldError{Field: field, Key: ErrRange,
			Detail: fmt.Sprintf("%s is more than %d year ahead (at most %s)", v, MaxCallLead, last.Format(time.DateOnly))}
	}
	return d, nil
}

// ActivityDays reads the first and last days of an activity of biennium b:
// both required, both within the biennium (the programme covers it and no
// more), the last not before the first. The errors name the fields
// "starts_on" and "ends_on".
func ActivityDays(b Biennium, startsArg, endsArg string) (starts, ends time.Time, errs []*FieldError) {
	read := func(field, v string) time.Time {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, &FieldError{Field: field, Key: ErrRequired, Detail: "is required"})
			return time.Time{}
		}
		d, err := Day(field, v)
		if err == nil {
			err = Within(field, d, b.Starts(), b.Ends())
		}
		var fe *FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
			return time.Time{}
		}
		return d
	}
	starts, ends = read("starts_on", startsArg), read("ends_on", endsArg)
	if !starts.IsZero() && !ends.IsZero() && ends.Before(starts) {
		errs = append(errs, &FieldError{Field: "ends_on", Key: ErrOrder,
			Detail: fmt.Sprintf("%s is before starts_on %s", endsArg, startsArg)})
	}
	return starts, ends, errs
}

// Participants checks the countries that take part in an activity besides
// its lead: each listed once, and not the lead, which takes part as lead
// (the activity has one row per country).
func Participants(field, lead string, countries []string) error {
	for i, c := range countries {
		if c == lead || slices.Contains(countries[:i], c) {
			return &FieldError{Field: field, Key: ErrDuplicate,
				Detail: fmt.Sprintf("country %q is listed twice (or is the lead)", Excerpt(c, 10))}
		}
	}
	return nil
}

// Outputs checks an activity's expected outputs: each one line, and all of
// them together at most max characters.
func Outputs(field string, outputs []string, max int) error {
	for _, o := range outputs {
		if err := Line(field, o, max, false); err != nil {
			return err
		}
	}
	return Text(field, strings.Join(outputs, "\n"), max, false)
}

// Translation keys of the refusals of a proposal's texts in several
// languages, as the portal's forms take them.
const (
	// ErrOriginalLanguage: the language the texts were first written in is
	// missing or not one of Languages.
	ErrOriginalLanguage = "err_original_language"
	// ErrTranslationOriginal: a translation is given in the original's
	// own language.
	ErrTranslationOriginal = "err_translation_original"
	// ErrOutputsCount: a translation lists another number of expected
	// outputs than the original (FieldError.Max says how many).
	ErrOutputsCount = "err_outputs_count"
)
