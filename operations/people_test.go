package operations_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// committeeSQL gives the small programme a committee: Chile's seat (the
// Chair) held by chair.cl with alt.cl as alternate, Mexico's by the focal
// point of Mexico; and a proposal A2 under review whose round 1 is open,
// in which Chile's seat has voted.
const committeeSQL = `
INSERT INTO person (email, name, language, time_zone, country) VALUES
	('chair.cl@example.org', 'Chair Chile', 'es', 'America/Santiago', 'CL'),
	('alt.cl@example.org', 'Alternate Chile', 'es', 'America/Santiago', 'CL'),
	('sec@example.org', 'Secretariat', 'en', 'UTC', NULL);
INSERT INTO secretariat_user (email) VALUES ('sec@example.org');
INSERT INTO committee_seat (biennium, country, role) VALUES ('2017-2018', 'CL', 'chair'), ('2017-2018', 'MX', 'member');
INSERT INTO seat_delegate (biennium, country, email, kind) VALUES ('2017-2018', 'CL', 'chair.cl@example.org', 'principal'),
	('2017-2018', 'CL', 'alt.cl@example.org', 'alternate'), ('2017-2018', 'MX', 'fp.mx@example.org', 'principal');
INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status, round) VALUES
	('2017-2018', 'A2', 1, 1, 'MX', 'Open data', 'under_review', 1);
INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at) VALUES
	('2017-2018', 'A2', 1, 1, '2026-03-01T12:00:00Z', '2026-03-15T12:00:00Z');
INSERT INTO round_seat (biennium, code, round, country, role, recused) VALUES
	('2017-2018', 'A2', 1, 'CL', 'chair', false), ('2017-2018', 'A2', 1, 'MX', 'member', true);
INSERT INTO vote (biennium, code, round, seat, member, vote_id, decision, cast_at) VALUES
	('2017-2018', 'A2', 1, 'CL', 'chair.cl@example.org', 'v-old', 'approve', '2026-03-02T12:00:00Z');
`

func withCommittee(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), committeeSQL)
	require.NoError(t, err)
}

var bea = cooperation.PersonFields{Email: "bea@cl.example.org", Name: "Beatriz Rojas", Language: "pt", TimeZone: "America/Santiago"}

func TestReplaceFocalPoint(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	const subject = "task/2017-2018/mid/A1/CL"
	oldLink, err := ops.Store.CreateLink(ctx, store.PurposeReport, subject, "fp.cl@example.org", now.AddDate(0, 1, 0))
	require.NoError(t, err)

	out, err := ops.Replace(ctx, operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL", Role: cooperation.RoleFocalPoint,
		To: bea, Effective: "2026-03-01", Reference: "Note verbale 12/2026", By: "sec@example.org"})
	require.NoError(t, err)
	require.Equal(t, "fp.cl@example.org", out.From.Email)
	require.Equal(t, "bea@cl.example.org", out.To.Email)
	require.Len(t, out.Items, 1)
	require.Equal(t, subject, out.Items[0].Subject)
	require.EqualValues(t, 1, out.LinksRevoked)

	_, err = ops.Store.LookupLink(ctx, oldLink, now)
	require.ErrorIs(t, err, store.ErrLinkInvalid, "the old focal point's link stops working")
	l, err := ops.Store.FindLink(ctx, oldLink)
	require.NoError(t, err)
	require.Equal(t, store.RevokedReplaced, l.RevokedCause)
	fps, err := ops.Store.FocalPoints(ctx, "2017-2018", "CL")
	require.NoError(t, err)
	require.Equal(t, []store.Recipient{{Email: "bea@cl.example.org", Name: "Beatriz Rojas", Language: "pt", TimeZone: "America/Santiago"}}, fps)
	require.Equal(t, 1, count(t, pool, "link WHERE subject = $1 AND recipient = 'bea@cl.example.org' AND revoked_at IS NULL", subject))
	var subj, text string
	require.NoError(t, pool.QueryRow(ctx, `SELECT subject, body_text FROM email WHERE kind = 'handover' AND recipient = 'bea@cl.example.org'`).Scan(&subj, &text))
	require.Contains(t, subj, "ponto focal de Chile", "in the new focal point's language")
	require.Contains(t, text, "https://portal.example.org/tasks/~link-", "a link to the task, its token minted when sent")
	require.Equal(t, 1, count(t, pool, `audit_log WHERE action = 'focal_point_replaced' AND subject = 'country/CL'
		AND actor = 'sec@example.org' AND detail->>'reference' = 'Note verbale 12/2026' AND detail->>'effective' = '2026-03-01'`))
	require.Equal(t, 1, count(t, pool, `audit_log WHERE action = 'readdressed' AND subject = $1 AND detail->>'reference' = 'Note verbale 12/2026'`, subject))
}

