package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// The secretariat replaces Chile's focal point from the directory: a bad
// address is refused beside its field with what was typed kept; then the
// replacement is made, the page says so, the new focal point is e-mailed,
// and the old one's link answers, in their language, that it was passed on.
func TestDirectoryReplacesAFocalPoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	oldLink := f.link(store.PurposeReport, "task/2017-2018/mid/A1/CL", "fp.cl@example.org", now.AddDate(0, 1, 0))
	cookie := f.signIn()
	r := f.get("/directory", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Focal Chile &lt;fp.cl@example.org&gt;")
	csrf := f.formToken("/directory", cookie)
	form := url.Values{"csrf": {csrf}, "biennium": {"2017-2018"}, "country": {"CL"}, "role": {"focal_point"},
		"email": {"bea@cl"}, "name": {"Beatriz Rojas"}, "language": {"es"}, "time_zone": {"America/Santiago"},
		"reference": {"Nota verbal 12/2026"}}
	r = f.post("/directory/replace?lang=en", form, cookie)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `id="replace-email-error"`, "the error beside the address of the form sent")
	require.Contains(t, r.body, "Write one e-mail address")
	require.Contains(t, r.body, `value="Beatriz Rojas"`, "what was typed is kept")
	require.Equal(t, 1, f.count("focal_point WHERE country = 'CL'"))

	form.Set("email", "bea@cl.example.org")
	form.Set("csrf", f.formToken("/directory", cookie))
	r = f.post("/directory/replace?lang=en", form, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	r = f.get(r.header.Get("Location")+"&lang=en", cookie)
	require.Contains(t, r.body, "Person replaced")
	require.Contains(t, r.body, "Beatriz Rojas &lt;bea@cl.example.org&gt;")
	require.Equal(t, 1, f.count("email WHERE kind = 'handover' AND recipient = 'bea@cl.example.org'"))
	require.Equal(t, 1, f.count("audit_log WHERE action = 'focal_point_replaced' AND actor = 'ana@example.org' AND detail->>'reference' = 'Nota verbal 12/2026'"))

	r = f.get("/tasks/" + oldLink)
	require.Equal(t, http.StatusGone, r.status, r.body)
	require.Contains(t, r.body, "someone else took over your role for this item", "in the old focal point's language, English")
	require.Contains(t, r.body, "<h1>This link was passed on</h1>")
}

// Deactivating a country with an open task is refused with the task named.
func TestDirectoryRefusesToDeactivateACountryWithOpenTasks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	r := f.post("/directory/country-deactivate?lang=en", url.Values{"csrf": {f.formToken("/directory", cookie)},
		"biennium": {"2017-2018"}, "country": {"MX"}}, cookie)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `id="deactivate-MX-error"`)
	require.Contains(t, r.body, "task/2017-2018/mid/A1/MX", "the refusal lists the open items")
	require.Equal(t, 1, f.count("country WHERE code = 'MX' AND active"))
}

// A replacement announced for a day to come is kept in the directory's
// list of scheduled changes, changing nothing yet, and can be cancelled
// there; a second cancel (another tab) is refused beside the list.
func TestDirectorySchedulesAndCancelsAReplacement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	oldLink := f.link(store.PurposeReport, "task/2017-2018/mid/A1/CL", "fp.cl@example.org", now.AddDate(0, 1, 0))
	cookie := f.signIn()
	day := now.AddDate(0, 0, 10).Format(time.DateOnly)
	form := url.Values{"csrf": {f.formToken("/directory", cookie)}, "biennium": {"2017-2018"}, "country": {"CL"},
		"role": {"focal_point"}, "email": {"bea@cl.example.org"}, "name": {"Beatriz Rojas"}, "language": {"es"},
		"time_zone": {"America/Santiago"}, "effective": {day}, "reference": {"Nota verbal 13/2026"}}
	r := f.post("/directory/replace?lang=en", form, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	r = f.get(r.header.Get("Location")+"&lang=en", cookie)
	require.Contains(t, r.body, "Replacement scheduled: it is made on its effective day")
	require.Contains(t, r.body, "Focal point, Chile: fp.cl@example.org → Beatriz Rojas &lt;bea@cl.example.org&gt;")
	require.Contains(t, r.body, "Waiting for its day")
	require.Equal(t, 0, f.count("focal_point WHERE email = 'bea@cl.example.org'"), "nothing changes before the day")
	require.Equal(t, http.StatusOK, f.get("/tasks/"+oldLink).status, "the old link still works")

	var id string
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT id::text FROM scheduled_replacement`).Scan(&id))
	cancel := url.Values{"csrf": {f.formToken("/directory", cookie)}, "biennium": {"2017-2018"}, "id": {id}}
	r = f.post("/directory/replacement-cancel?lang=en", cancel, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	r = f.get(r.header.Get("Location")+"&lang=en", cookie)
	require.Contains(t, r.body, "Scheduled change cancelled")
	require.NotContains(t, r.body, "Waiting for its day")
	require.Equal(t, 1, f.count("audit_log WHERE action = 'replacement_cancelled' AND actor = 'ana@example.org'"))

	cancel.Set("csrf", f.formToken("/directory", cookie))
	r = f.post("/directory/replacement-cancel?lang=en", cancel, cookie)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `id="replacement-cancel-id"`)
	require.Contains(t, r.body, "No scheduled change with this number is waiting")
}
