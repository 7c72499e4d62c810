package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/workflows"
)

// linkInvalid is the heading of a link that opens nothing, in the language
// of the page (the recipient's when the token is genuine); link_dead_test.go
// checks each reason's page.
var linkInvalid = regexp.MustCompile(`<h1>(This link (is incomplete|is not recognised|has expired|was withdrawn|opens nothing here)|Este enlace (está incompleto|no se reconoce)|Este link (expirou|não abre nada aqui))</h1>`)

func goodReport(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "status": {"on_track"}, "progress": {"Two workshops held."},
		"results": {"A draft agenda."}, "difficulties": {""}, "next_steps": {"Publish it."}}
}

func TestBadLinksOpenNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	good := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	csrf := f.formToken("/l/" + good)

	expired := f.link(store.PurposeReport, "task/2017-2018/mid/A1/MX", "fp.mx@example.org", now.Add(-time.Minute))
	revokedSubject := "task/2017-2018/mid/A1/XX"
	revoked := f.link(store.PurposeReport, revokedSubject, "fp.cl@example.org", now.Add(time.Hour))
	_, err := f.store.RevokeLinks(ctx, revokedSubject)
	require.NoError(t, err)
	// Valid tokens used for what they do not grant.
	otherRecipient := f.link(store.PurposeReport, taskSubject, "fp.mx@example.org", now.Add(time.Hour))
	otherPurpose := f.link(store.PurposeVote, taskSubject, "fp.cl@example.org", now.Add(time.Hour))
	flip := "A"
	if good[20] == 'A' {
		flip = "B"
	}
	tampered := good[:20] + flip + good[21:]

	cases := map[string]string{
		"expired": expired, "revoked": revoked, "tampered": tampered, "truncated": good[:len(good)-1],
		"another recipient": otherRecipient, "another purpose": otherPurpose, "garbage": "%00%ff<script>",
	}
	for name, token := range cases {
		// A link that was and no longer is is gone; any other, not found.
		status := http.StatusNotFound
		if name == "expired" || name == "revoked" {
			status = http.StatusGone
		}
		r := f.get("/l/" + token)
		require.Equal(t, status, r.status, name)
		require.Regexp(t, linkInvalid, r.body, name)
		r = f.post("/l/"+token+"/report", goodReport(csrf))
		require.Equal(t, status, r.status, name)
		require.Regexp(t, linkInvalid, r.body, name)
	}
	// HEAD and GET of a good link change nothing either.
	require.Equal(t, http.StatusOK, f.do(httptestRequest(http.MethodHead, "/l/"+good)).status)
	f.requireUnchanged()
}

func TestReportRefusesBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	path := "/l/" + token + "/report"
	csrf := f.formToken("/l/" + token)

	// A cross-site POST, by Sec-Fetch-Site and by Origin.
	req := postRequest(path, goodReport(csrf))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r := f.do(req)
	require.Equal(t, http.StatusForbidden, r.status)
	require.Contains(t, r.body, "Este formulario fue enviado desde otro sitio")
	req = postRequest(path, goodReport(csrf))
	req.Header.Del("Sec-Fetch-Site")
	req.Header.Set("Origin", "https://evil.example.com")
	require.Equal(t, http.StatusForbidden, f.do(req).status)

	// A form token from another link, or none.
	other := f.link(store.PurposeReport, "task/2017-2018/mid/A1/MX", "fp.mx@example.org", now.Add(time.Hour))
	for _, bad := range []string{"", f.formToken("/l/" + other), csrf + "x"} {
		r = f.post(path, goodReport(bad))
		require.Equal(t, http.StatusForbidden, r.status)
		require.Contains(t, r.body, "This form has expired", "the recipient reads English")
	}

	// A body over the limit.
	form := goodReport(csrf)
	form.Set("progress", strings.Repeat("a", 2<<20))
	r = f.post(path, form)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	require.Contains(t, r.body, "The form is too large")

	fieldCases := []struct{ field, value, want string }{
		{"results", strings.Repeat("é", store.MaxReportText+1), "This text is too long (at most 20000 characters)."},
		{"difficulties", "bad \xff\xfe bytes", "This text contains invalid characters."},
		{"status", "finished", "Please choose one of the options."},
		{"progress", "   ", "This field is required."},
	}
	for _, c := range fieldCases {
		form := goodReport(csrf)
		form.Set(c.field, c.value)
		r = f.post(path, form)
		require.Equal(t, http.StatusUnprocessableEntity, r.status, c.field)
		require.Contains(t, r.body, `id="`+c.field+`-error">`+c.want, c.field)
		require.Contains(t, r.body, "Nothing was saved.", c.field)
	}
	f.requireUnchanged()
}

func TestReportSubmittedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	page := f.get("/l/" + token + "?lang=fr")
	require.Contains(t, page.body, "Rapport sur une activité")
	require.Contains(t, page.body, `<label for="progress">Avancement</label>`)
	csrf := f.formToken("/l/" + token)

	var wg sync.WaitGroup
	statuses := make([]int, 20)
	bodies := make([]string, 20)
	for i := range 20 {
		wg.Go(func() {
			r := f.post("/l/"+token+"/report", goodReport(csrf))
			if r.status == http.StatusSeeOther {
				r = f.sent(r)
			}
			statuses[i], bodies[i] = r.status, r.body
		})
	}
	wg.Wait()
	for i := range 20 {
		require.Equal(t, http.StatusOK, statuses[i], bodies[i])
		require.Contains(t, bodies[i], "Your report was recorded")
	}
	require.Equal(t, 1, f.count("submission"))
	var id int64
	var progress, by string
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT id, progress, submitted_by FROM submission`).Scan(&id, &progress, &by))
	require.Equal(t, "Two workshops held.", progress)
	require.Equal(t, "fp.cl@example.org", by)
	sent := f.temporal.sent()
	require.Len(t, sent, 1)
	require.Equal(t, sentSignal{WorkflowID: workflows.TaskID("2017-2018", "mid", "A1", "CL"), Name: workflows.SignalSubmit,
		Arg: workflows.SubmitSignal{SubmissionID: id, By: f.personID("fp.cl@example.org")}}, sent[0])

	// The page now lists the version sent, and a fresh form is a new answer.
	r := f.get("/l/" + token)
	require.Contains(t, r.body, `/versions/1">Version 1</a>`)
	require.Equal(t, http.StatusSeeOther, f.post("/l/"+token+"/report", goodReport(f.formToken("/l/"+token))).status)
	require.Equal(t, 2, f.count("submission"))
	require.Len(t, f.temporal.sent(), 2)
}

func httptestRequest(method, path string) *http.Request {
	req, _ := http.NewRequest(method, path, nil)
	req.RemoteAddr = "192.0.2.1:1234"
	return req
}

// A report stored while Temporal is away is the focal point's all the same:
// the page says it is recorded (no "send again"), and the scheduler's job
// tells the task's workflow once Temporal is back.
func TestReportStoredWhileTemporalIsAwayIsRecorded(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, nil)
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	f.temporal.signalErr = errors.New("connection refused")
	r := f.sent(f.post("/l/"+token+"/report", goodReport(f.formToken("/l/"+token))))
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Your report was recorded")
	require.NotContains(t, r.body, "send the same form again")
	require.Equal(t, 1, f.count("submission WHERE counted"))
	require.Empty(t, f.temporal.sent())

	f.temporal.signalErr = nil
	ops := &operations.Service{Store: s, Temporal: f.temporal, Now: func() time.Time { return time.Now().Add(2 * time.Minute) }}
	told, err := ops.TellSubmissions(context.Background(), f.temporal)
	require.NoError(t, err)
	require.Equal(t, 1, told)
	sent := f.temporal.sent()
	require.Len(t, sent, 1)
	require.Equal(t, workflows.SignalSubmit, sent[0].Name)
	require.Equal(t, workflows.TaskID("2017-2018", "mid", "A1", "CL"), sent[0].WorkflowID)

	// Once the workflow has recorded it (its audit line), it is not told again.
	id := sent[0].Arg.(workflows.SubmitSignal).SubmissionID
	require.NoError(t, s.Audit(context.Background(), fmt.Sprintf("task-submitted/%d", id), "fp.cl@example.org",
		"task/2017-2018/mid/A1/CL", "task_submitted", map[string]any{}))
	told, err = ops.TellSubmissions(context.Background(), f.temporal)
	require.NoError(t, err)
	require.Zero(t, told)
}
