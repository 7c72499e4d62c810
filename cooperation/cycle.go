package cooperation

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Bounds of a reporting cycle's dates. A cycle due years ahead is a typing
// error (9999 for 2027), and its closing date, one month on, would be a day
// no later step can write; a closing date long after the due date leaves
// the report tasks open for no one.
const (
	MaxCycleLead   = 5 // years from today to the due date
	MaxCycleWindow = 1 // years from the due date to the closing date
	// DefaultCycleDays is the time between due and closing date when no
	// closing date is given.
	DefaultCycleDays = 30
)

// More translation keys, for the order of dates.
const (
	ErrPast  = "err_date_past"  // a day that has already passed
	ErrOrder = "err_date_order" // a day before the one it must follow
)

// DefaultCycleClosing is the closing day of a cycle opened without one.
func DefaultCycleClosing(due time.Time) time.Time { return due.AddDate(0, 0, DefaultCycleDays) }

// CycleDates checks the due and closing days of a cycle being opened on
// today (all calendar days, UTC): due not before today and at most
// MaxCycleLead years ahead, closing not before due and at most
// MaxCycleWindow years after it. The errors name the fields "due" and
// "closes"; none means the dates are fine.
func CycleDates(due, closes, today time.Time) []*FieldError {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var errs []*FieldError
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	switch {
	case due.Before(today):
		errs = append(errs, &FieldError{Field: "due", Key: ErrPast,
			Detail: fmt.Sprintf("%s has already passed (today is %s)", day(due), day(today))})
	case due.After(today.AddDate(MaxCycleLead, 0, 0)):
		errs = append(errs, &FieldError{Field: "due", Key: ErrRange,
			Detail: fmt.Sprintf("%s is more than %d years ahead (at most %s)", day(due), MaxCycleLead, day(today.AddDate(MaxCycleLead, 0, 0)))})
	}
	switch {
	case closes.Before(due):
		errs = append(errs, &FieldError{Field: "closes", Key: ErrOrder,
			Detail: fmt.Sprintf("%s is before the due date %s", day(closes), day(due))})
	case closes.After(due.AddDate(MaxCycleWindow, 0, 0)):
		errs = append(errs, &FieldError{Field: "closes", Key: ErrRange,
			Detail: fmt.Sprintf("%s is more than %d year after the due date (at most %s)", day(closes), MaxCycleWindow, day(due.AddDate(MaxCycleWindow, 0, 0)))})
	}
	return errs
}

// ErrCycleName is the translation key of a cycle name that breaks CycleName.
const ErrCycleName = "err_cycle_name"

var cycleName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// CycleName checks a cycle's name: 1 to 32 lowercase letters, digits, - or
// _, starting with a letter or digit. It is part of the cycle's workflow ID
// and of every task's, so it stays plain.
func CycleName(field, v string) error {
	// A character that cannot be stored is named as such, as in any text.
	if err := Line(field, v, 32, true); err != nil {
		return err
	}
	if !cycleName.MatchString(v) {
		return &FieldError{Field: field, Key: ErrCycleName,
			Detail: fmt.Sprintf("%q: use 1 to 32 lowercase letters, digits, - or _, starting with a letter or digit", Excerpt(v, 40))}
	}
	return nil
}

// CycleDays reads the due and closing days of a cycle being opened on
// today in biennium: due is required, closes defaults to DefaultCycleClosing,
// the due day falls no earlier than the biennium's start, and CycleDates
// holds. The errors name the fields "due" and "closes".
func CycleDays(b Biennium, dueArg, closesArg string, today time.Time) (due, closes time.Time, errs []*FieldError) {
	add := func(err error) {
		var fe *FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	if dueArg == "" {
		return time.Time{}, time.Time{}, []*FieldError{{Field: "due", Key: ErrRequired, Detail: "is required"}}
	}
	due, err := Day("due", dueArg)
	if err != nil {
		add(err)
		if closesArg != "" {
			_, cerr := Day("closes", closesArg)
			add(cerr)
		}
		return time.Time{}, time.Time{}, errs
	}
	closes = DefaultCycleClosing(due)
	closesOK := true
	if closesArg != "" {
		var cerr error
		if closes, cerr = Day("closes", closesArg); cerr != nil {
			add(cerr)
			closes, closesOK = DefaultCycleClosing(due), false
		}
	}
	if b.First > 0 {
		add(Within("due", due, b.Starts(), due))
	}
	for _, e := range CycleDates(due, closes, today) {
		if e.Field == "due" || closesOK {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return time.Time{}, time.Time{}, errs
	}
	return due, closes, errs
}