// A focal point's links to revise a proposal their country leads, and to
// report one of its activities completed, are handed over with the tasks:
// the new focal point gets working links, the old ones stop, and links to
// activities past that stage stay as they were.
func TestReplaceFocalPointHandsOverRevisionAndCompletion(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status, round) VALUES
		('2017-2018', 'R1', 1, 1, 'CL', 'Revise me', 'changes_requested', 1),
		('2017-2018', 'C1', 1, 1, 'CL', 'Finish me', 'in_execution', 0),
		('2017-2018', 'D1', 1, 1, 'CL', 'Done already', 'completed', 0)`)
	require.NoError(t, err)
	revise, err := ops.Store.CreateLink(ctx, store.PurposeRevise, "activity/2017-2018/R1", "fp.cl@example.org", now.AddDate(0, 2, 0))
	require.NoError(t, err)
	complete, err := ops.Store.CreateLink(ctx, store.PurposeComplete, "activity/2017-2018/C1", "fp.cl@example.org", now.AddDate(0, 3, 0))
	require.NoError(t, err)
	done, err := ops.Store.CreateLink(ctx, store.PurposeComplete, "activity/2017-2018/D1", "fp.cl@example.org", now.AddDate(0, 3, 0))
	require.NoError(t, err)

	out, err := ops.Replace(ctx, operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL", Role: cooperation.RoleFocalPoint,
		To: bea, Effective: "2026-03-01", By: "sec@example.org"})
	require.NoError(t, err)
	var handed []string
	for _, it := range out.Items {
		handed = append(handed, it.Purpose+" "+it.Subject)
	}
	require.ElementsMatch(t, []string{"report task/2017-2018/mid/A1/CL", "complete activity/2017-2018/C1", "revise activity/2017-2018/R1"}, handed)
	for _, old := range []string{revise, complete} {
		l, err := ops.Store.FindLink(ctx, old)
		require.NoError(t, err)
		require.Equal(t, store.RevokedReplaced, l.RevokedCause, "the old focal point's %s link stops", l.Purpose)
	}
	l, err := ops.Store.FindLink(ctx, done)
	require.NoError(t, err)
	require.Empty(t, l.RevokedCause, "a completed activity's link is not handed over")
	require.Equal(t, 1, count(t, pool, `link WHERE purpose = 'revise' AND subject = 'activity/2017-2018/R1'
		AND recipient = 'bea@cl.example.org' AND revoked_at IS NULL AND expires_at = $1`, now.AddDate(0, 2, 0)),
		"the new link runs as long as the old one")
	require.Equal(t, 1, count(t, pool, `link WHERE purpose = 'complete' AND subject = 'activity/2017-2018/C1'
		AND recipient = 'bea@cl.example.org' AND revoked_at IS NULL`))
	var text, html string
	require.NoError(t, pool.QueryRow(ctx, `SELECT body_text, body_html FROM email WHERE kind = 'handover' AND recipient = 'bea@cl.example.org'`).Scan(&text, &html))
	require.Contains(t, text, "Proposta a revisar: Revise me (R1)")
	require.Contains(t, text, "https://portal.example.org/revise/~link-")
	require.Contains(t, text, "Conclusão da atividade: Finish me (C1)")
	require.Contains(t, text, "https://portal.example.org/l/~link-")
	require.Contains(t, html, "Revisar a proposta</a>")
	require.Contains(t, html, "Informar a conclusão</a>")
}

// The new principal of Chile's seat gets the seat's open vote; the vote
// the old principal cast stays the seat's.
func TestReplaceDelegateKeepsTheSeatsVote(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	oldLink, err := ops.Store.CreateLink(ctx, store.PurposeVote, "activity/2017-2018/A2", "chair.cl@example.org", now.AddDate(0, 0, 10))
	require.NoError(t, err)
	altLink, err := ops.Store.CreateLink(ctx, store.PurposeVote, "activity/2017-2018/A2", "alt.cl@example.org", now.AddDate(0, 0, 10))
	require.NoError(t, err)

	out, err := ops.Replace(ctx, operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL", Role: cooperation.RolePrincipal,
		To:        cooperation.PersonFields{Email: "Nuevo.Chair@CL.example.org ", Name: "Nuevo Chair", Language: "es", TimeZone: "America/Santiago"},
		Reference: "Note 3", By: "sec@example.org"})
	require.NoError(t, err)
	require.Equal(t, "nuevo.chair@cl.example.org", out.To.Email, "addresses are kept in lower case")
	require.Len(t, out.Items, 1)
	require.Equal(t, "activity/2017-2018/A2", out.Items[0].Subject)

	_, err = ops.Store.LookupLink(ctx, oldLink, now)
	require.ErrorIs(t, err, store.ErrLinkInvalid)
	_, err = ops.Store.LookupLink(ctx, altLink, now)
	require.NoError(t, err, "the alternate keeps their link")
	votes, err := ops.Store.ListVotes(ctx, "2017-2018", "A2")
	require.NoError(t, err)
	require.Len(t, votes, 1)
	require.Equal(t, "chair.cl@example.org", votes[0].Member, "the old principal's vote stays the seat's, with who cast it")
	seat, who, err := ops.Store.RoundVoter(ctx, "2017-2018", "A2", 1, "nuevo.chair@cl.example.org", "", now)
	require.NoError(t, err)
	require.Equal(t, "CL", seat.Country)
	require.Equal(t, cooperation.RolePrincipal, who.Kind)
	_, _, err = ops.Store.RoundVoter(ctx, "2017-2018", "A2", 1, "chair.cl@example.org", "", now)
	require.ErrorIs(t, err, store.ErrNotFound, "the old principal casts no vote any more")
	require.Equal(t, 1, count(t, pool, `email WHERE kind = 'handover' AND recipient = 'nuevo.chair@cl.example.org'`))
}

// Every bad replacement is refused naming its field, and changes nothing.
func TestReplaceRefusals(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO country VALUES ('UY', 'Uruguay'); INSERT INTO country (code, name, active) VALUES ('PE', 'Peru', false);
		INSERT INTO person (email, name, language, country) VALUES ('fp2.mx@example.org', 'Second Mexico', 'es', 'MX');
		INSERT INTO focal_point VALUES ('2017-2018', 'MX', 'fp2.mx@example.org')`)
	require.NoError(t, err)
	fp := func(mod func(*operations.ReplaceRequest)) operations.ReplaceRequest {
		r := operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL", Role: cooperation.RoleFocalPoint, To: bea, By: "sec@example.org"}
		mod(&r)
		return r
	}
	cases := []struct {
		name string
		req  operations.ReplaceRequest
		want map[string]string
	}{
		{"the same address", fp(func(r *operations.ReplaceRequest) { r.To.Email = "fp.cl@example.org" }),
			map[string]string{"email": cooperation.ErrSamePerson}},
		{"another country's focal point", fp(func(r *operations.ReplaceRequest) { r.To.Email = "fp.mx@example.org" }),
			map[string]string{"email": cooperation.ErrOtherRole}},
		{"a secretariat user", fp(func(r *operations.ReplaceRequest) { r.To.Email = "sec@example.org" }),
			map[string]string{"email": cooperation.ErrOtherRole}},
		{"before the biennium", fp(func(r *operations.ReplaceRequest) { r.Effective = "2016-12-31" }),
			map[string]string{"effective": cooperation.ErrBeforeStart}},
		{"more than a year ahead", fp(func(r *operations.ReplaceRequest) { r.Effective = "2027-03-06" }),
			map[string]string{"effective": cooperation.ErrFarAhead}},
		{"bad person", fp(func(r *operations.ReplaceRequest) {
			r.To = cooperation.PersonFields{Email: "not an address", Name: "", Language: "de", TimeZone: "Mars/Olympus"}
		}), map[string]string{"email": cooperation.ErrEmail, "name": cooperation.ErrRequired, "language": cooperation.ErrLanguage,
			"time_zone": cooperation.ErrTimeZone}},
		{"unknown country", fp(func(r *operations.ReplaceRequest) { r.Country = "ZZ" }), map[string]string{"country": cooperation.ErrUnknown}},
		{"a country with no focal point", fp(func(r *operations.ReplaceRequest) { r.Country = "UY" }), map[string]string{"country": cooperation.ErrUnknown}},
		{"a deactivated country", fp(func(r *operations.ReplaceRequest) { r.Country = "PE" }), map[string]string{"country": cooperation.ErrNotActive}},
		{"one of two focal points, unnamed", fp(func(r *operations.ReplaceRequest) { r.Country = "MX"; r.To.Email = "new@mx.example.org" }),
			map[string]string{"from": cooperation.ErrRequired}},
		{"from someone who is not one", fp(func(r *operations.ReplaceRequest) { r.From = "chair.cl@example.org" }),
			map[string]string{"from": cooperation.ErrUnknown}},
		{"a seat's alternate as alternate again", fp(func(r *operations.ReplaceRequest) {
			r.Role, r.To.Email = cooperation.RoleAlternate, "chair.cl@example.org"
		}), map[string]string{"email": cooperation.ErrSamePerson}},
		{"a delegate of another seat", fp(func(r *operations.ReplaceRequest) {
			r.Role, r.To.Email = cooperation.RolePrincipal, "fp.mx@example.org"
		}),
			map[string]string{"email": cooperation.ErrOtherRole}},
		{"no seat", fp(func(r *operations.ReplaceRequest) { r.Role, r.Country = cooperation.RolePrincipal, "UY" }),
			map[string]string{"country": cooperation.ErrUnknown}},
		{"no reference control characters", fp(func(r *operations.ReplaceRequest) { r.Reference = "note\x00" }),
			map[string]string{"reference": cooperation.ErrControl}},
	}
	before := []int{count(t, pool, "focal_point"), count(t, pool, "seat_delegate"), count(t, pool, "person"),
		count(t, pool, "link"), count(t, pool, "email"), count(t, pool, "audit_log")}
	for _, c := range cases {
		_, err := ops.Replace(ctx, c.req)
		require.Equal(t, c.want, fields(t, err), c.name)
	}
	after := []int{count(t, pool, "focal_point"), count(t, pool, "seat_delegate"), count(t, pool, "person"),
		count(t, pool, "link"), count(t, pool, "email"), count(t, pool, "audit_log")}
	require.Equal(t, before, after, "nothing changed")
}

