package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The dashboard refuses a cycle due in the past, due more than five years
// ahead (9999-12-31 made every task workflow fail), or closing before its
// due date or more than a year after it; with no closing date given, the
// cycle closes 30 days after it is due, as from the command line.
func TestOpenCycleDatesBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	csrf := f.formToken("/", cookie)
	const outside = "This date is outside the period allowed here."
	cases := []struct{ due, closes, field, want string }{
		{"9999-12-31", "", "cycle_due", outside},
		{"2031-03-06", "", "cycle_due", outside},
		{"2026-03-04", "", "cycle_due", "This date has already passed."},
		{"2026-06-01", "2026-05-31", "cycle_closes", "This date is before the start date."},
		{"2026-06-01", "2027-06-02", "cycle_closes", outside},
		{"2026-06-01", "10000-01-31", "cycle_closes", "Please write a date as YYYY-MM-DD."},
	}
	for _, c := range cases {
		r := f.answered(f.post("/cycles?lang=en", url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"},
			"cycle_due": {c.due}, "cycle_closes": {c.closes}}, cookie), cookie)
		require.Contains(t, r.body, `<p class="error" id="`+c.field+`-error">`+c.want, "%s %s", c.due, c.closes)
	}
	require.Equal(t, 1, f.count("reporting_cycle"))
	require.Empty(t, f.temporal.starts())

	r := f.post("/cycles", url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"},
		"cycle_due": {"2026-03-05"}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, "due today is fine: %s", r.body)
	var closes time.Time
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT closes_on FROM reporting_cycle WHERE name = 'final'`).Scan(&closes))
	require.Equal(t, "2026-04-04", closes.Format(time.DateOnly))
	require.Len(t, f.temporal.starts(), 1)
}
