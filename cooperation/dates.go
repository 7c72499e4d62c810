package cooperation

import (
	"fmt"
	"strconv"
	"time"
)

// Day parses a calendar day written YYYY-MM-DD. Years before 1900 or after
// 2200 are refused: no programme runs then, and the day after a date in
// year 9999 cannot be written in this format.
func Day(field, v string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &FieldError{Field: field, Key: ErrDate, Detail: fmt.Sprintf("%q: want a day as YYYY-MM-DD", v)}
	}
	if y := d.Year(); y < MinYear || y > MaxYear {
		return time.Time{}, &FieldError{Field: field, Key: ErrRange,
			Detail: fmt.Sprintf("%s is outside the years %d to %d", v, MinYear, MaxYear)}
	}
	return d, nil
}

// The years any date may fall in.
const (
	MinYear = 1900
	MaxYear = 2200
)

// DayEnd is the instant a calendar day ends (UTC): a task due on a day may
// be submitted until then.
func DayEnd(day string) (time.Time, error) {
	d, err := Day("day", day)
	if err != nil {
		return time.Time{}, err
	}
	return d.AddDate(0, 0, 1), nil
}

// Biennium is a programme's two years, "2017-2018".
type Biennium struct{ First, Last int }

// ParseBiennium reads "YYYY-YYYY" with consecutive years.
func ParseBiennium(field, v string) (Biennium, error) {
	bad := &FieldError{Field: field, Key: ErrChoice, Detail: fmt.Sprintf("%q: want two consecutive years, e.g. 2017-2018", v)}
	if len(v) != 9 || v[4] != '-' {
		return Biennium{}, bad
	}
	a, err1 := strconv.Atoi(v[:4])
	b, err2 := strconv.Atoi(v[5:])
	if err1 != nil || err2 != nil || b != a+1 || a < MinYear || b > MaxYear {
		return Biennium{}, bad
	}
	return Biennium{First: a, Last: b}, nil
}

// Starts is the biennium's first day.
func (b Biennium) Starts() time.Time { return time.Date(b.First, 1, 1, 0, 0, 0, 0, time.UTC) }

// Ends is the biennium's last day.
func (b Biennium) Ends() time.Time { return time.Date(b.Last, 12, 31, 0, 0, 0, 0, time.UTC) }

// ReportingEnds is the last day a report on the biennium may be due or a
// cycle may close: reports on a biennium are gathered during the year after.
func (b Biennium) ReportingEnds() time.Time { return time.Date(b.Last+1, 12, 31, 0, 0, 0, 0, time.UTC) }

// Within checks that d falls between from and to, both included.
func Within(field string, d, from, to time.Time) error {
	if d.Before(from) || d.After(to) {
		return &FieldError{Field: field, Key: ErrRange, Detail: fmt.Sprintf("%s is outside %s to %s",
			d.Format(time.DateOnly), from.Format(time.DateOnly), to.Format(time.DateOnly))}
	}
	return nil
}
