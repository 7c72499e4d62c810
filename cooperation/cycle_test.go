package cooperation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestCycleDates(t *testing.T) {
	today := time.Date(2026, 3, 5, 15, 30, 0, 0, time.UTC)
	keys := func(due, closes string) map[string]string {
		out := map[string]string{}
		for _, e := range cooperation.CycleDates(day(due), day(closes), today) {
			out[e.Field] = e.Key
		}
		return out
	}
	require.Empty(t, keys("2026-03-05", "2026-04-04"), "due today, later in the day, is fine")
	require.Empty(t, keys("2031-03-05", "2032-03-05"), "the farthest bounds are included")
	require.Equal(t, map[string]string{"due": cooperation.ErrPast}, keys("2026-03-04", "2026-04-04"))
	require.Equal(t, map[string]string{"due": cooperation.ErrRange}, keys("2031-03-06", "2031-04-06"))
	require.Equal(t, map[string]string{"due": cooperation.ErrRange}, keys("9999-12-31", "9999-12-31"))
	require.Equal(t, map[string]string{"closes": cooperation.ErrOrder}, keys("2026-06-01", "2026-05-31"))
	require.Equal(t, map[string]string{"closes": cooperation.ErrRange}, keys("2026-06-01", "2027-06-02"))
	require.Equal(t, day("2026-07-01"), cooperation.DefaultCycleClosing(day("2026-06-01")))
	require.Empty(t, keys("2026-06-01", cooperation.DefaultCycleClosing(day("2026-06-01")).Format(time.DateOnly)))
}

func TestCycleDays(t *testing.T) {
	today := day("2026-12-02")
	b := cooperation.Biennium{First: 2025, Last: 2026}
	due, closes, errs := cooperation.CycleDays(b, "2026-12-02", "", today)
	require.Empty(t, errs, "due today is fine")
	require.Equal(t, due.AddDate(0, 0, cooperation.DefaultCycleDays), closes, "closing defaults to 30 days after due")
	_, _, errs = cooperation.CycleDays(b, "2031-12-02", "2032-12-02", today)
	require.Empty(t, errs, "the farthest bounds are included")
	_, _, errs = cooperation.CycleDays(b, "", "", today)
	require.Equal(t, cooperation.ErrRequired, errs[0].Key)
	_, _, errs = cooperation.CycleDays(cooperation.Biennium{First: 2027, Last: 2028}, "2026-12-10", "", today)
	require.Len(t, errs, 1)
	require.Equal(t, "due", errs[0].Field, "a due day before the biennium starts")
	_, _, errs = cooperation.CycleDays(b, "2026-12-01", "x", today)
	require.ElementsMatch(t, []string{"due", "closes"}, []string{errs[0].Field, errs[1].Field}, "both days at fault are named")
	require.Error(t, cooperation.CycleName("name", "Mid Term"))
	require.NoError(t, cooperation.CycleName("name", "mid-term_2"))
}
