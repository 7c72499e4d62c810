package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// loginFrom posts the login form from a client address.
func (f *fixture) loginFrom(addr, csrf, password string) response {
	f.t.Helper()
	req := postRequest("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {password}})
	req.RemoteAddr = addr
	return f.do(req)
}

// A stranger hammering wrong passwords from one address locks only that
// address out of the account: the owner signs in from another, and a good
// login clears the owner's own failures, not the stranger's. Addresses in
// one IPv6 /64 count as one.
func TestLoginThrottleSparesTheOwner(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	require.NoError(t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	csrf := f.formToken("/login")
	for i := range 20 {
		r := f.loginFrom("203.0.113.9:4000", csrf, fmt.Sprintf("guess %d guess guess", i))
		require.Equal(t, http.StatusUnauthorized, r.status)
		if i >= 5 {
			require.Contains(t, r.body, "Too many failed attempts", "attempt %d", i+1)
		}
	}
	r := f.loginFrom("203.0.113.9:4000", csrf, "correct horse battery")
	require.Equal(t, http.StatusUnauthorized, r.status, "the hammering address stays locked, even with the password")
	require.Contains(t, r.body, "Too many failed attempts")

	r = f.loginFrom("192.0.2.50:5000", csrf, "wrong horse battery")
	require.Equal(t, http.StatusUnauthorized, r.status)
	require.Contains(t, r.body, "Wrong e-mail or password.", "the owner's own typo is an ordinary failure")
	r = f.loginFrom("192.0.2.50:5000", csrf, "correct horse battery")
	require.Equal(t, http.StatusSeeOther, r.status, "the owner gets in from elsewhere: %s", r.body)
	require.Zero(t, f.count("login_failure WHERE address = '192.0.2.50'"))
	require.Equal(t, 21, f.count("login_failure WHERE address = '203.0.113.9'"), "the stranger's failures still count")

	for i := range 6 {
		r := f.loginFrom(fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), csrf, "guess guess guess")
		require.Equal(t, http.StatusUnauthorized, r.status)
		if i == 5 {
			require.Contains(t, r.body, "Too many failed attempts", "one /64 is one address")
		}
	}
	r = f.loginFrom("[2001:db8:1:3::1]:443", csrf, "correct horse battery")
	require.Equal(t, http.StatusSeeOther, r.status, "another /64 is another address")
}

// Many addresses together reach the account's ceiling: past it, an address
// that has failed in the window is refused at once, which bounds guessing
// by the number of addresses, while an address with no failure (the owner
// at their desk) still gets one try, and signs in.
func TestLoginAccountCeiling(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	require.NoError(t, f.store.SetPassword(ctx, "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	// 25 addresses with 5 failures each weigh 125 against the account.
	for i := range 25 {
		for range 5 {
			require.NoError(t, f.store.RecordLoginFailure(ctx, "ana@example.org", fmt.Sprintf("198.51.100.%d", i), now.Add(-time.Minute)))
		}
	}
	require.NoError(t, f.store.RecordLoginFailure(ctx, "ana@example.org", "192.0.2.77", now.Add(-time.Minute)))
	csrf := f.formToken("/login")
	r := f.loginFrom("192.0.2.77:1", csrf, "correct horse battery")
	require.Equal(t, http.StatusUnauthorized, r.status, "an address with a failure waits, past the ceiling")
	require.Contains(t, r.body, "Too many failed attempts")
	r = f.loginFrom("192.0.2.78:1", csrf, "wrong horse battery")
	require.Equal(t, http.StatusUnauthorized, r.status)
	require.Contains(t, r.body, "Wrong e-mail or password.", "a fresh address gets its one try")
	r = f.loginFrom("192.0.2.78:1", csrf, "correct horse battery")
	require.Equal(t, http.StatusUnauthorized, r.status, "and no second one")
	r = f.loginFrom("192.0.2.79:1", csrf, "correct horse battery")
	require.Equal(t, http.StatusSeeOther, r.status, "the owner from a clean address: %s", r.body)
}

// A good login prunes what no one needs any more: failures older than a
// day, of any account, and expired sessions.
func TestLoginPrunesOldFailuresAndSessions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	require.NoError(t, f.store.SetPassword(ctx, "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	require.NoError(t, f.store.RecordLoginFailure(ctx, "bob@example.org", "192.0.2.1", now.Add(-25*time.Hour)))
	require.NoError(t, f.store.RecordLoginFailure(ctx, "bob@example.org", "192.0.2.1", now.Add(-time.Hour)))
	_, err := f.store.CreateSession(ctx, "ana@example.org", now.Add(-13*time.Hour), now.Add(-time.Hour))
	require.NoError(t, err)
	live, err := f.store.CreateSession(ctx, "ana@example.org", now.Add(-time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, 2, f.count("web_session"))

	csrf := f.formToken("/login")
	r := f.loginFrom("192.0.2.9:1", csrf, "correct horse battery")
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, 1, f.count("login_failure"), "only bob's recent failure is left")
	require.Equal(t, 2, f.count("web_session"), "the expired session went, the live one and the new one stay")
	_, err = f.store.SessionUser(ctx, live, now)
	require.NoError(t, err)
}
