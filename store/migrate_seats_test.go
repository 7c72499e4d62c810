package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

var storetestDay = time.Date(2018, 1, 5, 0, 0, 0, 0, time.UTC)

// A database of the release before seats, with a round open: Chile had two
// members (its Chair and another), both voted, Mexico's member once. After
// migration 0160 the committee is seats with principals and alternates,
// the round's roster is seats, each seat has one vote (Chile's the later),
// every person has an ID, and committee_member still reads and takes rows.
func TestMigrationToSeats(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	migrateUpTo(t, pool, "0160")
	_, err := pool.Exec(ctx, `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'P');
		INSERT INTO goal VALUES ('2017-2018', 1, 'G');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'L');
		INSERT INTO country VALUES ('CL', 'Chile'), ('MX', 'Mexico'), ('EC', 'Ecuador');
		INSERT INTO person (email, name, language, country) VALUES ('chair@cl.gob', 'Chair', 'es', 'CL'),
			('otro@cl.gob', 'Otro', 'es', 'CL'), ('mx@mx.gob', 'Mexico', 'es', 'MX');
		INSERT INTO committee_member (biennium, email, country, role) VALUES ('2017-2018', 'chair@cl.gob', 'CL', 'chair'),
			('2017-2018', 'otro@cl.gob', 'CL', 'member'), ('2017-2018', 'mx@mx.gob', 'MX', 'member');
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status, round)
			VALUES ('2017-2018', 'A1', 1, 1, 'EC', 'T', 'under_review', 1);
		INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at)
			VALUES ('2017-2018', 'A1', 1, 1, '2018-01-01', '2018-01-15');
		INSERT INTO round_member (biennium, code, round, email, role, recused) VALUES
			('2017-2018', 'A1', 1, 'chair@cl.gob', 'chair', false), ('2017-2018', 'A1', 1, 'otro@cl.gob', 'member', false),
			('2017-2018', 'A1', 1, 'mx@mx.gob', 'member', false);
		INSERT INTO vote (biennium, code, round, member, vote_id, decision, cast_at) VALUES
			('2017-2018', 'A1', 1, 'chair@cl.gob', 'v1', 'approve', '2018-01-02'),
			('2017-2018', 'A1', 1, 'otro@cl.gob', 'v2', 'reject', '2018-01-03'),
			('2017-2018', 'A1', 1, 'mx@mx.gob', 'v3', 'approve', '2018-01-02');
		INSERT INTO link (purpose, subject, recipient, expires_at, revoked_at) VALUES ('vote', 'activity/2017-2018/A1', 'mx@mx.gob', '2018-02-01', '2018-01-10')`)
	require.NoError(t, err)
	_, err = s.Migrate(ctx)
	require.NoError(t, err)

	seats, err := s.CommitteeSeats(ctx, "2017-2018", storetestDay)
	require.NoError(t, err)
	require.Len(t, seats, 2)
	require.Equal(t, "CL", seats[0].Country)
	require.Equal(t, "chair", seats[0].Role, "the Chair's seat")
	require.Equal(t, []string{"principal", "alternate"}, []string{seats[0].Voters[0].Kind, seats[0].Voters[1].Kind})
	require.Equal(t, "chair@cl.gob", seats[0].Voters[0].Email)
	r, err := s.LoadRound(ctx, "2017-2018", "A1", 1)
	require.NoError(t, err)
	require.Len(t, r.Seats, 2)
	votes, err := s.ListVotes(ctx, "2017-2018", "A1")
	require.NoError(t, err)
	require.Len(t, votes, 2, "one vote per seat")
	for _, v := range votes {
		if v.Seat == "CL" {
			require.Equal(t, "otro@cl.gob", v.Member, "the later of the seat's two votes counts")
			require.Equal(t, "reject", v.Decision)
		}
	}
	var ids, bad int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(DISTINCT id), count(*) FILTER (WHERE id !~ '^p-[0-9a-f]{20}$') FROM person`).Scan(&ids, &bad))
	require.Equal(t, 3, ids)
	require.Zero(t, bad)
	var members int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM committee_member`).Scan(&members))
	require.Equal(t, 2, members, "the view lists each seat's principal")
	_, err = pool.Exec(ctx, `INSERT INTO person (email, name, language, country) VALUES ('ec@ec.gob', 'EC', 'es', 'EC');
		INSERT INTO committee_member (biennium, email, country, role) VALUES ('2017-2018', 'ec@ec.gob', 'EC', 'member')`)
	require.NoError(t, err, "the view takes a row as a seat with its principal")
	var cause *string
	require.NoError(t, pool.QueryRow(ctx, `SELECT revoked_cause FROM link`).Scan(&cause))
	require.Nil(t, cause, "a link revoked before the migration keeps no cause")
	_, _, err = s.RoundVoter(ctx, "2017-2018", "A1", 1, "otro@cl.gob", "CL", storetestDay)
	require.NoError(t, err, "the former second member of Chile casts the seat's vote as its alternate")
	require.ErrorIs(t, func() error {
		_, _, err := s.RoundVoter(ctx, "2017-2018", "A1", 1, "nobody@x.org", "", storetestDay)
		return err
	}(), store.ErrNotFound)
}
