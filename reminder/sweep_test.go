package reminder_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/reminder"
	"github.com/bienal/bienal/store"
)

// The 60 days of a reporting cycle swept every hour: who gets which digest,
// when, in which language, with which links.
func TestSweepOverSixtyDays(t *testing.T) {
	t.Parallel()
	s, pool, sw := setup(t)
	m := newSim(t, utc("2018-04-29T23:30:00Z"))
	m.events = []event{
		// Marie votes the day after her first reminder; Luis voted at once.
		{utc("2018-05-01T13:00:00Z"), exec(t, pool, `INSERT INTO vote (biennium, code, round, member, seat, vote_id, decision, cast_at)
			VALUES ('2017-2018', 'A9', 1, 'luis@uy.example', 'UY', 'v-luis', 'approve', '2018-05-01T13:00:00Z')`)},
		{utc("2018-05-09T15:00:00Z"), exec(t, pool, `INSERT INTO vote (biennium, code, round, member, seat, vote_id, decision, cast_at)
			VALUES ('2017-2018', 'A9', 1, 'marie@ht.example', 'HT', 'v-marie', 'approve', '2018-05-09T15:00:00Z')`)},
		// John's deadline is extended to 14 June after his 7-day reminder.
		{utc("2018-05-25T00:00:00Z"), exec(t, pool, `UPDATE report_task SET due_on = '2018-06-14'
			WHERE country = 'JM'`)},
		// Bruna submits her report.
		{utc("2018-05-26T00:00:00Z"), exec(t, pool, `UPDATE report_task SET status = 'submitted' WHERE country = 'BR'`)},
		// The workflow marks the late tasks overdue: still open.
		{utc("2018-06-01T04:00:00Z"), exec(t, pool, `UPDATE report_task SET status = 'overdue'
			WHERE status = 'open' AND due_on < '2018-06-01'`)},
	}
	m.start(sw, nil)
	defer m.stopAll()
	m.runUntil(utc("2018-06-29T00:00:00Z"), false)

	tasksAR := func(stage string) string {
		return "task/final/A1/AR " + stage + ", task/final/A2/AR " + stage
	}
	want := map[string][]string{
		// Two open tasks, one digest listing both, at 09:00 in Buenos Aires (UTC-3).
		"ana@ar.example": {
			"05-17T12Z " + tasksAR("before-14@2018-05-31"),
			"05-24T12Z " + tasksAR("before-7@2018-05-31"),
			"05-29T12Z " + tasksAR("before-2@2018-05-31"),
			"05-31T12Z " + tasksAR("due@2018-05-31"),
			"06-07T12Z " + tasksAR("overdue-1@2018-05-31"),
			"06-14T12Z " + tasksAR("overdue-2@2018-05-31"),
			"06-21T12Z " + tasksAR("overdue-3@2018-05-31"),
		},
		// Santiago leaves summer time on 13 May: 09:00 is 12:00 UTC before, 13:00 UTC after.
		// The 2-day reminder falls on Sunday 13 May and goes on Monday.
		"carlos@cl.example": {
			"05-08T12Z vote/A9/1 before-7@2018-05-15",
			"05-14T13Z vote/A9/1 before-2@2018-05-15",
			"05-15T13Z vote/A9/1 due@2018-05-15",
			"05-17T13Z task/final/A1/CL before-14@2018-05-31",
			"05-24T13Z task/final/A1/CL before-7@2018-05-31",
			"05-29T13Z task/final/A1/CL before-2@2018-05-31",
			"05-31T13Z task/final/A1/CL due@2018-05-31",
			"06-07T13Z task/final/A1/CL overdue-1@2018-05-31",
			"06-14T13Z task/final/A1/CL overdue-2@2018-05-31",
			"06-21T13Z task/final/A1/CL overdue-3@2018-05-31",
		},
		// Submitted on 26 May: nothing after.
		"bruna@br.example": {
			"05-17T12Z task/final/A3/BR before-14@2018-05-31",
			"05-24T12Z task/final/A3/BR before-7@2018-05-31",
		},
		// Extended on 25 May to 14 June: the stages follow the new date.
		"john@jm.example": {
			"05-17T14Z task/final/A3/JM before-14@2018-05-31",
			"05-24T14Z task/final/A3/JM before-7@2018-05-31",
			"05-31T14Z task/final/A3/JM before-14@2018-06-14",
			"06-07T14Z task/final/A3/JM before-7@2018-06-14",
			"06-12T14Z task/final/A3/JM before-2@2018-06-14",
			"06-14T14Z task/final/A3/JM due@2018-06-14",
			"06-21T14Z task/final/A3/JM overdue-1@2018-06-14",
			"06-28T14Z task/final/A3/JM overdue-2@2018-06-14",
		},
		// Voted on 9 May, after one reminder; Luis voted at once and Ana is recused.
		"marie@ht.example": {
			"05-08T13Z vote/A9/1 before-7@2018-05-15",
		},
	}
	require.Equal(t, want, digests(t, s))

	sent, err := s.RemindersSent(context.Background(), "")
	require.NoError(t, err)
	zones := map[string]string{"ana@ar.example": "America/Argentina/Buenos_Aires", "carlos@cl.example": "America/Santiago",
		"bruna@br.example": "America/Sao_Paulo", "john@jm.example": "America/Jamaica", "marie@ht.example": "America/Port-au-Prince"}
	for _, r := range sent {
		loc, err := time.LoadLocation(zones[r.Recipient])
		require.NoError(t, err)
		require.True(t, reminder.WorkingHours(r.SentAt, loc), "%s at %s", r.Recipient, r.SentAt.In(loc))
		require.Equal(t, 9, r.SentAt.In(loc).Hour(), "first working hour for %s", r.Recipient)
	}

	checkMessages(t, s, pool)
}

