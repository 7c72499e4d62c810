package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestDiffLines(t *testing.T) {
	got := store.DiffLines("a\nb\nc", "a\nc\nd")
	require.Equal(t, []store.DiffLine{{" ", "a"}, {"-", "b"}, {" ", "c"}, {"+", "d"}}, got)
	require.Equal(t, []store.DiffLine{{"+", "x"}}, store.DiffLines("", "x"))
	require.Empty(t, store.DiffLines("", ""))
}

const reviewSeed = `
INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'P');
INSERT INTO goal VALUES ('2017-2018', 1, 'G');
INSERT INTO line_of_action VALUES ('2017-2018', 1, 'L');
INSERT INTO country VALUES ('EC', 'Ecuador'), ('CL', 'Chile');
INSERT INTO person (email, name, language, country) VALUES ('fp@ec.gob', 'FP', 'es', 'EC'), ('chair@cl.gob', 'Chair', 'en', 'CL');
INSERT INTO person (email, name, language, country) VALUES ('alt@cl.gob', 'Alternate', 'es', 'CL');
INSERT INTO committee_member (biennium, email, country, role) VALUES ('2017-2018', 'chair@cl.gob', 'CL', 'chair');
INSERT INTO seat_delegate (biennium, country, email, kind) VALUES ('2017-2018', 'CL', 'alt@cl.gob', 'alternate');
INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, description, expected_outputs, status)
	VALUES ('2017-2018', 'G1A1', 1, 1, 'EC', 'Old title', 'Line one.', '{"Report"}', 'changes_requested');
`

func TestReviseActivityAndDiff(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reviewSeed)
	require.NoError(t, err)

	_, err = s.ReviseActivity(ctx, "2017-2018", "G1A1", store.ProposalFields{Title: " "}, "fp@ec.gob")
	require.ErrorContains(t, err, "title")
	_, err = s.ReviseActivity(ctx, "2017-2018", "G1A1", store.ProposalFields{Title: "T", StartsOn: "2018-02-30"}, "fp@ec.gob")
	require.ErrorContains(t, err, "starts_on")
	var versions int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM activity_version").Scan(&versions))
	require.Zero(t, versions, "nothing changed on bad input")

	v, err := s.ReviseActivity(ctx, "2017-2018", "G1A1", store.ProposalFields{Title: "New title",
		Description: "Line one.\nLine two.", ExpectedOutputs: []string{"Report"}, StartsOn: "2017-03-01"}, "fp@ec.gob")
	require.NoError(t, err)
	require.Equal(t, 2, v)
	diffs, err := s.ActivityDiff(ctx, "2017-2018", "G1A1", 1, 2)
	require.NoError(t, err)
	require.Len(t, diffs, 3)
	require.Equal(t, "title", diffs[0].Field)
	require.Equal(t, []store.DiffLine{{"-", "Old title"}, {"+", "New title"}}, diffs[0].Lines)
	require.Equal(t, "description", diffs[1].Field)
	require.Equal(t, []store.DiffLine{{" ", "Line one."}, {"+", "Line two."}}, diffs[1].Lines)
	require.Equal(t, "starts_on", diffs[2].Field)
	a, err := s.ReviewActivity(ctx, "2017-2018", "G1A1")
	require.NoError(t, err)
	require.Equal(t, "New title", a.Title)
	require.Equal(t, 2, a.Version)

	_, err = pool.Exec(ctx, "UPDATE activity SET status = 'under_review'")
	require.NoError(t, err)
	_, err = s.ReviseActivity(ctx, "2017-2018", "G1A1", store.ProposalFields{Title: "Third"}, "fp@ec.gob")
	require.True(t, errors.Is(err, store.ErrWrongStatus))
	_, err = s.ActivityDiff(ctx, "2017-2018", "G1A1", 2, 3)
	require.True(t, errors.Is(err, store.ErrNotFound))
}

func TestRoundsAndVotes(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reviewSeed+`UPDATE activity SET status = 'proposed';`)
	require.NoError(t, err)
	at := time.Date(2017, 3, 1, 12, 0, 0, 0, time.UTC)
	r := store.Round{Biennium: "2017-2018", Code: "G1A1", Round: 1, Version: 1, OpenedAt: at, ClosesAt: at.AddDate(0, 0, 14),
		Seats: []store.RoundSeat{{Country: "CL", Role: "chair"}}}
	created, err := s.CreateRound(ctx, r)
	require.NoError(t, err)
	require.True(t, created)
	created, err = s.CreateRound(ctx, r)
	require.NoError(t, err)
	require.False(t, created, "a second create changes nothing")
	vote := store.Vote{Biennium: "2017-2018", Code: "G1A1", Round: 1, Seat: "CL", Member: "chair@cl.gob", VoteID: "a", Decision: "reject", CastAt: at}
	require.NoError(t, s.SaveVote(ctx, vote))
	// The seat's alternate changes the seat's vote: the last one counts, with who cast it.
	vote.VoteID, vote.Decision, vote.Member = "b", "approve", "alt@cl.gob"
	require.NoError(t, s.SaveVote(ctx, vote))
	votes, err := s.ListVotes(ctx, "2017-2018", "G1A1")
	require.NoError(t, err)
	require.Len(t, votes, 1)
	require.Equal(t, "approve", votes[0].Decision)
	require.Equal(t, "CL", votes[0].Seat)
	require.Equal(t, "Alternate", votes[0].MemberName)
	loaded, err := s.LoadRound(ctx, "2017-2018", "G1A1", 1)
	require.NoError(t, err)
	require.Len(t, loaded.Seats, 1)
	require.Equal(t, []string{"chair@cl.gob", "alt@cl.gob"}, []string{loaded.Seats[0].Voters[0].Email, loaded.Seats[0].Voters[1].Email},
		"the seat's principal, then its alternate")
	changed, err := s.SetAwaitingCasting(ctx, "2017-2018", "G1A1", 1)
	require.NoError(t, err)
	require.True(t, changed)
	decided, err := s.DecideRound(ctx, "2017-2018", "G1A1", 1, "approve", "chair", at)
	require.NoError(t, err)
	require.True(t, decided)
	decided, err = s.DecideRound(ctx, "2017-2018", "G1A1", 1, "reject", "majority", at)
	require.NoError(t, err)
	require.False(t, decided, "a round is decided once")
	rounds, err := s.ListRounds(ctx, "2017-2018", "G1A1")
	require.NoError(t, err)
	require.Len(t, rounds, 1)
	require.False(t, rounds[0].AwaitingCasting)
	b, err := json.Marshal(rounds[0])
	require.NoError(t, err)
	require.Contains(t, string(b), `"decided_by":"chair"`)
	require.Contains(t, string(b), `"closes_at":"2017-03-15T12:00:00Z"`)
	_, err = s.MoveActivity(ctx, "2017-2018", "G1A1", cooperation.ActivityCompleted)
	require.True(t, errors.Is(err, store.ErrWrongStatus))
}
