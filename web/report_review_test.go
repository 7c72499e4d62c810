package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation/evidencetest"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
	"github.com/bienal/bienal/workflows"
)

// A focal point saves a draft with two files, comes back to it, and sends
// it with one more file: the draft keeps texts and files without sending
// anything, the version carries all three, and the page after sending is a
// copy of what was sent, reached by a redirect.
func TestDraftThenSubmissionKeepsItsFiles(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, func(o *web.Options) { o.Receipt = activities.ComposeReceipt })
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	p := &portal{fixture: f, srv: srv}
	token := p.reportLink("CL")
	agenda, scan := evidencetest.PDF("agenda"), evidencetest.PNG()

	fields := [][2]string{{"csrf", p.formToken("/l/" + token)}, {"page_lang", "en"}, {"action", "draft"},
		{"progress", "Half written: two workshops so far."}}
	body, ct := multipartForm(t, fields, upload{"agenda.pdf", agenda}, upload{"photo.png", scan})
	r := p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "/l/"+token+"?draft=saved", r.header.Get("Location"))
	require.Zero(t, p.count("submission"), "a draft is not a submission")
	require.Equal(t, 2, p.count("draft_attachment"))
	require.Equal(t, 1, p.count("report_task WHERE country = 'CL' AND status = 'open'"), "the task still waits: reminders still go")
	require.Zero(t, p.count("email WHERE kind = 'receipt'"))

	page := p.get("/l/" + token + "?draft=saved")
	require.Contains(t, page.body, `id="draft-saved"`)
	require.Contains(t, page.body, ">Half written: two workshops so far.</textarea>")
	require.Regexp(t, `name="keep" value="[0-9]+" checked>\s*<label for="keep-[0-9]+">agenda\.pdf`, page.body)
	require.Regexp(t, `name="keep" value="[0-9]+" checked>\s*<label for="keep-[0-9]+">photo\.png`, page.body)
	again := p.get("/l/" + token)
	require.Contains(t, again.body, `id="draft-note"`, "reloading the link reopens the draft")

	sec := p.signIn()
	cycle := p.get("/cycles/2017-2018/mid", sec)
	require.Contains(t, cycle.body, `id="draft-A1-CL"`, "the secretariat sees that a draft is saved")
	require.NotContains(t, cycle.body, `id="draft-A1-MX"`, "and only where one is")
	require.NotContains(t, cycle.body, `id="request-A1-MX"`)
	require.NotContains(t, cycle.body, "0001-01-01")

	keep := keptIDs(t, page.body)
	require.Len(t, keep, 2)
	fields = append(reportFields(p.formToken("/l/"+token)), [2]string{"action", "submit"})
	for _, id := range keep {
		fields = append(fields, [2]string{"keep", id})
	}
	body, ct = multipartForm(t, fields, upload{"participants.txt", evidencetest.TXT()})
	r = p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, "/l/"+token+"/versions/1?sent=1", r.header.Get("Location"), "after sending, a redirect: Back never posts again")
	done := p.sent(r)
	require.Contains(t, done.body, `id="confirmation"`)
	require.Contains(t, done.body, `<p class="text" id="copy-progress">Two workshops held.</p>`)
	require.Regexp(t, `<ul id="attached"><li>agenda\.pdf \(PDF, [^)]+\)</li><li>photo\.png \(PNG, [^)]+\)</li><li>participants\.txt \(TXT, [^)]+\)</li></ul>`, done.body)
	require.Contains(t, done.body, "5 March 2026, 12:00 (UTC)", "the time, with its zone")
	require.Equal(t, 3, p.count("attachment"))
	require.Zero(t, p.count("task_draft"), "the draft is gone once sent")

	var text string
	require.NoError(t, p.pool.QueryRow(context.Background(),
		`SELECT body_text FROM email WHERE kind = 'receipt' AND recipient = 'fp.cl@example.org'`).Scan(&text))
	require.Contains(t, text, "Two workshops held.", "the receipt carries the text sent")
	require.Contains(t, text, "participants.txt", "and the list of files")

	// Drafts on a task that takes no report are refused, and change nothing.
	mx := p.reportLink("MX")
	mxToken := p.formToken("/l/" + mx)
	_, err := p.pool.Exec(context.Background(), `UPDATE report_task SET status = 'waived', waive_reason = 'x' WHERE country = 'MX'`)
	require.NoError(t, err)
	body, ct = multipartForm(t, [][2]string{{"csrf", mxToken}, {"action", "draft"}, {"progress", "late"}})
	r = p.send(t, http.MethodPost, "/l/"+mx+"/report", body, ct)
	require.Equal(t, http.StatusConflict, r.status)
	require.Zero(t, p.count("task_draft"))
}

