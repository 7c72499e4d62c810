package operations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// The days typed for a cycle, a proposal's period, a delegation and a
// replacement are the rows' days, whatever the server's clock zone, and the
// handovers name them in their reader's language, never the day after.
func TestTypedDaysAreStoredAndToldAsTyped(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	day := func(q string, args ...any) string {
		t.Helper()
		var s string
		require.NoError(t, pool.QueryRow(ctx, q, args...).Scan(&s))
		return s
	}

	// A cycle: the days given.
	_, err := ops.OpenCycle(ctx, operations.CycleRequest{Biennium: "2017-2018", Name: "final", Due: "2026-12-20", Closes: "2027-01-20"})
	require.NoError(t, err)
	require.Equal(t, "2026-12-20 2027-01-20", day(`SELECT due_on::text || ' ' || closes_on::text FROM reporting_cycle WHERE name = 'final'`))

	// A proposal's period.
	req := proposal()
	req.StartsOn, req.EndsOn = "2017-12-20", "2018-12-20"
	p, err := ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "2017-12-20 2018-12-20", day(`SELECT starts_on::text || ' ' || ends_on::text FROM activity WHERE code = $1`, p.Code))

	// A delegation, from the 20th of March to the 10th of April: stored so,
	// the delegate acts on the last day to its end (UTC) and not after, and
	// the delegate (writing Spanish) is told those days.
	_, err = ops.Delegate(ctx, operations.DelegationRequest{Person: "fp.mx@example.org", From: "2026-03-20", Until: "2026-04-10",
		Delegate: cooperation.PersonFields{Email: "eva@mx.example.org", Name: "Eva", Language: "es", TimeZone: "America/Mexico_City"},
		Reason:   "leave", By: "sec@example.org"})
	require.NoError(t, err)
	require.Equal(t, "2026-03-20 2026-04-10", day(`SELECT starts_on::text || ' ' || ends_on::text FROM delegation`))
	voters := func(at time.Time) []string {
		t.Helper()
		seats, err := ops.Store.CommitteeSeats(ctx, "2017-2018", at)
		require.NoError(t, err)
		var out []string
		for _, st := range seats {
			for _, v := range st.Voters {
				if st.Country == "MX" {
					out = append(out, v.Email)
				}
			}
		}
		return out
	}
	require.Contains(t, voters(time.Date(2026, 4, 10, 23, 59, 0, 0, time.UTC)), "eva@mx.example.org", "the last day is a day of the delegation")
	require.NotContains(t, voters(time.Date(2026, 4, 11, 0, 1, 0, 0, time.UTC)), "eva@mx.example.org", "the day after is not")
	require.NotContains(t, voters(time.Date(2026, 3, 19, 23, 59, 0, 0, time.UTC)), "eva@mx.example.org", "nor the day before the first")
	text := day(`SELECT subject || E'\n' || body_text || E'\n' || body_html FROM email WHERE kind = 'handover' AND recipient = 'eva@mx.example.org'`)
	require.Contains(t, text, "hasta el 10 de abril de 2026")
	require.Contains(t, text, "del 20 de marzo de 2026 al 10 de abril de 2026")
	require.NotContains(t, text, "11 de abril")

	// A replacement effective on the 1st of March: the new focal point holds
	// the role from that day, and is told so in Portuguese.
	_, err = ops.Replace(ctx, operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL", Role: cooperation.RoleFocalPoint,
		To: bea, Effective: "2026-03-01", Reference: "Note 12", By: "sec@example.org"})
	require.NoError(t, err)
	require.Equal(t, "2026-03-01", day(`SELECT since::text FROM focal_point WHERE email = 'bea@cl.example.org'`))
	text = day(`SELECT body_text || E'\n' || body_html FROM email WHERE kind = 'handover' AND recipient = 'bea@cl.example.org'`)
	require.Contains(t, text, "1 de março de 2026")
	require.NotContains(t, text, "2 de março de 2026")
	require.NotContains(t, text, "28 de fevereiro")
}