// A replacement announced ahead waits for its day, checked as if made at
// once; it is made when the day begins where the new person is, and can
// be cancelled before then. One the rules refuse on its day is marked
// failed with the reason, and audited.
func TestReplaceScheduledForItsDay(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	ctx := context.Background()
	clock := now
	ops.Now = func() time.Time { return clock }
	const subject = "task/2017-2018/mid/A1/CL"
	oldLink, err := ops.Store.CreateLink(ctx, store.PurposeReport, subject, "fp.cl@example.org", now.AddDate(0, 1, 0))
	require.NoError(t, err)
	fp := operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL", Role: cooperation.RoleFocalPoint,
		To: bea, Effective: "2026-03-10", Reference: "Note verbale 13/2026", By: "sec@example.org"}

	out, err := ops.Replace(ctx, fp)
	require.NoError(t, err)
	require.NotNil(t, out.Scheduled)
	require.Equal(t, "fp.cl@example.org", out.Scheduled.From)
	require.Empty(t, out.Items, "nothing is handed over before the day")
	_, err = ops.Store.LookupLink(ctx, oldLink, clock)
	require.NoError(t, err, "the old focal point's link works until the day")
	require.Equal(t, 0, count(t, pool, "email WHERE kind = 'handover'"))
	require.Equal(t, 1, count(t, pool, "focal_point WHERE country = 'CL' AND email = 'fp.cl@example.org'"))
	require.Equal(t, 1, count(t, pool, `audit_log WHERE action = 'replacement_scheduled' AND subject = 'country/CL'
		AND actor = 'sec@example.org' AND detail->>'effective' = '2026-03-10' AND detail->>'reference' = 'Note verbale 13/2026'`))

	_, err = ops.Replace(ctx, fp)
	require.Equal(t, map[string]string{"effective": cooperation.ErrExists}, fields(t, err), "one change waits at a time")
	same := fp
	same.Country, same.Role, same.To.Email = "CL", cooperation.RolePrincipal, "chair.cl@example.org"
	_, err = ops.Replace(ctx, same)
	require.Equal(t, map[string]string{"email": cooperation.ErrSamePerson}, fields(t, err), "checked now as if made now")
	late := fp
	late.Effective = "2027-03-06"
	_, err = ops.Replace(ctx, late)
	require.Equal(t, map[string]string{"effective": cooperation.ErrFarAhead}, fields(t, err))

	// Mexico's seat: one change to cancel, one the rules refuse on its day.
	mx := operations.ReplaceRequest{Biennium: "2017-2018", Country: "MX", Role: cooperation.RolePrincipal,
		To:        cooperation.PersonFields{Email: "nuevo@mx.example.org", Name: "Nuevo", Language: "es", TimeZone: "America/Mexico_City"},
		Effective: "2026-03-09", By: "sec@example.org"}
	cancelled, err := ops.Replace(ctx, mx)
	require.NoError(t, err)
	_, err = ops.CancelReplacement(ctx, cancelled.Scheduled.ID, "sec@example.org")
	require.NoError(t, err)
	_, err = ops.CancelReplacement(ctx, cancelled.Scheduled.ID, "sec@example.org")
	var ref *operations.Refused
	require.ErrorAs(t, err, &ref)
	require.Equal(t, "not_scheduled", ref.Reason)
	mx.Effective = "2026-03-08"
	refused, err := ops.Replace(ctx, mx)
	require.NoError(t, err)
	require.NoError(t, ops.AddFocalPoint(ctx, "2017-2018", "CL", mx.To, "sec@example.org"),
		"meanwhile the new delegate becomes Chile's focal point")

	for _, c := range []struct {
		at      time.Time
		applied int
	}{
		{now, 0},
		{time.Date(2026, 3, 9, 5, 59, 0, 0, time.UTC), 0},  // 23:59 on the 8th in Mexico City: nothing due
		{time.Date(2026, 3, 9, 6, 0, 0, 0, time.UTC), 0},   // Mexico's change is due, and refused
		{time.Date(2026, 3, 10, 2, 59, 0, 0, time.UTC), 0}, // 23:59 on the 9th in Santiago
		{time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC), 1},  // the 10th begins in Santiago
		{time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC), 0},  // made once
	} {
		clock = c.at
		n, err := ops.ApplyDueReplacements(ctx)
		require.NoError(t, err)
		require.Equal(t, c.applied, n, "at %s", c.at)
	}
	require.Equal(t, 1, count(t, pool, `scheduled_replacement WHERE id = $1 AND status = 'failed' AND outcome LIKE 'email: %'`, refused.Scheduled.ID))
	require.Equal(t, 1, count(t, pool, `audit_log WHERE action = 'replacement_failed' AND subject = 'country/MX'`))
	require.Equal(t, 1, count(t, pool, "seat_delegate WHERE country = 'MX' AND kind = 'principal' AND email = 'fp.mx@example.org'"),
		"a refused change changes nothing")
	require.Equal(t, 1, count(t, pool, "scheduled_replacement WHERE status = 'cancelled'"))

	require.Equal(t, 1, count(t, pool, "focal_point WHERE country = 'CL' AND email = 'bea@cl.example.org'"))
	require.Equal(t, 0, count(t, pool, "focal_point WHERE country = 'CL' AND email = 'fp.cl@example.org'"))
	_, err = ops.Store.LookupLink(ctx, oldLink, clock)
	require.ErrorIs(t, err, store.ErrLinkInvalid, "the old link stops on the day")
	require.Equal(t, 1, count(t, pool, "email WHERE kind = 'handover' AND recipient = 'bea@cl.example.org'"))
	require.Equal(t, 1, count(t, pool, `audit_log WHERE action = 'focal_point_replaced' AND subject = 'country/CL'
		AND actor = 'sec@example.org' AND detail->>'effective' = '2026-03-10' AND detail->>'reference' = 'Note verbale 13/2026'`))
	list, err := ops.Store.ScheduledReplacements(ctx, "2017-2018")
	require.NoError(t, err)
	require.Empty(t, list)
}

// "Today" is the new person's: at 12:00 UTC on 5 March it is already the
// 6th in Kiritimati (UTC+14), so a replacement effective on the 6th for a
// person there is made at once, not scheduled.
func TestReplaceEffectiveTodayWhereTheNewPersonIs(t *testing.T) {
	t.Parallel()
	ops, pool, _ := service(t)
	withCommittee(t, pool)
	to := bea
	to.TimeZone = "Pacific/Kiritimati"
	out, err := ops.Replace(context.Background(), operations.ReplaceRequest{Biennium: "2017-2018", Country: "CL",
		Role: cooperation.RoleFocalPoint, To: to, Effective: "2026-03-06", By: "sec@example.org"})
	require.NoError(t, err)
	require.Nil(t, out.Scheduled, "made at once")
	require.Equal(t, 1, count(t, pool, "focal_point WHERE country = 'CL' AND email = 'bea@cl.example.org'"))
}
