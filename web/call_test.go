package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
	"github.com/bienal/bienal/workflows"
)

// signIn logs a secretariat user in and returns the session cookie.
func (f *fixture) signIn() *http.Cookie {
	f.t.Helper()
	require.NoError(f.t, f.store.SetPassword(context.Background(), "ana@example.org", "Ana", "secretariat", "correct horse battery"))
	csrf := f.formToken("/login")
	r := f.post("/login", url.Values{"csrf": {csrf}, "email": {"ana@example.org"}, "password": {"correct horse battery"}})
	require.Equal(f.t, http.StatusSeeOther, r.status, r.body)
	return sessionCookie(f.t, r)
}

func TestCallForProposals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c, err := f.store.OpenCall(ctx, "2017-2018", now.AddDate(0, 1, 0), "ana@example.org", now, mail.CallInvitation("http://portal.example.org"))
	require.NoError(t, err)
	require.Equal(t, 2, c.Invited)
	require.Equal(t, 2, f.count("email WHERE kind = 'call_for_proposals'"), "one e-mail per focal point")
	// The stored message holds a placeholder; its token is minted when it is claimed for sending.
	claimed, err := f.store.ClaimEmails(ctx, time.Now().Add(time.Second), 10, time.Minute)
	require.NoError(t, err)
	var text string
	for _, e := range claimed {
		if e.Recipient == "fp.cl@example.org" {
			text = e.Fill(e.Text)
		}
	}
	require.Contains(t, text, "Dear Focal Chile", "in the focal point's language")
	i := strings.Index(text, "http://portal.example.org/l/")
	require.GreaterOrEqual(t, i, 0, text)
	path := strings.Fields(text[i+len("http://portal.example.org"):])[0]

	r := f.get(path)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<label for="participants-MX">Mexico</label>`)
	csrf := f.formToken(path)
	good := url.Values{"csrf": {csrf}, "goal": {"1"}, "line_of_action": {"1"}, "title": {"Open data"},
		"description": {"Shared portal"}, "participants": {"MX"}, "expected_outputs": {"Portal\n\nGuide"},
		"starts_on": {"2017-03-01"}, "ends_on": {"2018-06-30"}}
	bad := map[string]func(url.Values){
		"goal":      func(v url.Values) { v.Set("goal", "9") },
		"ends_on":   func(v url.Values) { v.Set("ends_on", "2018-13-40") },
		"title":     func(v url.Values) { v.Set("title", strings.Repeat("x", web.MaxTitle+1)) },
		"starts_on": func(v url.Values) { v.Set("starts_on", "") },
	}
	for field, spoil := range bad {
		v := url.Values{}
		for k, vs := range good {
			v[k] = vs
		}
		spoil(v)
		r = f.answered(f.post(path+"/propose", v))
		require.Contains(t, r.body, `id="`+field+`-error"`, field)
	}
	require.Equal(t, 1, f.count("activity"), "a refused proposal stores nothing")
	require.Empty(t, f.temporal.starts())

	for range 2 {
		r = f.answered(f.post(path+"/propose", good))
		require.Contains(t, r.body, "G1P1")
	}
	a, err := f.store.GetActivity(ctx, "2017-2018", "G1P1")
	require.NoError(t, err)
	require.EqualValues(t, "proposed", a.Status)
	require.Equal(t, "CL", a.LeadCountry)
	require.Equal(t, []string{"MX"}, a.Participants)
	require.Equal(t, []string{"Portal", "Guide"}, a.ExpectedOutputs)
	starts := f.temporal.starts()
	require.Len(t, starts, 1, "a retried form asks for the same workflow, which Temporal refuses to start twice")
	require.Equal(t, workflows.ActivityID("2017-2018", "G1P1"), starts[0].Options.ID)
	require.Equal(t, workflows.ActivityWorkflowName, starts[0].Workflow)
	require.Equal(t, workflows.ActivityInput{Biennium: "2017-2018", Code: "G1P1"}, starts[0].Args[0])
	require.Equal(t, 1, f.count("email WHERE kind = 'proposal_receipt'"))
	r = f.get(path)
	require.Contains(t, r.body, "Open data", "the link shows the proposals sent")
}

func TestRevisionAndCompletion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `UPDATE activity SET status = 'changes_requested', round = 1, version = 1, description = 'Old' WHERE code = 'A1'`)
	require.NoError(t, err)
	token := f.link(store.PurposeRevise, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(240*time.Hour))
	r := f.get("/revise/" + token)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Revise a proposal")
	csrf := f.formToken("/l/" + token)
	form := url.Values{"csrf": {csrf}, "title": {"Digital agenda"}, "description": {"New"}, "starts_on": {"2017-01-01"}, "ends_on": {"2016-01-01"}}
	r = f.answered(f.post("/l/"+token+"/revise", form))
	require.Contains(t, r.body, "This date is before the start date.")
	require.Empty(t, f.temporal.sent())
	form.Set("ends_on", "2018-01-01")
	r = f.answered(f.post("/l/"+token+"/revise", form))
	require.Contains(t, r.body, "Your revised proposal goes back to the committee.")
	sent := f.temporal.sent()
	require.Len(t, sent, 1)
	require.Equal(t, workflows.SignalRevise, sent[0].Name)
	require.Equal(t, workflows.ReviseSignal{RevisionID: "2", By: f.personID("fp.cl@example.org")}, sent[0].Arg)

	_, err = f.pool.Exec(ctx, `UPDATE activity SET status = 'in_execution' WHERE code = 'A1'`)
	require.NoError(t, err)
	token = f.link(store.PurposeComplete, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(240*time.Hour))
	csrf = f.formToken("/l/" + token)
	r = f.answered(f.post("/l/"+token+"/complete", url.Values{"csrf": {csrf}, "statement": {" "}}))
	require.Contains(t, r.body, `id="statement-error"`)
	require.Len(t, f.temporal.sent(), 1)
	r = f.answered(f.post("/l/"+token+"/complete", url.Values{"csrf": {csrf}, "statement": {"Done as planned."}}))
	require.Contains(t, r.body, `id="confirmation"`)
	sent = f.temporal.sent()
	require.Len(t, sent, 2)
	require.Equal(t, workflows.CompleteSignal{By: f.personID("fp.cl@example.org"), Statement: "Done as planned."}, sent[1].Arg)
}

// While a call is open, the dashboard opens no second one: the same call
// sent again lands on the same page, another closing day is refused beside
// the field, and nobody is mailed twice.
func TestCallAlreadyOpen(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	open := func(closes string) response {
		return f.post("/calls?lang=en", url.Values{"csrf": {f.formToken("/", cookie)}, "call_biennium": {"2017-2018"},
			"call_closes": {closes}}, cookie)
	}
	r := open("2026-05-01")
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	r = f.answered(open("2026-05-01"), cookie)
	require.Contains(t, r.body, `id="call-opened">The call for proposals of 2017-2018 is open until 1 May 2026`,
		"the same call from another form is the call open")
	r = f.answered(open("2026-06-01"), cookie)
	require.Contains(t, r.body, `id="call_closes-error">A call for proposals of this biennium is already open`)
	r = f.answered(open("2027-06-01"), cookie)
	require.Contains(t, r.body, `id="call_closes-error">This date is outside the period allowed here.`, "more than a year ahead")
	require.Equal(t, 1, f.count("call_for_proposals"))
	require.Equal(t, 2, f.count("email WHERE kind = 'call_for_proposals'"))
}

// A proposal whose workflow cannot start is kept, with its receipt, and
// the page says it is received: the scheduler starts its review, and the
// same form sent again starts it too, under the same code.
func TestProposalWithTemporalAwayIsReceived(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, nil)
	path := f.callLink()
	form := goodProposal(f.formToken(path))
	f.temporal.startErr = errors.New("connection refused")
	r := f.answered(f.post(path+"/propose?lang=en", form))
	require.Contains(t, r.body, "G1P1")
	require.NotContains(t, r.body, "send the same form again")
	require.Equal(t, 1, f.count("activity WHERE code = 'G1P1' AND status = 'proposed'"))
	require.Equal(t, 1, f.count("email WHERE kind = 'proposal_receipt'"))

	// The scheduler's step starts what is still proposed a minute on.
	f.temporal.startErr = nil
	ops := &operations.Service{Store: s, Temporal: f.temporal, Now: func() time.Time { return time.Now().Add(2 * time.Minute) }}
	started, err := ops.StartProposals(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, started)
	require.Len(t, f.temporal.starts(), 1)
	require.Equal(t, workflows.ActivityID("2017-2018", "G1P1"), f.temporal.starts()[0].Options.ID)

	r = f.answered(f.post(path+"/propose?lang=en", form))
	require.Contains(t, r.body, "G1P1", "sent again, the same proposal is the one received")
	require.Len(t, f.temporal.starts(), 1, "sent again, the same proposal starts nothing more")
	require.Equal(t, 2, f.count("activity"), "A1 and the one proposal")
}
