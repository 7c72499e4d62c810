package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

const reminderFixture = `
INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
INSERT INTO goal VALUES ('2017-2018', 1, 'Goal');
INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line');
INSERT INTO country VALUES ('AR', 'Argentina'), ('CL', 'Chile');
INSERT INTO person (email, name, language, time_zone, country) VALUES
	('ana@ar.example', 'Ana', 'es', 'America/Argentina/Buenos_Aires', 'AR'),
	('carlos@cl.example', 'Carlos', 'es', 'America/Santiago', 'CL'),
	('mia@cl.example', 'Mia', 'en', 'Not/AZone', 'CL');
INSERT INTO focal_point VALUES ('2017-2018', 'AR', 'ana@ar.example');
INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
	VALUES ('2017-2018', 'A1', 1, 1, 'AR', 'Digital agenda', 'in_execution'),
	       ('2017-2018', 'A2', 1, 1, 'CL', 'Open data', 'under_review');
INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status)
	VALUES ('2017-2018', 'final', '2018-06-30', '2018-07-31', 'open');
INSERT INTO report_task (biennium, cycle, code, country, due_on, status, created_at)
	VALUES ('2017-2018', 'final', 'A1', 'AR', '2018-06-30', 'open', '2018-06-01T12:00:00Z');
INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at)
	VALUES ('2017-2018', 'A2', 1, 1, '2018-06-01T12:00:00Z', '2018-06-15T23:00:00Z');
-- Chile's seat has Carlos for principal and Mia for alternate; Argentina's is recused.
INSERT INTO committee_seat (biennium, country, role) VALUES ('2017-2018', 'CL', 'member'), ('2017-2018', 'AR', 'member');
INSERT INTO seat_delegate (biennium, country, email, kind) VALUES ('2017-2018', 'CL', 'carlos@cl.example', 'principal'),
	('2017-2018', 'CL', 'mia@cl.example', 'alternate'), ('2017-2018', 'AR', 'ana@ar.example', 'principal');
INSERT INTO round_seat (biennium, code, round, country, role, recused) VALUES
	('2017-2018', 'A2', 1, 'CL', 'member', false),
	('2017-2018', 'A2', 1, 'AR', 'member', true);
`

func TestReminderPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture)
	require.NoError(t, err)

	p, err := s.GetReminderPolicy(ctx, "2017-2018")
	require.NoError(t, err)
	require.Equal(t, store.DefaultReminderPolicy, p)

	want := store.ReminderPolicy{DaysBefore: []int{3, 10}, OnDue: false, OverdueEveryDays: 2, OverdueMax: 0}
	require.NoError(t, s.SetReminderPolicy(ctx, "2017-2018", want))
	p, err = s.GetReminderPolicy(ctx, "2017-2018")
	require.NoError(t, err)
	require.Equal(t, []int{10, 3}, p.DaysBefore)
	require.False(t, p.OnDue)
	require.Equal(t, 2, p.OverdueEveryDays)
	require.Equal(t, 0, p.OverdueMax)

	bad := []struct {
		policy store.ReminderPolicy
		msg    string
	}{
		{store.ReminderPolicy{DaysBefore: []int{0}, OverdueEveryDays: 7}, "days_before 0"},
		{store.ReminderPolicy{DaysBefore: []int{-3}, OverdueEveryDays: 7}, "days_before -3"},
		{store.ReminderPolicy{DaysBefore: []int{7, 7}, OverdueEveryDays: 7}, "days_before 7 appears twice"},
		{store.ReminderPolicy{DaysBefore: []int{7}, OverdueEveryDays: 0}, "overdue_every_days 0"},
		{store.ReminderPolicy{DaysBefore: []int{7}, OverdueEveryDays: 7, OverdueMax: -1}, "overdue_max -1"},
	}
	for _, b := range bad {
		err := s.SetReminderPolicy(ctx, "2017-2018", b.policy)
		require.ErrorContains(t, err, b.msg)
	}
	p, err = s.GetReminderPolicy(ctx, "2017-2018")
	require.NoError(t, err)
	require.Equal(t, []int{10, 3}, p.DaysBefore, "a refused policy changes nothing")

	require.ErrorIs(t, s.SetReminderPolicy(ctx, "1999-2000", store.DefaultReminderPolicy), store.ErrNotFound)
	_, err = s.GetReminderPolicy(ctx, "1999-2000")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestReminderStage(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	p := store.DefaultReminderPolicy
	due, created := day("2018-06-30"), day("2018-06-01")
	cases := []struct {
		today   string
		overdue bool
		want    string
	}{
		{"2018-06-15", true, ""},
		{"2018-06-16", true, "before-14"},
		{"2018-06-22", true, "before-14"},
		{"2018-06-23", true, "before-7"},
		{"2018-06-28", true, "before-2"},
		{"2018-06-30", true, "due"},
		{"2018-07-06", true, "due"},
		{"2018-07-07", true, "overdue-1"},
		{"2018-07-14", true, "overdue-2"},
		{"2018-07-21", true, "overdue-3"},
		{"2018-12-31", true, "overdue-3"},
		{"2018-12-31", false, "due"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, p.Stage(due, created, day(c.today), c.overdue), c.today)
	}
	// Stages reached before the item existed are skipped: its invitation just went.
	require.Equal(t, "", p.Stage(due, day("2018-06-25"), day("2018-06-25"), true))
	require.Equal(t, "", p.Stage(due, day("2018-06-25"), day("2018-06-27"), true))
	require.Equal(t, "before-2", p.Stage(due, day("2018-06-25"), day("2018-06-28"), true))
}

func TestOpenReminderItemsAndMarkSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture)
	require.NoError(t, err)

	now := time.Date(2018, 6, 9, 13, 0, 0, 0, time.UTC)
	items, err := s.OpenReminderItems(ctx, now)
	require.NoError(t, err)
	require.Len(t, items, 3, "the recused member has nothing to do")
	byRecipient := map[string]store.ReminderItem{}
	for _, it := range items {
		byRecipient[it.Recipient] = it
	}
	task := byRecipient["ana@ar.example"]
	require.Equal(t, "task/2017-2018/final/A1/AR", task.Item)
	require.Equal(t, "", task.Stage, "21 days before the due date no stage is reached")
	require.Equal(t, "Digital agenda", task.Title.Stored)
	require.Equal(t, time.Date(2018, 8, 31, 0, 0, 0, 0, time.UTC), task.LinkExpires)

	vote := byRecipient["carlos@cl.example"]
	require.Equal(t, "vote/2017-2018/A2/1", vote.Item)
	require.Equal(t, "before-7@2018-06-15", vote.Stage)
	require.True(t, vote.Due())
	require.False(t, vote.TimeZoneInvalid)
	require.True(t, byRecipient["mia@cl.example"].TimeZoneInvalid)
	require.Equal(t, time.UTC, byRecipient["mia@cl.example"].Location)

	// Recorded in the digest's transaction, a reminder is no longer due.
	key := store.ReminderKey{Recipient: vote.Recipient, Item: vote.Item, Stage: vote.Stage}
	err = s.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.QueueEmail(ctx, store.Email{DedupKey: "reminder/carlos/x", Recipient: vote.Recipient,
			Language: "es", Kind: "reminder", Subject: "s", Text: "t"})
		require.NoError(t, err)
		return tx.MarkRemindersSent(ctx, "reminder/carlos/x", []store.ReminderKey{key}, now)
	})
	require.NoError(t, err)
	due, err := s.DueReminders(ctx, now)
	require.NoError(t, err)
	require.Len(t, due, 1)
	require.Equal(t, "mia@cl.example", due[0].Recipient)

	// A second record of the same reminder is refused and rolls back its digest.
	err = s.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.QueueEmail(ctx, store.Email{DedupKey: "reminder/carlos/y", Recipient: vote.Recipient,
			Language: "es", Kind: "reminder", Subject: "s", Text: "t"})
		require.NoError(t, err)
		return tx.MarkRemindersSent(ctx, "reminder/carlos/y", []store.ReminderKey{key}, now)
	})
	require.ErrorIs(t, err, store.ErrReminderSent)
	exists, err := s.EmailExists(ctx, "reminder/carlos/y")
	require.NoError(t, err)
	require.False(t, exists)

	sent, err := s.RemindersSent(ctx, "")
	require.NoError(t, err)
	require.Len(t, sent, 1)
	require.Equal(t, key, sent[0].ReminderKey)
	require.NotNil(t, sent[0].EmailID)
	require.True(t, now.Equal(sent[0].SentAt))

	// A vote cast, or a submitted task, leaves nothing to remind of: the
	// alternate's vote is the seat's, so its principal has none to cast.
	_, err = pool.Exec(ctx, `INSERT INTO vote (biennium, code, round, member, seat, vote_id, decision, cast_at)
		VALUES ('2017-2018', 'A2', 1, 'mia@cl.example', 'CL', 'v1', 'approve', now());
		UPDATE report_task SET status = 'submitted'`)
	require.NoError(t, err)
	items, err = s.OpenReminderItems(ctx, now)
	require.NoError(t, err)
	require.Empty(t, items)

	// After the voting period ends there is nothing left to vote on.
	items, err = s.OpenReminderItems(ctx, time.Date(2018, 6, 16, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Empty(t, items)
}

// Where the schema records a round waiting for the Chair, the Chair is
// reminded of the casting vote, overdue stages included, until it is cast.
func TestReminderCastingVote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture+`
		UPDATE round_seat SET role = 'chair' WHERE country = 'CL';
		DELETE FROM seat_delegate WHERE email = 'mia@cl.example';
		ALTER TABLE review_round ADD COLUMN IF NOT EXISTS awaiting_casting boolean NOT NULL DEFAULT false;
		UPDATE review_round SET awaiting_casting = true;
		UPDATE report_task SET status = 'submitted';`)
	require.NoError(t, err)

	now := time.Date(2018, 6, 25, 13, 0, 0, 0, time.UTC)
	items, err := s.OpenReminderItems(ctx, now)
	require.NoError(t, err)
	require.Len(t, items, 1, "the period is over: only the Chair has something to do")
	require.Equal(t, store.ReminderCasting, items[0].Kind)
	require.Equal(t, "casting/2017-2018/A2/1", items[0].Item)
	require.Equal(t, "carlos@cl.example", items[0].Recipient)
	require.Equal(t, "overdue-1@2018-06-15", items[0].Stage)

	_, err = pool.Exec(ctx, `INSERT INTO vote (biennium, code, round, member, seat, vote_id, decision, casting, cast_at)
		VALUES ('2017-2018', 'A2', 1, 'carlos@cl.example', 'CL', 'c1', 'approve', true, now())`)
	require.NoError(t, err)
	items, err = s.OpenReminderItems(ctx, now)
	require.NoError(t, err)
	require.Empty(t, items)
}

