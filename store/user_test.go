package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func TestPasswordAndSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)

	require.NoError(t, s.SetPassword(ctx, " Ana@Example.org", "Ana Pérez", "secretariat", "correct horse battery"))
	var hash string
	require.NoError(t, pool.QueryRow(ctx, `SELECT password_hash FROM secretariat_user WHERE email = 'ana@example.org'`).Scan(&hash))
	require.Regexp(t, `^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`, hash)

	u, err := s.CheckPassword(ctx, "ana@example.org", "correct horse battery")
	require.NoError(t, err)
	require.Equal(t, store.User{Email: "ana@example.org", Name: "Ana Pérez", Role: "secretariat", Language: "es", TimeZone: "UTC"}, u)

	_, err = s.CheckPassword(ctx, "ana@example.org", "wrong horse battery")
	require.ErrorIs(t, err, store.ErrBadCredentials)
	_, err = s.CheckPassword(ctx, "nobody@example.org", "correct horse battery")
	require.ErrorIs(t, err, store.ErrBadCredentials)

	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	id, err := s.CreateSession(ctx, u.Email, now, now.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, id, store.TokenLength)
	got, err := s.SessionUser(ctx, id, now.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, u, got)
	_, err = s.SessionUser(ctx, id, now.Add(2*time.Hour))
	require.ErrorIs(t, err, store.ErrNotFound, "an expired session opens nothing")
	tampered := "A" + id[1:]
	if id[0] == 'A' {
		tampered = "B" + id[1:]
	}
	_, err = s.SessionUser(ctx, tampered, now)
	require.ErrorIs(t, err, store.ErrNotFound, "a tampered id opens nothing")

	// A new password ends the sessions opened with the old one.
	require.NoError(t, s.SetPassword(ctx, "ana@example.org", "Ana Pérez", "admin", "another long secret"))
	_, err = s.SessionUser(ctx, id, now.Add(time.Minute))
	require.ErrorIs(t, err, store.ErrNotFound)

	id, err = s.CreateSession(ctx, u.Email, now, now.Add(time.Hour))
	require.NoError(t, err)
	require.NoError(t, s.DeleteSession(ctx, id))
	_, err = s.SessionUser(ctx, id, now)
	require.ErrorIs(t, err, store.ErrNotFound, "logout ends the session")
}

func TestSetPasswordRefusesBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	cases := []struct{ email, name, role, password, want string }{
		{"not-an-address", "X", "secretariat", "long enough password", "not an e-mail address"},
		{"x@example.org", "", "secretariat", "long enough password", "name of x@example.org"},
		{"x@example.org", "X", "chair", "long enough password", `role "chair"`},
		{"x@example.org", "X", "admin", "short", "must be 12 to 256 characters"},
		{"x@example.org", "X", "admin", "long enough \xff password", "not valid UTF-8"},
	}
	for _, c := range cases {
		err := s.SetPassword(ctx, c.email, c.name, c.role, c.password)
		require.ErrorContains(t, err, c.want)
	}
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM person) + (SELECT count(*) FROM secretariat_user)`).Scan(&n))
	require.Zero(t, n, "a refused user changes nothing")
}

func TestLoginFailuresAndSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := storetest.New(t)
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		require.NoError(t, s.RecordLoginFailure(ctx, "a@example.org", "192.0.2.1", now.Add(-time.Duration(i)*10*time.Minute)))
	}
	for range 9 {
		require.NoError(t, s.RecordLoginFailure(ctx, "a@example.org", "198.51.100.7", now))
	}
	require.NoError(t, s.RecordLoginFailure(ctx, "b@example.org", "192.0.2.1", now))
	n, err := s.LoginFailures(ctx, "a@example.org", "192.0.2.1", now.Add(-15*time.Minute), 5)
	require.NoError(t, err)
	require.Equal(t, store.LoginCounts{FromAddress: 2, Account: 2 + 5}, n, "a busy address weighs at most the cap on the account")
	require.NoError(t, s.ClearLoginFailures(ctx, "a@example.org", "192.0.2.1"))
	n, err = s.LoginFailures(ctx, "a@example.org", "192.0.2.1", now.Add(-time.Hour), 5)
	require.NoError(t, err)
	require.Equal(t, store.LoginCounts{FromAddress: 0, Account: 5}, n, "a good login clears its own address only")

	// A failure a day old is dropped by the account's next attempt.
	require.NoError(t, s.RecordLoginFailure(ctx, "c@example.org", "192.0.2.1", now.Add(-25*time.Hour)))
	require.NoError(t, s.RecordLoginFailure(ctx, "c@example.org", "192.0.2.1", now))
	n, err = s.LoginFailures(ctx, "c@example.org", "192.0.2.1", now.Add(-48*time.Hour), 5)
	require.NoError(t, err)
	require.Equal(t, 1, n.FromAddress)

	// Pruning drops old failures of every account and expired sessions only.
	require.NoError(t, s.SetPassword(ctx, "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	_, err = s.CreateSession(ctx, "ana@example.org", now.Add(-13*time.Hour), now.Add(-time.Hour))
	require.NoError(t, err)
	live, err := s.CreateSession(ctx, "ana@example.org", now, now.Add(time.Hour))
	require.NoError(t, err)
	require.NoError(t, s.RecordLoginFailure(ctx, "d@example.org", "192.0.2.1", now.Add(-2*time.Hour)))
	failures, sessions, err := s.PruneLogins(ctx, now.Add(-time.Hour), now)
	require.NoError(t, err)
	require.Equal(t, int64(1), failures, "only the failure older than the cut")
	require.Equal(t, int64(1), sessions)
	_, err = s.SessionUser(ctx, live, now)
	require.NoError(t, err, "a live session stays")

	a, err := s.WebSecret(ctx, "csrf")
	require.NoError(t, err)
	b, err := s.WebSecret(ctx, "csrf")
	require.NoError(t, err)
	require.Len(t, a, 32)
	require.Equal(t, a, b, "every replica reads the same secret")
}

func TestClaimFormOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := storetest.New(t)
	const nonce = "0123456789abcdef0123"
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 10 {
		wg.Go(func() {
			err := s.InTx(ctx, func(tx *store.Store) error {
				ok, err := tx.ClaimForm(ctx, nonce, "report", "task/x", "a@example.org")
				if err != nil || !ok {
					return err
				}
				mu.Lock()
				won++
				mu.Unlock()
				return tx.SetFormResult(ctx, nonce, "42")
			})
			require.NoError(t, err)
		})
	}
	wg.Wait()
	require.Equal(t, 1, won)
	res, signalled, err := s.FormResult(ctx, nonce)
	require.NoError(t, err)
	require.Equal(t, "42", res)
	require.False(t, signalled)

	now := time.Now()
	ok, err := s.ClaimFormSignal(ctx, nonce, now)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.ClaimFormSignal(ctx, nonce, now)
	require.NoError(t, err)
	require.False(t, ok, "one sender per form")
	require.NoError(t, s.ReleaseFormSignal(ctx, nonce))
	ok, err = s.ClaimFormSignal(ctx, nonce, now)
	require.NoError(t, err)
	require.True(t, ok, "a failed signal can be sent again")

	_, _, err = s.FormResult(ctx, "unknown-nonce-0000000")
	require.True(t, errors.Is(err, store.ErrNotFound))
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 1, 'Goal one'), ('2017-2018', 2, 'Goal two');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line one');
		INSERT INTO country VALUES ('CL', 'Chile'), ('MX', 'Mexico');
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status) VALUES
			('2017-2018', 'A1', 1, 1, 'CL', 'First', 'in_execution'),
			('2017-2018', 'B1', 2, 1, 'MX', 'Second', 'under_review');
		INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status, closed_at) VALUES
			('2017-2018', 'mid', '2026-03-01', '2026-04-01', 'open', NULL),
			('2017-2018', 'older', '2024-03-01', '2024-04-01', 'closed', '2024-04-01T12:00:00Z'),
			('2017-2018', 'old', '2025-03-01', '2025-04-01', 'closed', '2025-04-01T12:00:00Z');
		UPDATE reporting_cycle SET symbol = 'LC/L.4221(CCITIC.2/4)', revision = 1, revised_at = now() WHERE name = 'old';
		INSERT INTO report_task (biennium, cycle, code, country, due_on, status) VALUES
			('2017-2018', 'mid', 'A1', 'CL', '2026-03-01', 'submitted'),
			('2017-2018', 'mid', 'A1', 'MX', '2026-03-01', 'open'),
			('2017-2018', 'mid', 'B1', 'MX', '2026-03-10', 'open');`)
	require.NoError(t, err)

	d, err := s.Dashboard(ctx, time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, d.Goals, 2)
	require.Equal(t, []store.StatusCount{{Status: "in_execution", N: 1}}, d.Goals[0].Counts)
	require.Equal(t, []store.DashboardActivity{{Biennium: "2017-2018", Goal: 1, GoalTitle: cooperation.Plain("Goal one"), Code: "A1",
		Title: cooperation.Plain("First"), LeadCountry: "CL", Status: "in_execution", Overdue: 1}}, d.Goals[0].Attention, "A1 has an overdue task")
	require.Len(t, d.Cycles, 3, "closed cycles stay on the dashboard, with their reports")
	require.Equal(t, []string{"mid", "old", "older"}, []string{d.Cycles[0].Name, d.Cycles[1].Name, d.Cycles[2].Name},
		"open cycles first, then the latest closed")
	require.EqualValues(t, "closed", d.Cycles[1].Status)
	require.Equal(t, "LC/L.4221(CCITIC.2/4)/Rev.1", d.Cycles[1].Symbol)
	require.Empty(t, d.Cycles[1].Overdue, "a closed cycle has nothing overdue")
	c := d.Cycles[0]
	require.Equal(t, "mid", c.Name)
	require.Equal(t, 3, c.Total)
	require.Equal(t, 1, c.Done)
	require.Equal(t, map[string]int{"submitted": 1, "open": 2}, c.Counts)
	require.Equal(t, []store.OverdueTask{{Code: "A1", Country: "MX", Due: "2026-03-01"}}, c.Overdue)
}