// keptIDs reads the file IDs a report page offers to keep.
func keptIDs(t *testing.T, body string) []string {
	t.Helper()
	var ids []string
	for _, m := range keepBox.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// From the link, a focal point asks for more time; a request without a
// date is refused beside the date field and asks nothing of the workflow.
func TestExtensionRequestFromTheLink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.link("report", taskSubject, "fp.cl@example.org", now.AddDate(0, 1, 0))
	page := f.get("/l/" + token)
	require.Contains(t, page.body, `action="/l/`+token+`/extension"`)

	r := f.post("/l/"+token+"/extension", url.Values{"csrf": {f.formToken("/l/" + token)}, "request_reason": {"elections"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `id="until-error"`)
	require.Empty(t, f.temporal.sent(), "nothing asked of the workflow")

	r = f.post("/l/"+token+"/extension", url.Values{"csrf": {f.formToken("/l/" + token)}, "until": {"2026-04-10"},
		"request_reason": {"elections"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	sent := f.temporal.sent()
	require.Len(t, sent, 1)
	require.Equal(t, workflows.UpdateRequestExtension, sent[0].Name)
	require.Equal(t, workflows.ExtensionRequest{Until: "2026-04-10", Reason: "elections", By: f.personID("fp.cl@example.org")}, sent[0].Arg)
}

// The secretariat's page of a task asks the workflow to accept or clarify;
// a clarification without its reason, or refused for its date, is shown
// beside the field at fault.
func TestSecretariatReviewsFromTheTaskPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sec := f.signIn()
	token := f.link("report", taskSubject, "fp.cl@example.org", now.AddDate(0, 1, 0))
	require.Equal(t, http.StatusSeeOther, f.post("/l/"+token+"/report", goodReport(f.formToken("/l/"+token))).status)

	path := "/cycles/2017-2018/mid/tasks/A1/CL"
	page := f.get(path, sec)
	require.Equal(t, http.StatusOK, page.status, page.body)
	require.Contains(t, page.body, `id="version-1"`)
	require.Contains(t, page.body, `action="`+path+`/clarify"`)
	csrf := csrfField.FindStringSubmatch(page.body)[1]

	r := f.post(path+"/clarify", url.Values{"csrf": {csrf}, "clarify_due": {"2026-04-01"}}, sec)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `id="clarify_reason-error"`)

	f.temporal.refusal = workflows.RefusalError("due_in_past", "due: 2026-03-01 is before today", false)
	r = f.post(path+"/clarify", url.Values{"csrf": {csrf}, "clarify_reason": {"add output 2"}, "clarify_due": {"2026-03-01"}}, sec)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `<p class="error" id="clarify_due-error">La nueva fecha límite debe ser hoy o posterior.</p>`, "beside the date, in the user's language")
	f.temporal.refusal = nil

	before := len(f.temporal.sent())
	r = f.post(path+"/accept", url.Values{"csrf": {csrf}, "accept_comment": {"Thank you."}}, sec)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	require.Equal(t, path+"?done=1", r.header.Get("Location"))
	sent := f.temporal.sent()[before:]
	require.Len(t, sent, 1)
	require.Equal(t, workflows.UpdateAccept, sent[0].Name)
	require.Equal(t, workflows.AcceptReport{Comment: "Thank you.", By: f.personID("ana@example.org")}, sent[0].Arg)
	require.Contains(t, f.get(path+"?done=1", sec).body, `id="done"`)
}

var keepBox = regexp.MustCompile(`name="keep" value="([0-9]+)" checked`)
