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

// A NUL byte cannot be stored in PostgreSQL text, and other control
// characters hide text from readers: every form of the portal refuses them
// beside the field, in the page's language, and stores nothing; the same
// form without the character goes through.
func TestControlCharactersRefusedInEveryForm(t *testing.T) {
	t.Parallel()
	const ptControl = "Este texto contém um caractere de controle"
	const enControl = "This text contains a control character"
	const esControl = "Este texto contiene un carácter de control"

	t.Run("vote", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		token := f.openRound(now.Add(7 * 24 * time.Hour))
		csrf := f.formToken("/l/" + token)
		for _, bad := range []string{"sound\x00plan", "sound\x1bplan", "sound\u0085plan"} {
			r := f.post("/l/"+token+"/vote", url.Values{"csrf": {csrf}, "decision": {"approve"}, "comment": {bad}})
			require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
			require.Contains(t, r.body, `<p class="error" id="comment-error">`+ptControl, "the member reads Portuguese")
			require.Contains(t, r.body, "sound\uFFFDplan", "the text is kept, the character marked")
		}
		require.Empty(t, f.temporal.sent())
		require.Zero(t, f.count("form_use"))
		r := f.post("/l/"+token+"/vote", url.Values{"csrf": {csrf}, "decision": {"approve"}, "comment": {"sound\tplan\r\nyes"}})
		require.Equal(t, http.StatusOK, r.status, "tab and newline are text: %s", r.body)
		require.Len(t, f.temporal.sent(), 1)
	})

	t.Run("report", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
		csrf := f.formToken("/l/" + token)
		for _, field := range []string{"progress", "results", "difficulties", "next_steps"} {
			form := goodReport(csrf)
			form.Set(field, "held\x00")
			r := f.post("/l/"+token+"/report", form)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, field)
			require.Contains(t, r.body, `<p class="error" id="`+field+`-error">`+enControl, field)
			f.requireUnchanged()
		}
		r := f.post("/l/"+token+"/report", goodReport(csrf))
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
	})

	t.Run("proposal", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		path := f.callLink()
		csrf := f.formToken(path)
		for _, field := range []string{"title", "description", "expected_outputs"} {
			form := goodProposal(csrf)
			form.Set(field, "Open\x00data")
			r := f.answered(f.post(path+"/propose", form))
			require.Contains(t, r.body, `<p class="error" id="`+field+`-error">`+enControl, field)
		}
		for _, field := range []string{"starts_on", "goal", "participants"} {
			form := goodProposal(csrf)
			form.Set(field, form.Get(field)+"\x00")
			r := f.answered(f.post(path+"/propose", form))
			require.Contains(t, r.body, `id="`+field+`-error"`, field)
		}
		require.Equal(t, 1, f.count("activity"), "a refused proposal stores nothing")
		require.Empty(t, f.temporal.starts())
		r := f.answered(f.post(path+"/propose", goodProposal(csrf)))
		require.Contains(t, r.body, `id="confirmation"`)
	})

	t.Run("revision and completion", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		_, err := f.pool.Exec(context.Background(), `UPDATE activity SET status = 'changes_requested', round = 1, version = 1 WHERE code = 'A1'`)
		require.NoError(t, err)
		token := f.link(store.PurposeRevise, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(240*time.Hour))
		csrf := f.formToken("/l/" + token)
		form := url.Values{"csrf": {csrf}, "title": {"Digital agenda"}, "description": {"New\x07"}, "starts_on": {"2017-01-01"}, "ends_on": {"2018-01-01"}}
		r := f.answered(f.post("/l/"+token+"/revise", form))
		require.Contains(t, r.body, `<p class="error" id="description-error">`+enControl)
		var version int
		require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT version FROM activity WHERE code = 'A1'`).Scan(&version))
		require.Equal(t, 1, version, "no new version stored")
		require.Zero(t, f.count("form_use"))

		_, err = f.pool.Exec(context.Background(), `UPDATE activity SET status = 'in_execution' WHERE code = 'A1'`)
		require.NoError(t, err)
		token = f.link(store.PurposeComplete, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(240*time.Hour))
		csrf = f.formToken("/l/" + token)
		r = f.answered(f.post("/l/"+token+"/complete", url.Values{"csrf": {csrf}, "statement": {"Done\x00"}}))
		require.Contains(t, r.body, `<p class="error" id="statement-error">`+enControl)
		require.Empty(t, f.temporal.sent())
		require.Zero(t, f.count("form_use"))
	})

	t.Run("cycle page", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		cookie := f.signIn()
		csrf := f.formToken("/cycles/2017-2018/mid", cookie)
		base := "/cycles/2017-2018/mid/tasks/A1/CL/"
		cases := []struct{ action, id string }{
			{"extend", "reason-A1-CL"}, {"waive", "waive_reason-A1-CL"}, {"revoke", "revoke_reason-A1-CL"},
		}
		for _, c := range cases {
			form := url.Values{"csrf": {csrf}, "until": {"2026-04-10"}, "reason": {"Elections\x00"},
				"waive_reason": {"Elections\x00"}, "revoke_reason": {"Elections\x00"}, "confirm": {"yes"}}
			r := f.answered(f.post(base+c.action, form, cookie), cookie)
			require.Contains(t, r.body, `<p class="error" id="`+c.id+`-error">`+esControl, c.action)
		}
		for _, action := range []string{"waive", "revoke"} {
			r := f.get(base+action+"?"+action+"_reason=Elections%00", cookie)
			require.Contains(t, r.body, `<p class="error" id="`+action+`_reason-error">`+esControl, "the confirmation page refuses it too")
			require.NotContains(t, r.body, `id="confirm"`, "and offers nothing to confirm")
		}
		r := f.answered(f.post(base+"extend", url.Values{"csrf": {csrf}, "until": {"2026-04-10\x00"}, "reason": {"Elections"}}, cookie), cookie)
		require.Contains(t, r.body, `id="until-A1-CL-error">Escriba la fecha como AAAA-MM-DD.`)
		require.Empty(t, f.temporal.sent())
		require.Zero(t, f.count("form_use"))
		require.Zero(t, f.count("audit_log WHERE action = 'links_revoked'"))
	})

	t.Run("cycle and call from the dashboard", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		cookie := f.signIn()
		csrf := f.formToken("/", cookie)
		good := url.Values{"csrf": {csrf}, "cycle_biennium": {"2017-2018"}, "cycle_name": {"final"},
			"cycle_title": {"Final"}, "cycle_due": {"2026-06-01"}, "cycle_closes": {"2026-07-01"}}
		for _, field := range []string{"cycle_name", "cycle_title"} {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(field, form.Get(field)+"\x00")
			r := f.answered(f.post("/cycles?lang=en", form, cookie), cookie)
			require.Contains(t, r.body, `<p class="error" id="`+field+`-error">`+enControl, field)
		}
		r := f.answered(f.post("/calls?lang=en", url.Values{"csrf": {csrf}, "call_biennium": {"2017-2018"}, "call_closes": {"2026-05-01\x00"}}, cookie), cookie)
		require.Contains(t, r.body, `id="call_closes-error">Please write a date as YYYY-MM-DD.`)
		r = f.answered(f.post("/calls?lang=en", url.Values{"csrf": {csrf}, "call_biennium": {"2017-2018\x00"}, "call_closes": {"2026-05-01"}}, cookie), cookie)
		require.Contains(t, r.body, `id="call_biennium-error"`)
		require.Equal(t, 1, f.count("reporting_cycle"))
		require.Zero(t, f.count("call_for_proposals"))
		require.Empty(t, f.temporal.starts())
	})

	t.Run("login", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		require.NoError(t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
		csrf := f.formToken("/login")
		r := f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org\x00"}, "password": {"correct horse battery"}})
		require.Equal(t, http.StatusUnauthorized, r.status, r.body)
		require.Contains(t, r.body, `<p class="error" id="email-error">`+enControl)
		r = f.post("/login?lang=en", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"correct\x00horse battery"}})
		require.Equal(t, http.StatusUnauthorized, r.status, r.body)
		require.Zero(t, f.count("login_failure"), "a refused field is no attempt")
		require.Zero(t, f.count("web_session"))
		r = f.post("/login", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"correct horse battery"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
	})
}

// callLink opens a call for proposals and returns the path of Chile's link.
func (f *fixture) callLink() string {
	f.t.Helper()
	token := f.link(store.PurposePropose, store.CallRef("2017-2018"), "fp.cl@example.org", now.Add(30*24*time.Hour))
	return "/l/" + token
}

func goodProposal(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "goal": {"1"}, "line_of_action": {"1"}, "title": {"Open data"},
		"description": {"Shared portal"}, "participants": {"MX"}, "expected_outputs": {"Portal\n\nGuide"},
		"starts_on": {"2017-03-01"}, "ends_on": {"2018-06-30"}}
}
