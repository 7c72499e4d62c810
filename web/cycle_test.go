package web_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/workflows"
)

func TestCyclePageExtendWaiveClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	r := f.get("/cycles/2017-2018/mid?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<label for="until-A1-CL">New due date <span class="required">(required)</span></label>`)
	csrf := f.formToken("/cycles/2017-2018/mid", cookie)
	extend := "/cycles/2017-2018/mid/tasks/A1/CL/extend?lang=en"

	r = f.answered(f.post(extend, url.Values{"csrf": {csrf}, "until": {"2026-02-30"}, "reason": {"Elections"}}, cookie), cookie)
	require.Contains(t, r.body, `<p class="error" id="until-A1-CL-error">Please write a date as YYYY-MM-DD.</p>`)
	require.Contains(t, r.body, `<tr id="row-A1-CL" class="marked">`, "the row of the form is marked")
	require.Contains(t, r.body, `<li><a href="#until-A1-CL">New due date: Please write a date as YYYY-MM-DD.</a></li>`,
		"the error summary at the form links to the field")
	require.Contains(t, r.body, `<details id="actions-A1-CL" open>`)
	r = f.answered(f.post(extend, url.Values{"csrf": {csrf}, "until": {"2026-04-10"}, "reason": {""}}, cookie), cookie)
	require.Contains(t, r.body, `id="reason-A1-CL-error">This field is required.`)
	// The task's workflow judges the dates; its refusal is shown beside the field.
	f.temporal.refusal = workflows.RefusalError("after_close_date", "until: 2030-01-01 is after the cycle's closing date 2026-04-30", false)
	r = f.answered(f.post(extend, url.Values{"csrf": {csrf}, "until": {"2030-01-01"}, "reason": {"Elections"}}, cookie), cookie)
	require.Contains(t, r.body, `id="until-A1-CL-error">The new due date must not be after the cycle closes.`)
	require.Equal(t, 1, f.count("audit_log WHERE action = 'signal_refused' AND subject = 'task/2017-2018/mid/A1/CL' AND detail->>'reason' = 'after_close_date'"),
		"a refusal before admission is audited by the operation")
	f.temporal.refusal = workflows.RefusalError("already_submitted", "", false)
	r = f.answered(f.post("/cycles/2017-2018/mid/tasks/A1/CL/waive?lang=pt", url.Values{"csrf": {csrf}, "waive_reason": {"x"}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `<p class="error-summary error" role="alert" tabindex="-1" autofocus id="notice-A1-CL">O relatório desta tarefa já foi enviado`,
		"a refusal is shown on the task's row, in the language of the form")
	f.temporal.refusal = nil
	f.temporal.reset()
	r = f.answered(f.post("/cycles/2017-2018/mid/tasks/A1/CL/waive?lang=en", url.Values{"csrf": {csrf}, "waive_reason": {" "}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="waive_reason-A1-CL-error">This field is required.`)
	r = f.post(extend, url.Values{"csrf": {"forged.token"}, "until": {"2026-04-10"}, "reason": {"Elections"}}, cookie)
	require.Equal(t, http.StatusForbidden, r.status)
	require.Empty(t, f.temporal.sent(), "no refused form sends anything")

	r = f.answered(f.post(extend, url.Values{"csrf": {csrf}, "until": {"2026-04-10"}, "reason": {"Elections"}}, cookie), cookie)
	require.Contains(t, r.body, `<tr id="row-A1-CL" class="marked">`)
	require.Contains(t, r.body, `id="notice-A1-CL">The due date is now 10 April 2026; the focal points are sent the new date.</p>`,
		"the extension is confirmed on its row")

	// Waiving and closing ask first, on a page of their own.
	waive := "/cycles/2017-2018/mid/tasks/A1/MX/waive"
	r = f.get(waive+"?lang=en&waive_reason=No+activity+there", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "<h1>Waive this report?</h1>")
	require.Contains(t, r.body, "Activity A1, Mexico, reporting cycle mid: open, due 1 March 2026.")
	require.Contains(t, r.body, `<button type="submit" class="danger" id="confirm">Yes, waive the report</button>`)
	require.Contains(t, r.body, `<a href="/cycles/2017-2018/mid#task-A1-MX" id="cancel">`)
	require.Contains(t, r.body, "No activity there</textarea>", "the reason typed on the row is there to check")
	csrf2 := csrfField.FindStringSubmatch(r.body)[1]
	r = f.post(waive, url.Values{"csrf": {csrf2}, "waive_reason": {"No activity there"}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, "a waiver not confirmed is asked first")
	require.Equal(t, waive+"?waive_reason=No+activity+there", r.header.Get("Location"))
	require.Len(t, f.temporal.sent(), 1, "and does nothing")
	r = f.answered(f.post(waive+"?lang=en", url.Values{"csrf": {csrf2}, "waive_reason": {"No activity there"}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="notice-A1-MX">The country was released from this report`)

	r = f.get("/cycles/2017-2018/mid/close?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "<h1>Close this reporting cycle now?</h1>")
	require.Contains(t, r.body, "The 2 tasks still awaited will be marked missing")
	csrf3 := csrfField.FindStringSubmatch(r.body)[1]
	r = f.post("/cycles/2017-2018/mid/close", url.Values{"csrf": {csrf3}}, cookie)
	require.Equal(t, "/cycles/2017-2018/mid/close", r.header.Get("Location"), "a close not confirmed is asked first")
	r = f.answered(f.post("/cycles/2017-2018/mid/close?lang=en", url.Values{"csrf": {csrf3}, "confirm": {"yes"}}, cookie), cookie)
	require.Contains(t, r.body, `id="cycle-notice">The cycle is being closed`)
	sent := f.temporal.sent()
	require.Len(t, sent, 3)
	require.Equal(t, workflows.TaskID("2017-2018", "mid", "A1", "CL"), sent[0].WorkflowID)
	require.Equal(t, workflows.UpdateExtend, sent[0].Name)
	require.Equal(t, workflows.ExtendSignal{Until: "2026-04-10", Reason: "Elections", By: f.personID("ana@example.org")}, sent[0].Arg)
	require.Equal(t, workflows.WaiveSignal{Reason: "No activity there", By: f.personID("ana@example.org")}, sent[1].Arg)
	require.Equal(t, workflows.CycleID("2017-2018", "mid"), sent[2].WorkflowID)
	require.Equal(t, workflows.CloseSignal{By: f.personID("ana@example.org")}, sent[2].Arg)
}

func TestOpenCycleAndCallFromDashboard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	csrf := f.formToken("/", cookie)
	r := f.post("/cycles?lang=en", url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"}, "cycle_due": {"soon"}}, cookie)
	require.Regexp(t, `^/\?form=[A-Za-z0-9_-]{22}&lang=en$`, r.header.Get("Location"), "back at the dashboard")
	r = f.answered(r, cookie)
	require.Contains(t, r.body, `id="cycle_due-error">Please write a date as YYYY-MM-DD.`)
	summary := strings.Index(r.body, `id="cycle-errors"`)
	require.Greater(t, summary, strings.Index(r.body, `<h2 id="new-cycle-title">`), "the summary is at the cycle form")
	require.Less(t, summary, strings.Index(r.body, `<form method="post" action="/cycles"`))
	require.NotContains(t, r.body, `id="call-errors"`, "and not at the call form")
	f.temporal.markRunning(workflows.CycleID("2017-2018", "mid"))
	r = f.answered(f.post("/cycles?lang=en", url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"mid"}, "cycle_due": {"2026-06-01"}}, cookie), cookie)
	require.Contains(t, r.body, "A cycle with this name already exists.")
	require.Equal(t, 1, f.count("reporting_cycle"))
	require.Empty(t, f.temporal.starts())

	r = f.post("/cycles", url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"},
		"cycle_title": {"Final"}, "cycle_due": {"2026-06-01"}, "cycle_closes": {"2026-07-01"}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.True(t, strings.HasPrefix(r.header.Get("Location"), "/cycles/2017-2018/final?form="), r.header.Get("Location"))
	starts := f.temporal.starts()
	require.Len(t, starts, 1)
	require.Equal(t, workflows.CycleID("2017-2018", "final"), starts[0].Options.ID)
	require.Equal(t, workflows.CycleInput{Biennium: "2017-2018", Name: "final"}, starts[0].Args[0])

	r = f.answered(f.post("/calls?lang=en", url.Values{"csrf": {csrf}, "call_biennium": {"2017-2018"}, "call_closes": {"2020-01-01"}}, cookie), cookie)
	require.Contains(t, r.body, `id="call_closes-error">This date has already passed.`)
	summary = strings.Index(r.body, `id="call-errors"`)
	require.Greater(t, summary, strings.Index(r.body, `<h2 id="new-call-title">`), "the call form's summary is above the call form")
	require.NotContains(t, r.body, `id="cycle-errors"`)
	require.Zero(t, f.count("email"))
	r = f.post("/calls", url.Values{"csrf": {csrf}, "call_biennium": {"2017-2018"}, "call_closes": {"2026-05-01"}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, 2, f.count("email WHERE kind = 'call_for_proposals'"))
	require.Equal(t, 2, f.count("link WHERE purpose = 'propose'"))
	r = f.post("/calls", url.Values{"csrf": {csrf}, "call_biennium": {"2017-2018"}, "call_closes": {"2026-05-01"}}, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, "a double click lands on the same page")
	require.Equal(t, 1, f.count("call_for_proposals"), "and opens one call")
	require.Equal(t, 2, f.count("email WHERE kind = 'call_for_proposals'"), "e-mailing each focal point once")
}

// A cycle whose workflow cannot start is not left half open: the row is
// undone, the page says so, and the same form sent again opens it.
func TestOpenCycleWithTemporalAwayOpensNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	csrf := f.formToken("/", cookie)
	form := url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"}, "cycle_due": {"2026-06-01"}}
	f.temporal.startErr = errors.New("connection refused")
	r := f.post("/cycles?lang=en", form, cookie)
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	require.Contains(t, r.body, "The cycle could not be started just now, so it was not opened.")
	require.Zero(t, f.count("reporting_cycle WHERE name = 'final'"))

	f.temporal.startErr = nil
	r = f.post("/cycles?lang=en", form, cookie)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, 1, f.count("reporting_cycle WHERE name = 'final'"))
	require.Len(t, f.temporal.starts(), 1)

	r = f.answered(f.post("/cycles?lang=en", url.Values{"csrf": {csrf}, "cycle_biennium": {"1999-2000"}, "cycle_name": {"x"}, "cycle_due": {"2026-06-01"}}, cookie), cookie)
	require.Contains(t, r.body, `id="cycle_biennium-error">No programme of this biennium is imported.`)
}

func TestActivityPageAndReports(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	r := f.get("/activities/2017-2018/A1?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Digital agenda")
	require.Contains(t, r.body, `<h2 id="timeline">Timeline</h2>`)
	r = f.get("/activities/2017-2018/ZZ", cookie)
	require.Equal(t, http.StatusNotFound, r.status)

	types := map[string]string{"html": "text/html", "md": "text/markdown", "csv": "text/csv"}
	for format, ct := range types {
		r = f.get("/cycles/2017-2018/mid/report."+format, cookie)
		require.Equal(t, http.StatusOK, r.status, format)
		require.Contains(t, r.header.Get("Content-Type"), ct)
		require.Contains(t, r.body, "A1", "every activity is in the %s report", format)
	}
	r = f.get("/cycles/2017-2018/mid/report.odt", cookie)
	require.Equal(t, http.StatusNotFound, r.status)
	r = f.get("/cycles/2017-2018/mid/report.csv")
	require.Equal(t, http.StatusSeeOther, r.status, "reports are behind the login")
}
