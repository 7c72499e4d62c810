package operations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// Each change to the directory is checked as the programme file is, and a
// refusal names its field and changes nothing.
func TestDirectoryRefusals(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO country VALUES ('UY', 'Uruguay')`)
	require.NoError(t, err)
	carla := cooperation.PersonFields{Email: "carla@uy.example.org", Name: "Carla", Language: "es", TimeZone: "America/Montevideo"}
	cases := []struct {
		name string
		do   func() error
		want map[string]string
	}{
		{"a country code in lower case", func() error { return ops.AddCountry(ctx, "pe", "Peru", "sec@example.org") },
			map[string]string{"code": cooperation.ErrCountryCode}},
		{"a country twice", func() error { return ops.AddCountry(ctx, "UY", "Uruguay", "sec@example.org") },
			map[string]string{"code": cooperation.ErrExists}},
		{"a country with open tasks deactivated", func() error { return ops.SetCountryActive(ctx, "CL", false, "sec@example.org") },
			map[string]string{"country": cooperation.ErrOpenTasks}},
		{"a focal point with a bad language and zone", func() error {
			return ops.AddFocalPoint(ctx, "2017-2018", "UY", cooperation.PersonFields{Email: "x@uy.example.org", Name: "X", Language: "es-UY", TimeZone: "Uruguay"}, "sec@example.org")
		}, map[string]string{"language": cooperation.ErrLanguage, "time_zone": cooperation.ErrTimeZone}},
		{"another country's focal point", func() error {
			p := carla
			p.Email = "fp.mx@example.org"
			return ops.AddFocalPoint(ctx, "2017-2018", "UY", p, "sec@example.org")
		}, map[string]string{"email": cooperation.ErrOtherRole}},
		{"the last focal point of a country with open tasks removed", func() error {
			return ops.RemoveFocalPoint(ctx, "2017-2018", "CL", "fp.cl@example.org", "sec@example.org")
		}, map[string]string{"email": cooperation.ErrOpenTasks}},
		{"a second chair", func() error {
			return ops.AddSeat(ctx, operations.SeatRequest{Biennium: "2017-2018", Country: "UY", Role: "chair", Principal: carla, By: "sec@example.org"})
		}, map[string]string{"role": cooperation.ErrOneChair}},
		{"a seat without a principal", func() error {
			return ops.AddSeat(ctx, operations.SeatRequest{Biennium: "2017-2018", Country: "UY", Role: "member", By: "sec@example.org"})
		}, map[string]string{"email": cooperation.ErrRequired, "name": cooperation.ErrRequired, "language": cooperation.ErrRequired, "time_zone": cooperation.ErrRequired}},
		{"a term that ends before it starts", func() error {
			return ops.AddSeat(ctx, operations.SeatRequest{Biennium: "2017-2018", Country: "UY", Role: "member", Principal: carla,
				TermStart: "2018-01-01", TermEnd: "2017-12-31", By: "sec@example.org"})
		}, map[string]string{"term_end": cooperation.ErrOrder}},
		{"a country's second seat", func() error {
			return ops.AddSeat(ctx, operations.SeatRequest{Biennium: "2017-2018", Country: "CL", Role: "member", Principal: carla, By: "sec@example.org"})
		}, map[string]string{"country": cooperation.ErrExists}},
		{"a seat left without its principal", func() error {
			return ops.RemoveDelegate(ctx, "2017-2018", "CL", "chair.cl@example.org", "sec@example.org")
		}, map[string]string{"email": cooperation.ErrNoPrincipal}},
		{"a seat with open votes removed", func() error { return ops.RemoveSeat(ctx, "2017-2018", "CL", "sec@example.org") },
			map[string]string{"country": cooperation.ErrOpenTasks}},
		{"a delegation that ends before it starts", func() error {
			_, err := ops.Delegate(ctx, operations.DelegationRequest{Person: "fp.cl@example.org", Delegate: carla,
				From: "2026-03-10", Until: "2026-03-09", By: "sec@example.org"})
			return err
		}, map[string]string{"until": cooperation.ErrOrder}},
		{"a delegate who speaks for another country", func() error {
			p := carla
			p.Email = "fp.mx@example.org"
			_, err := ops.Delegate(ctx, operations.DelegationRequest{Person: "fp.cl@example.org", Delegate: p,
				From: "2026-03-05", Until: "2026-03-20", By: "sec@example.org"})
			return err
		}, map[string]string{"email": cooperation.ErrOtherRole}},
		{"a delegation of someone with no role", func() error {
			_, err := ops.Delegate(ctx, operations.DelegationRequest{Person: "sec@example.org", Delegate: carla,
				From: "2026-03-05", Until: "2026-03-20", By: "sec@example.org"})
			return err
		}, map[string]string{"person": cooperation.ErrUnknown}},
	}
	rows := func() []int {
		var n []int
		for _, table := range []string{"country", "focal_point", "committee_seat", "seat_delegate", "person", "delegation", "audit_log", "email"} {
			n = append(n, count(t, pool, table))
		}
		return n
	}
	before := rows()
	for _, c := range cases {
		require.Equal(t, c.want, fields(t, c.do()), c.name)
	}
	require.Equal(t, before, rows(), "nothing changed")
	require.Equal(t, 1, count(t, pool, "country WHERE active"+" AND code = 'CL'"))
}

// Added people are handed the open items of their role; a delegation
// hands the person's items to the delegate and an overlapping one is refused.
func TestDirectoryChanges(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	second := cooperation.PersonFields{Email: "dos@cl.example.org", Name: "Segundo", Language: "en", TimeZone: "America/Santiago"}
	require.NoError(t, ops.AddFocalPoint(ctx, "2017-2018", "CL", second, "sec@example.org"))
	require.Equal(t, 1, count(t, pool, `email WHERE kind = 'handover' AND recipient = 'dos@cl.example.org' AND body_text LIKE '%/tasks/~link-%'`))
	require.NoError(t, ops.RemoveFocalPoint(ctx, "2017-2018", "CL", "fp.cl@example.org", "sec@example.org"), "no longer the last one")
	require.NoError(t, ops.UpdatePerson(ctx, cooperation.PersonFields{Email: "dos@cl.example.org", Name: "Segundo Pérez", Language: "fr", TimeZone: "America/Santiago"}, "sec@example.org"))
	require.Equal(t, 1, count(t, pool, `person WHERE email = 'dos@cl.example.org' AND language = 'fr' AND name = 'Segundo Pérez'`))

	alt := cooperation.PersonFields{Email: "alt2.cl@example.org", Name: "Second alternate", Language: "es", TimeZone: "America/Santiago"}
	require.NoError(t, ops.AddAlternate(ctx, "2017-2018", "CL", alt, "sec@example.org"))
	require.Equal(t, 1, count(t, pool, `email WHERE kind = 'handover' AND recipient = 'alt2.cl@example.org' AND body_text LIKE '%/vote/~link-%'`))
	require.NoError(t, ops.RemoveDelegate(ctx, "2017-2018", "CL", "alt2.cl@example.org", "sec@example.org"))

	d, err := ops.Delegate(ctx, operations.DelegationRequest{Person: "chair.cl@example.org", Delegate: cooperation.PersonFields{
		Email: "deputy@cl.example.org", Name: "Deputy", Language: "en", TimeZone: "America/Santiago"},
		From: "2026-03-05", Until: "2026-03-31", Reason: "Mission abroad", By: "sec@example.org"})
	require.NoError(t, err)
	require.Equal(t, "deputy@cl.example.org", d.Delegate)
	var subject string
	require.NoError(t, pool.QueryRow(ctx, `SELECT subject FROM email WHERE kind = 'handover' AND recipient = 'deputy@cl.example.org'`).Scan(&subject))
	require.Contains(t, subject, "You act for Chair Chile until 31 March 2026")
	_, _, err = ops.Store.RoundVoter(ctx, "2017-2018", "A2", 1, "deputy@cl.example.org", "", now)
	require.NoError(t, err, "the delegate may cast the seat's vote while the delegation runs")
	_, err = ops.Delegate(ctx, operations.DelegationRequest{Person: "chair.cl@example.org", Delegate: alt,
		From: "2026-03-20", Until: "2026-04-10", By: "sec@example.org"})
	require.Equal(t, map[string]string{"from": cooperation.ErrOverlap}, fields(t, err))
	require.NoError(t, ops.EndDelegation(ctx, d.ID, "sec@example.org"))
	_, _, err = ops.Store.RoundVoter(ctx, "2017-2018", "A2", 1, "deputy@cl.example.org", "", now)
	require.Error(t, err, "ended: the delegate casts nothing")

	require.NoError(t, ops.AddCountry(ctx, "UY", "Uruguay", "sec@example.org"))
	require.NoError(t, ops.SetCountryActive(ctx, "UY", false, "sec@example.org"))
	err = ops.AddFocalPoint(ctx, "2017-2018", "UY", cooperation.PersonFields{Email: "x@uy.example.org", Name: "X", Language: "es", TimeZone: "America/Montevideo"}, "sec@example.org")
	require.Equal(t, map[string]string{"country": cooperation.ErrNotActive}, fields(t, err))
	require.Equal(t, 1, count(t, pool, `audit_log WHERE action = 'country_deactivated' AND subject = 'country/UY' AND actor = 'sec@example.org'`))
}

// A delegation's days are the person's own: for the Chair in Auckland
// (UTC+13 in March), a delegation for 6 March runs from 11:00 UTC on the
// 5th to 11:00 UTC on the 6th, not over the UTC day.
func TestDelegationDaysAreThePersonsOwn(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `UPDATE person SET time_zone = 'Pacific/Auckland' WHERE email = 'chair.cl@example.org'`)
	require.NoError(t, err)
	_, err = ops.Delegate(ctx, operations.DelegationRequest{Person: "chair.cl@example.org", Delegate: cooperation.PersonFields{
		Email: "deputy@cl.example.org", Name: "Deputy", Language: "en", TimeZone: "America/Santiago"},
		From: "2026-03-06", Until: "2026-03-06", By: "sec@example.org"})
	require.NoError(t, err)
	for _, c := range []struct {
		at     time.Time
		covers bool
	}{
		{time.Date(2026, 3, 5, 10, 59, 0, 0, time.UTC), false}, // 23:59 on the 5th in Auckland
		{now, true}, // 01:00 on the 6th in Auckland, still the 5th in UTC
		{time.Date(2026, 3, 6, 10, 59, 0, 0, time.UTC), true},
		{time.Date(2026, 3, 6, 11, 0, 0, 0, time.UTC), false}, // the 7th in Auckland
	} {
		_, _, err := ops.Store.RoundVoter(ctx, "2017-2018", "A2", 1, "deputy@cl.example.org", "", c.at)
		if c.covers {
			require.NoError(t, err, "the delegate votes at %s", c.at)
		} else {
			require.Error(t, err, "the delegate casts nothing at %s", c.at)
		}
	}

	// "Already past" is judged on the person's calendar too: at 12:00 UTC
	// on the 5th it is the 6th in Auckland, so a delegation ending on the
	// 5th is refused.
	_, err = ops.Delegate(ctx, operations.DelegationRequest{Person: "chair.cl@example.org", Delegate: cooperation.PersonFields{
		Email: "other@cl.example.org", Name: "Other", Language: "en", TimeZone: "America/Santiago"},
		From: "2026-03-01", Until: "2026-03-05", By: "sec@example.org"})
	require.Equal(t, map[string]string{"until": cooperation.ErrRange}, fields(t, err))
}