// A sweep reads only the items whose first stage may have been reached, then
// every open item of the recipients it reminds, so their digest lists all.
func TestReminderDigestsReadOnlyCandidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture+`
		INSERT INTO country VALUES ('UY', 'Uruguay');
		INSERT INTO person (email, name, language, time_zone, country) VALUES ('luis@uy.example', 'Luis', 'es', 'America/Montevideo', 'UY');
		INSERT INTO focal_point VALUES ('2017-2018', 'UY', 'luis@uy.example');
		INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status)
			VALUES ('2017-2018', 'late', '2018-09-30', '2018-10-31', 'open');
		INSERT INTO report_task (biennium, cycle, code, country, due_on, status, created_at) VALUES
			('2017-2018', 'late', 'A1', 'AR', '2018-09-30', 'open', '2018-06-01T12:00:00Z'),
			('2017-2018', 'late', 'A1', 'UY', '2018-09-30', 'open', '2018-06-01T12:00:00Z');
		UPDATE review_round SET closes_at = '2018-09-15T23:00:00Z';`)
	require.NoError(t, err)

	// 23 June: Ana's final report is 7 days away; nothing else is near.
	now := time.Date(2018, 6, 23, 13, 0, 0, 0, time.UTC)
	due, err := s.DueReminders(ctx, now)
	require.NoError(t, err)
	require.Len(t, due, 1)
	require.Equal(t, "task/2017-2018/final/A1/AR", due[0].Item)
	require.Equal(t, "before-7@2018-06-30", due[0].Stage)

	items, err := s.ReminderDigests(ctx, now)
	require.NoError(t, err)
	var listed []string
	for _, it := range items {
		require.Equal(t, "ana@ar.example", it.Recipient, "only Ana has a reminder due")
		listed = append(listed, it.Item+" "+it.Stage)
	}
	require.Equal(t, []string{"task/2017-2018/final/A1/AR before-7@2018-06-30", "task/2017-2018/late/A1/AR "}, listed,
		"her digest lists the task not yet due as well")

	all, err := s.OpenReminderItems(ctx, now)
	require.NoError(t, err)
	require.Len(t, all, 5, "two tasks of Ana, one of Luis, two pending votes")

	// Once recorded, the reminder is neither due nor a reason for a digest.
	err = s.InTx(ctx, func(tx *store.Store) error {
		_, err := tx.QueueEmail(ctx, store.Email{DedupKey: "reminder/ana/x", Recipient: "ana@ar.example",
			Language: "es", Kind: "reminder", Subject: "s", Text: "t"})
		require.NoError(t, err)
		return tx.MarkRemindersSent(ctx, "reminder/ana/x",
			[]store.ReminderKey{{Recipient: "ana@ar.example", Item: due[0].Item, Stage: due[0].Stage}}, now)
	})
	require.NoError(t, err)
	due, err = s.DueReminders(ctx, now)
	require.NoError(t, err)
	require.Empty(t, due)
	items, err = s.ReminderDigests(ctx, now)
	require.NoError(t, err)
	require.Empty(t, items)

	// An extension moves the stages: the same stage name at the new date is due again.
	_, err = pool.Exec(ctx, `UPDATE report_task SET due_on = '2018-07-01' WHERE cycle = 'final'`)
	require.NoError(t, err)
	due, err = s.DueReminders(ctx, now.AddDate(0, 0, 1))
	require.NoError(t, err)
	require.Len(t, due, 1)
	require.Equal(t, "before-7@2018-07-01", due[0].Stage)

	// Near the end of the voting period the pending votes become candidates.
	due, err = s.DueReminders(ctx, time.Date(2018, 9, 13, 13, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	var voters []string
	for _, it := range due {
		if it.Kind == store.ReminderVote {
			voters = append(voters, it.Recipient+" "+it.Stage)
		}
	}
	require.ElementsMatch(t, []string{"carlos@cl.example before-2@2018-09-15", "mia@cl.example before-2@2018-09-15"}, voters)
}

func TestCreateLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture)
	require.NoError(t, err)
	now := time.Date(2018, 6, 1, 12, 0, 0, 0, time.UTC)

	tokens, err := s.CreateLinks(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, tokens)

	old, err := s.CreateLink(ctx, store.PurposeReport, "task/a", "ana@ar.example", now.Add(time.Hour))
	require.NoError(t, err)
	tokens, err = s.CreateLinks(ctx, []store.NewLink{
		{Purpose: store.PurposeReport, Subject: "task/a", Recipient: "ana@ar.example", ExpiresAt: now.Add(24 * time.Hour)},
		{Purpose: store.PurposeVote, Subject: "activity/x", Recipient: "ana@ar.example", ExpiresAt: now.Add(24 * time.Hour)},
		{Purpose: store.PurposeVote, Subject: "activity/x", Recipient: "ana@ar.example", ExpiresAt: now.Add(48 * time.Hour)},
		{Purpose: store.PurposeReport, Subject: "task/a", Recipient: "carlos@cl.example", ExpiresAt: now.Add(24 * time.Hour)},
	})
	require.NoError(t, err)
	require.Len(t, tokens, 4)
	require.Equal(t, tokens[1], tokens[2], "one link per purpose, subject and recipient")
	require.NotEqual(t, tokens[0], tokens[3])

	l, err := s.LookupLink(ctx, tokens[3], now)
	require.NoError(t, err)
	require.Equal(t, "carlos@cl.example", l.Recipient)
	l, err = s.LookupLink(ctx, old, now)
	require.NoError(t, err, "a later message's link leaves the earlier message's link working")
	require.Equal(t, "task/a", l.Subject)
	revoked, err := s.RevokeLinks(ctx, "task/a")
	require.NoError(t, err)
	require.EqualValues(t, 3, revoked, "revoking a subject revokes every link to it")
	_, err = s.LookupLink(ctx, old, now)
	require.ErrorIs(t, err, store.ErrLinkInvalid)
	_, err = s.LookupLink(ctx, tokens[0], now)
	require.ErrorIs(t, err, store.ErrLinkInvalid, "revoked")
	tokens[0], err = s.CreateLink(ctx, store.PurposeReport, "task/a", "ana@ar.example", now.Add(24*time.Hour))
	require.NoError(t, err)
	l, err = s.LookupLink(ctx, tokens[0], now)
	require.NoError(t, err)
	require.Equal(t, store.Link{Purpose: store.PurposeReport, Subject: "task/a", Recipient: "ana@ar.example",
		ExpiresAt: now.Add(24 * time.Hour)}, stripZone(l))
	l, err = s.LookupLink(ctx, tokens[2], now.Add(30*time.Hour))
	require.NoError(t, err, "the shared link lasts until the later expiry")
	require.Equal(t, "activity/x", l.Subject)

	// A recipient the database does not know makes the whole batch fail.
	_, err = s.CreateLinks(ctx, []store.NewLink{
		{Purpose: store.PurposeReport, Subject: "task/b", Recipient: "ana@ar.example", ExpiresAt: now.Add(time.Hour)},
		{Purpose: store.PurposeReport, Subject: "task/b", Recipient: "nobody@example.org", ExpiresAt: now.Add(time.Hour)},
	})
	require.ErrorContains(t, err, "create 2 links")
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM link WHERE subject = 'task/b'`).Scan(&n))
	require.Zero(t, n)
}

func stripZone(l store.Link) store.Link {
	l.ExpiresAt = l.ExpiresAt.UTC()
	return l
}

func TestWithoutLiveLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture)
	require.NoError(t, err)
	now := time.Date(2018, 6, 1, 12, 0, 0, 0, time.UTC)

	missing, err := s.WithoutLiveLink(ctx, nil, now)
	require.NoError(t, err)
	require.Empty(t, missing)

	live := store.LinkRef{Purpose: store.PurposeReport, Subject: "task/a", Recipient: "ana@ar.example"}
	expired := store.LinkRef{Purpose: store.PurposeReport, Subject: "task/b", Recipient: "ana@ar.example"}
	revoked := store.LinkRef{Purpose: store.PurposeReport, Subject: "task/c", Recipient: "ana@ar.example"}
	otherPurpose := store.LinkRef{Purpose: store.PurposeVote, Subject: "task/a", Recipient: "ana@ar.example"}
	otherRecipient := store.LinkRef{Purpose: store.PurposeReport, Subject: "task/a", Recipient: "carlos@cl.example"}
	for _, l := range []struct {
		ref     store.LinkRef
		expires time.Time
	}{{live, now.Add(time.Hour)}, {expired, now}, {revoked, now.Add(time.Hour)}} {
		_, err := s.CreateLink(ctx, l.ref.Purpose, l.ref.Subject, l.ref.Recipient, l.expires)
		require.NoError(t, err)
	}
	_, err = s.RevokeLinks(ctx, "task/c")
	require.NoError(t, err)

	missing, err = s.WithoutLiveLink(ctx, []store.LinkRef{live, expired, revoked, otherPurpose, otherRecipient}, now)
	require.NoError(t, err)
	require.Equal(t, map[store.LinkRef]bool{expired: true, revoked: true, otherPurpose: true, otherRecipient: true}, missing)
}

// While Ana is away her delegate is reminded of her task, as acting for
// her, and she still gets her own copy; once the delegation is over (or
// before it starts) only she is.
func TestReminderGoesToTheDelegateOfSomeoneAway(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, reminderFixture+`
		INSERT INTO person (email, name, language, time_zone, country) VALUES ('dani@ar.example', 'Dani', 'pt', 'America/Argentina/Buenos_Aires', 'AR');
		INSERT INTO delegation (person, delegate, starts_on, ends_on, created_by) VALUES ('ana@ar.example', 'dani@ar.example', '2018-06-20', '2018-06-30', 'sec');`)
	require.NoError(t, err)
	recipients := func(at time.Time) map[string]string {
		items, err := s.OpenReminderItems(ctx, at)
		require.NoError(t, err)
		out := map[string]string{}
		for _, it := range items {
			if it.Kind == store.ReminderTask {
				out[it.Recipient] = it.For
			}
		}
		return out
	}
	require.Equal(t, map[string]string{"ana@ar.example": "", "dani@ar.example": "Ana"}, recipients(time.Date(2018, 6, 25, 13, 0, 0, 0, time.UTC)))
	require.Equal(t, map[string]string{"ana@ar.example": ""}, recipients(time.Date(2018, 7, 1, 13, 0, 0, 0, time.UTC)), "it ends by itself")
	require.Equal(t, map[string]string{"ana@ar.example": ""}, recipients(time.Date(2018, 6, 19, 13, 0, 0, 0, time.UTC)))
}
