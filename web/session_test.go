package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func sessionCookie(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "bienal_session" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", r.header)
	return nil
}

func TestLoginDashboardLogout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	require.NoError(t, f.store.SetPassword(ctx, "ana@example.org", "Ana", "secretariat", "correct horse battery"))

	// Not signed in: the dashboard sends to the login page.
	r := f.get("/")
	require.Equal(t, http.StatusSeeOther, r.status)
	require.Equal(t, "/login", r.header.Get("Location"))

	csrf := f.formToken("/login?lang=en")
	r = f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"wrong horse battery"}})
	require.Equal(t, http.StatusUnauthorized, r.status)
	require.Contains(t, r.body, "Wrong e-mail or password.")
	require.Empty(t, r.header.Values("Set-Cookie"))
	require.Zero(t, f.count("web_session"))
	require.Equal(t, 1, f.count("login_failure"))

	r = f.post("/login", url.Values{"csrf": {csrf}, "email": {"Ana@example.org"}, "password": {"correct horse battery"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	cookie := sessionCookie(t, r)
	require.True(t, cookie.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
	require.Zero(t, f.count("login_failure"), "a good login clears the failures")

	r = f.get("/", cookie)
	require.Equal(t, http.StatusOK, r.status)
	require.Contains(t, r.body, "<h1>Panel del programa</h1>", "Ana reads Spanish")
	require.Contains(t, r.body, "Digital agenda")
	require.Contains(t, r.body, "en ejecución")
	require.Contains(t, r.body, `<td data-label="Actividad">A1</td><td data-label="País">MX</td><td data-label="Vence"><time datetime="2026-03-01">1 de marzo de 2026</time></td>`, "the overdue task is listed")

	// Logout needs the session's form token.
	r = f.post("/logout", url.Values{"csrf": {csrf}}, cookie)
	require.Equal(t, http.StatusForbidden, r.status)
	require.Equal(t, 1, f.count("web_session"))
	r = f.post("/logout", url.Values{"csrf": {f.formToken("/", cookie)}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status)
	require.Zero(t, f.count("web_session"))
	require.Equal(t, http.StatusSeeOther, f.get("/", cookie).status, "the old cookie opens nothing")
}

func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	require.NoError(t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	csrf := f.formToken("/login")
	for range 5 {
		r := f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"guess guess guess"}})
		require.Equal(t, http.StatusUnauthorized, r.status)
	}
	r := f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"correct horse battery"}})
	require.Equal(t, http.StatusUnauthorized, r.status)
	require.Contains(t, r.body, "Too many failed attempts")
	require.Zero(t, f.count("web_session"))
}

// Parallel attempts each count before the password is checked: after four
// failures, a burst of eight guesses is refused whole, every one recorded,
// and then the right password is refused too until the window passes. (A
// burst that holds the right password may let more than one in: a good
// login clears the failures counted so far, which is what a person who
// typed it right should get.)
func TestLoginThrottleHoldsUnderABurst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	require.NoError(t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	csrf := f.formToken("/login")
	for range 4 {
		r := f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"guess guess guess"}})
		require.Equal(t, http.StatusUnauthorized, r.status)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"},
				"password": {fmt.Sprintf("guess number %d", i)}}).status
		})
	}
	wg.Wait()
	for _, st := range statuses {
		require.Equal(t, http.StatusUnauthorized, st, "statuses %v", statuses)
	}
	require.Equal(t, 12, f.count("login_failure WHERE email = 'ana@example.org'"), "every attempt counted before its password was checked")
	r := f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"correct horse battery"}})
	require.Equal(t, http.StatusUnauthorized, r.status)
	require.Contains(t, r.body, "Too many failed attempts")
	require.Zero(t, f.count("web_session"))
}