var linkPattern = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/l/([A-Za-z0-9_-]{43})`)

// checkMessages reads the digests' rows: language, every open item listed,
// links that open the right item for the right person.
func checkMessages(t *testing.T, s *store.Store, pool *pgxpool.Pool) {
	ctx := context.Background()
	type msg struct{ lang, subject, text, html string }
	last := func(recipient string) msg {
		var m msg
		require.NoError(t, pool.QueryRow(ctx, `SELECT language, subject FROM email
			WHERE recipient = $1 AND kind = 'reminder' ORDER BY id DESC LIMIT 1`, recipient).
			Scan(&m.lang, &m.subject))
		m.text, m.html = sent(t, s, pool, `SELECT id FROM email
			WHERE recipient = $1 AND kind = 'reminder' ORDER BY id DESC LIMIT 1`, recipient)
		return m
	}
	for recipient, prefix := range map[string]string{"ana@ar.example": "Recordatorio:", "carlos@cl.example": "Recordatorio:",
		"bruna@br.example": "Lembrete:", "john@jm.example": "Reminder:", "marie@ht.example": "Rappel :"} {
		m := last(recipient)
		require.True(t, strings.HasPrefix(m.subject, prefix), "%s: %s", recipient, m.subject)
		require.Contains(t, m.html, `lang="`+m.lang+`"`)
	}

	// Ana's last digest lists both her tasks, each with a link that works.
	ana := last("ana@ar.example")
	require.Contains(t, ana.subject, "31 de mayo de 2018")
	require.Contains(t, ana.text, "Regional digital agenda (A1, Argentina, ciclo final)")
	require.Contains(t, ana.text, "Broadband observatory (A2, Argentina, ciclo final)")
	require.Contains(t, ana.text, "Venció el 31 de mayo de 2018")
	require.NotContains(t, ana.text, "Innovation fund", "a recused member has no vote to cast")
	tokens := linkPattern.FindAllStringSubmatch(ana.text, -1)
	require.Len(t, tokens, 2)
	var subjects []string
	for _, tok := range tokens {
		l, err := s.LookupLink(ctx, tok[1], utc("2018-06-22T00:00:00Z"))
		require.NoError(t, err)
		require.Equal(t, store.PurposeReport, l.Purpose)
		require.Equal(t, "ana@ar.example", l.Recipient)
		subjects = append(subjects, l.Subject)
		require.Contains(t, ana.html, `href="`+tok[0]+`"`)
	}
	require.ElementsMatch(t, []string{"task/2017-2018/final/A1/AR", "task/2017-2018/final/A2/AR"}, subjects)

	// Carlos's first digest is about his vote and lists his open task too.
	first, _ := sent(t, s, pool, `SELECT id FROM email WHERE recipient = 'carlos@cl.example' ORDER BY id LIMIT 1`)
	require.Contains(t, first, "Voto: Innovation fund (A9)")
	require.Contains(t, first, "Informe: Regional digital agenda (A1, Chile, ciclo final)")
	require.Contains(t, first, "Vence el 15 de mayo de 2018")
	require.Len(t, linkPattern.FindAllString(first, -1), 2)
}

// Two sweepers at the same moment, many times over: each reminder once.
func TestConcurrentSweepsSendOnce(t *testing.T) {
	t.Parallel()
	s, _, sw := setup(t)
	other := &reminder.Sweeper{Store: sw.Store, Logger: sw.Logger, BaseURL: baseURL}
	now := utc("2018-05-17T14:00:00Z")
	var wg sync.WaitGroup
	results := make([]reminder.Result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := sw
			if i%2 == 1 {
				who = other
			}
			res, err := who.Sweep(context.Background(), now)
			require.NoError(t, err)
			results[i] = res
		}()
	}
	wg.Wait()
	var sentDigests, items int
	for _, r := range results {
		sentDigests += r.Digests
		items += r.Items
	}
	// Ana (two tasks), Carlos, Bruna and John; the vote has closed.
	require.Equal(t, 4, sentDigests)
	require.Equal(t, 5, items)
	got := digests(t, s)
	require.Len(t, got["ana@ar.example"], 1)
	require.True(t, strings.HasPrefix(got["ana@ar.example"][0], "05-17T14Z"))
}

// An item not yet due is listed without a link when an earlier message's
// link to it still works, and with a fresh one when none does.
func TestDigestLinksOnlyWhatNeedsOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool, sw := setup(t)
	now := utc("2018-05-08T12:00:00Z")
	text := func(recipient string) string {
		body, html := sent(t, s, pool, `SELECT id FROM email WHERE recipient = $1
			AND kind = 'reminder' ORDER BY id DESC LIMIT 1`, recipient)
		require.Equal(t, len(linkPattern.FindAllString(body, -1)), strings.Count(html, `<a href=`), "text and html link the same items")
		return body
	}
	// Carlos's invitation link to his task still works.
	_, err := s.CreateLink(ctx, store.PurposeReport, "task/2017-2018/final/A1/CL", "carlos@cl.example", now.Add(time.Hour))
	require.NoError(t, err)
	res, err := sw.Sweep(ctx, now)
	require.NoError(t, err)
	require.Equal(t, 2, res.Digests, "Carlos and Marie, reminded of their vote")

	carlos := text("carlos@cl.example")
	require.Contains(t, carlos, "Voto: Innovation fund (A9)")
	require.Contains(t, carlos, "También tiene pendiente:\n\n- Informe: Regional digital agenda (A1, Chile, ciclo final)\n  Vence el 31 de mayo de 2018\n")
	require.Contains(t, carlos, "Los enlaces a estos pendientes en mensajes anteriores siguen funcionando.")
	tokens := linkPattern.FindAllStringSubmatch(carlos, -1)
	require.Len(t, tokens, 1, "only the vote due now gets a fresh link")
	l, err := s.LookupLink(ctx, tokens[0][1], now)
	require.NoError(t, err)
	require.Equal(t, store.Link{Purpose: store.PurposeVote, Subject: "activity/2017-2018/A9", Recipient: "carlos@cl.example",
		ExpiresAt: l.ExpiresAt, RevokedAt: nil}, l)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM link WHERE recipient = 'carlos@cl.example'`).Scan(&n))
	require.Equal(t, 2, n, "the invitation's link and the vote's")

	// A revoked or expired link does not count: the next digest links the task afresh.
	_, err = s.RevokeLinks(ctx, "task/2017-2018/final/A1/CL")
	require.NoError(t, err)
	_, err = sw.Sweep(ctx, utc("2018-05-14T13:00:00Z"))
	require.NoError(t, err)
	carlos = text("carlos@cl.example")
	require.NotContains(t, carlos, "mensajes anteriores")
	tokens = linkPattern.FindAllStringSubmatch(carlos, -1)
	require.Len(t, tokens, 2)
	l, err = s.LookupLink(ctx, tokens[1][1], utc("2018-05-14T13:00:00Z"))
	require.NoError(t, err)
	require.Equal(t, "task/2017-2018/final/A1/CL", l.Subject)
}
