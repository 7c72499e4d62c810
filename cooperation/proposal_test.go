package cooperation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

// keyOf is the translation key of a field error, or "" for none.
func keyOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var fe *cooperation.FieldError
	require.ErrorAs(t, err, &fe)
	return fe.Key
}

func TestCallClosing(t *testing.T) {
	today := time.Date(2026, 3, 5, 23, 30, 0, 0, time.UTC)
	cases := map[string]string{
		"2026-03-05": "", // today, until the day ends
		"2027-03-05": "", // the farthest day
		"":           cooperation.ErrRequired,
		"2026-03-04": cooperation.ErrPast,
		"2027-03-06": cooperation.ErrRange,
		"9999-12-31": cooperation.ErrRange,
		"2026-02-30": cooperation.ErrDate,
		"05/04/2026": cooperation.ErrDate,
	}
	for v, want := range cases {
		d, err := cooperation.CallClosing("closes", v, today)
		require.Equal(t, want, keyOf(t, err), v)
		if want == "" {
			require.Equal(t, v, d.Format(time.DateOnly))
		}
	}
}

func TestActivityDays(t *testing.T) {
	b := cooperation.Biennium{First: 2017, Last: 2018}
	keys := func(starts, ends string) map[string]string {
		_, _, errs := cooperation.ActivityDays(b, starts, ends)
		out := map[string]string{}
		for _, e := range errs {
			out[e.Field] = e.Key
		}
		return out
	}
	require.Empty(t, keys("2017-01-01", "2018-12-31"), "the biennium's first and last days are inside")
	require.Empty(t, keys("2017-05-01", "2017-05-01"), "one day")
	require.Equal(t, map[string]string{"starts_on": cooperation.ErrRequired, "ends_on": cooperation.ErrRequired}, keys("", " "))
	require.Equal(t, map[string]string{"starts_on": cooperation.ErrRange}, keys("2016-12-31", "2017-06-30"))
	require.Equal(t, map[string]string{"ends_on": cooperation.ErrRange}, keys("2017-01-01", "2019-01-01"))
	require.Equal(t, map[string]string{"starts_on": cooperation.ErrRange}, keys("0000-01-01", "2017-06-30"))
	require.Equal(t, map[string]string{"ends_on": cooperation.ErrDate}, keys("2017-01-01", "2018-13-40"))
	require.Equal(t, map[string]string{"ends_on": cooperation.ErrOrder}, keys("2017-06-30", "2017-06-29"))
}

func TestParticipantsAndOutputs(t *testing.T) {
	require.Empty(t, keyOf(t, cooperation.Participants("participants", "CL", []string{"MX", "AR"})))
	require.Empty(t, keyOf(t, cooperation.Participants("participants", "CL", nil)))
	require.Equal(t, cooperation.ErrDuplicate, keyOf(t, cooperation.Participants("participants", "CL", []string{"MX", "MX"})))
	require.Equal(t, cooperation.ErrDuplicate, keyOf(t, cooperation.Participants("participants", "CL", []string{"MX", "CL"})))

	require.Empty(t, keyOf(t, cooperation.Outputs("expected_outputs", []string{"Portal", "Guide"}, 20)))
	require.Equal(t, cooperation.ErrControl, keyOf(t, cooperation.Outputs("expected_outputs", []string{"Portal\nGuide"}, 20)))
	require.Equal(t, cooperation.ErrTooLong, keyOf(t, cooperation.Outputs("expected_outputs", []string{strings.Repeat("x", 10), strings.Repeat("y", 10)}, 20)),
		"the outputs together, a newline between each")
}
