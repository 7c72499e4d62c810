package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func cookieNamed(r response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// A session that expires while a form is being filled in loses nothing:
// the form sent is kept, the login page says so in the form's language,
// and signing in again leads back to the form with what was typed, which
// was not acted on.
func TestExpiredSessionKeepsTheForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	csrf := f.formToken("/cycles/2017-2018/mid", cookie)
	_, err := f.pool.Exec(context.Background(), `UPDATE web_session SET created_at = '2026-03-04 10:00Z', expires_at = '2026-03-05 11:00Z'`)
	require.NoError(t, err)

	reason := "Cambio de autoridades en el ministerio, con elecciones en abril"
	r := f.post("/cycles/2017-2018/mid/tasks/A1/CL/extend", url.Values{"csrf": {csrf}, "page_lang": {"pt"},
		"until": {"2026-04-10"}, "reason": {reason}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "/login?kept=1&lang=pt&next=%2Fcycles%2F2017-2018%2Fmid", r.header.Get("Location"))
	kept := cookieNamed(r, "bienal_kept")
	require.NotNil(t, kept, "the form is kept under a cookie of its own")
	require.True(t, kept.HttpOnly)
	require.Empty(t, f.temporal.sent(), "nothing is done with a form whose session expired")

	r = f.get(r.header.Get("Location"))
	require.Contains(t, r.body, `<html lang="pt">`)
	require.Contains(t, r.body, `id="login-kept">A sua sessão expirou`)
	require.Contains(t, r.body, `<input type="hidden" name="next" value="/cycles/2017-2018/mid">`)
	login := csrfField.FindStringSubmatch(r.body)[1]

	r = f.post("/login", url.Values{"csrf": {login}, "email": {"ana@example.org"}, "password": {"correct horse battery"},
		"next": {"/cycles/2017-2018/mid"}}, kept)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	loc := r.header.Get("Location")
	require.Regexp(t, `^/cycles/2017-2018/mid\?form=[A-Za-z0-9_-]{22}$`, loc, "back at the task's form")
	require.Equal(t, -1, cookieNamed(r, "bienal_kept").MaxAge, "the kept form's cookie is cleared")
	session := sessionCookie(t, r)

	r = f.get(loc+"&lang=pt", session)
	require.Equal(t, http.StatusOK, r.status)
	require.Contains(t, r.body, `id="notice-A1-CL">A sua sessão tinha expirado antes do envio deste formulário`)
	require.Contains(t, r.body, `value="`+reason+`"`, "what was typed is back in the form")
	require.Contains(t, r.body, `value="2026-04-10"`)
	require.Contains(t, r.body, `<tr id="row-A1-CL" class="marked">`)
	require.Empty(t, f.temporal.sent(), "and still not sent: the person checks it and sends it again")

	// The kept form is the new session's alone.
	other := f.signIn()
	r = f.get(loc, other)
	require.NotContains(t, r.body, reason)
}

// A page that needs a login returns to itself after it, and only ever to a
// page of the portal.
func TestLoginReturnsToThePageAskedFor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	require.NoError(t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	r := f.get("/cycles/2017-2018/mid?lang=en")
	require.Equal(t, http.StatusSeeOther, r.status)
	require.Equal(t, "/login?next=%2Fcycles%2F2017-2018%2Fmid%3Flang%3Den", r.header.Get("Location"))
	r = f.get(r.header.Get("Location"))
	require.Contains(t, r.body, `id="login-needed"`)
	csrf := csrfField.FindStringSubmatch(r.body)[1]
	for next, want := range map[string]string{
		"/cycles/2017-2018/mid?lang=en": "/cycles/2017-2018/mid?lang=en",
		"//evil.example/":               "/",
		"/\\evil.example":               "/",
		"https://evil.example/":         "/",
		"/login":                        "/",
	} {
		r = f.post("/login", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"correct horse battery"}, "next": {next}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		require.Equal(t, want, r.header.Get("Location"), next)
	}
}
