package web_test

import (
	"net/http"
	"strings"

	"github.com/stretchr/testify/require"
)

// answered follows the redirect a secretariat form answers with
// (Post/Redirect/Get) and returns the page it lands on, which shows the
// answer: what was done, or what to correct.
func (f *fixture) answered(r response, cookies ...*http.Cookie) response {
	f.t.Helper()
	require.Equal(f.t, http.StatusSeeOther, r.status, "a form's answer is a redirect: %s", r.body)
	loc := r.header.Get("Location")
	require.Contains(f.t, loc, "form=", "the page redirected to shows the answer")
	loc, _, _ = strings.Cut(loc, "#")
	page := f.get(loc, cookies...)
	require.Equal(f.t, http.StatusOK, page.status, page.body)
	return page
}
