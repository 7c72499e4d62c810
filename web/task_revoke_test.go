package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// The secretariat revokes a task's links: the focal point's link stops
// opening the task, the audit log says who and why; without a reason
// nothing changes.
func TestSecretariatRevokesATasksLinks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	token := f.link(store.PurposeReport, "task/2017-2018/mid/A1/CL", "fp.cl@example.org", now.Add(30*24*time.Hour))
	require.Equal(t, http.StatusOK, f.get("/l/"+token).status)
	csrf := f.formToken("/cycles/2017-2018/mid", cookie)
	revoke := "/cycles/2017-2018/mid/tasks/A1/CL/revoke?lang=en"

	r := f.answered(f.post(revoke, url.Values{"csrf": {csrf}, "revoke_reason": {" "}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="revoke_reason-A1-CL-error">This field is required.`)
	require.Equal(t, http.StatusOK, f.get("/l/"+token).status, "a refused form revokes nothing")

	r = f.answered(f.post(revoke, url.Values{"csrf": {csrf}, "revoke_reason": {"Sent to the wrong address"}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="notice-A1-CL">1 personal links to this task were revoked`)
	require.Equal(t, http.StatusGone, f.get("/l/"+token).status)
	require.Equal(t, 1, f.count("audit_log WHERE action = 'links_revoked' AND subject = 'task/2017-2018/mid/A1/CL' AND actor = 'ana@example.org'"))

	// Again: every link is already revoked, and the page says so.
	r = f.answered(f.post(revoke, url.Values{"csrf": {csrf}, "revoke_reason": {"Sent to the wrong address"}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="revoke_reason-A1-CL-error">No personal link to this task is live: nothing was revoked.`)
	require.Equal(t, 1, f.count("audit_log WHERE action = 'links_revoked'"), "a refused revoke writes no audit line")

	// A task never sent a link.
	r = f.answered(f.post("/cycles/2017-2018/mid/tasks/A1/MX/revoke?lang=en", url.Values{"csrf": {csrf}, "revoke_reason": {"Left office"}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="revoke_reason-A1-MX-error">No personal link to this task is live`)
}
