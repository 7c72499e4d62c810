package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// The e-mail log is paged and filtered by status, kind and a text of the
// recipient or subject; each message opens on a page of its own.
func TestEmailLogPagedAndFiltered(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	_, err := f.pool.Exec(context.Background(), `INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text, status)
		SELECT 'k' || i, CASE WHEN i % 3 = 0 THEN 'fp.mx@example.org' ELSE 'fp.cl@example.org' END, 'en',
			CASE WHEN i % 2 = 0 THEN 'reminder' ELSE 'task_invitation' END, 'Subject ' || i, 'Dear someone, text ' || i,
			CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'sent' END
		FROM generate_series(1, 120) AS i`)
	require.NoError(t, err)
	rows := regexp.MustCompile(`<tr id="email-\d+">`)

	r := f.get("/emails?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Len(t, rows.FindAllString(r.body, -1), 50, "one page")
	require.Contains(t, r.body, "120 messages · page 1 of 3")
	require.Contains(t, r.body, `<a href="/emails?page=2" rel="next" id="next-page">`)
	require.NotContains(t, r.body, `id="prev-page"`)
	require.Contains(t, r.body, "report requested", "kinds in words")

	r = f.get("/emails?page=3&lang=en", cookie)
	require.Len(t, rows.FindAllString(r.body, -1), 20)
	require.Contains(t, r.body, `<a href="/emails?page=2" rel="prev" id="prev-page">`)

	r = f.get("/emails?status=failed&kind=reminder&lang=en", cookie)
	require.Len(t, rows.FindAllString(r.body, -1), 12, "every tenth is failed, all of them even")
	require.Contains(t, r.body, `<option value="failed" selected>`)
	r = f.get("/emails?q=FP.MX&lang=en", cookie)
	require.Contains(t, r.body, "40 messages · page 1 of 1", "the text is matched in any case")
	r = f.get("/emails?q=Subject+7&kind=task_invitation&lang=en", cookie)
	require.Contains(t, r.body, "6 messages", "7, 71, 73, 75, 77, 79")
	r = f.get("/emails?status=bogus&page=-4&lang=en", cookie)
	require.Contains(t, r.body, "120 messages · page 1 of 3", "a bad filter or page is no filter")

	var id int64
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT id FROM email WHERE dedup_key = 'k7'`).Scan(&id))
	r = f.get(fmt.Sprintf("/emails/%d?lang=en", id), cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<h2 id="email-subject">Subject 7</h2>`)
	require.Contains(t, r.body, `<pre class="text" id="email-text">Dear someone, text 7</pre>`)
	require.Contains(t, r.body, `id="resend"`, "an invitation can be sent again")
	require.Equal(t, http.StatusNotFound, f.get("/emails/0", cookie).status)
	require.Equal(t, http.StatusNotFound, f.get("/emails/999999", cookie).status)
}

// An invitation is sent again as a new message with a fresh link, audited;
// the old link keeps working. A message that is no invitation, or whose
// task is over, is not.
func TestResendInvitation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	ctx := context.Background()
	queue := func(key, kind, subject string) int64 {
		ref, err := f.store.CreateMailLink(ctx, store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
		require.NoError(t, err)
		_, err = f.store.QueueEmail(ctx, store.Email{DedupKey: key, Recipient: "fp.cl@example.org", Language: "en", Kind: kind,
			Subject: subject, Text: "Report here: http://portal.example.org/l/" + ref, HTML: `<a href="http://portal.example.org/l/` + ref + `">Report</a>`})
		require.NoError(t, err)
		var id int64
		require.NoError(t, f.pool.QueryRow(ctx, `SELECT id FROM email WHERE dedup_key = $1`, key).Scan(&id))
		return id
	}
	id := queue("invitation/1", mail.KindTaskInvitation, "Report requested")
	csrf := f.formToken(fmt.Sprintf("/emails/%d", id), cookie)

	r := f.answered(f.post(fmt.Sprintf("/emails/%d/resend?lang=en", id), url.Values{"csrf": {csrf}}, cookie), cookie)
	require.Contains(t, r.body, fmt.Sprintf("This is a new copy of message %d, with a fresh personal link", id))
	var newID int64
	var text, oldText string
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT id, body_text FROM email WHERE dedup_key = $1`, fmt.Sprintf("resend/%d/1", id)).Scan(&newID, &text))
	require.NoError(t, f.pool.QueryRow(ctx, `SELECT body_text FROM email WHERE id = $1`, id).Scan(&oldText))
	require.NotEqual(t, oldText, text, "a fresh link")
	require.Regexp(t, `^Report here: http://portal\.example\.org/l/~link-\d+~$`, text)
	require.Equal(t, 2, f.count("link WHERE subject = '"+taskSubject+"' AND recipient = 'fp.cl@example.org' AND revoked_at IS NULL"),
		"the first link keeps working")
	require.Equal(t, 1, f.count(fmt.Sprintf("audit_log WHERE action = 'email_resent' AND actor = 'ana@example.org' AND subject = '%s' AND detail->>'email' = '%d'", taskSubject, id)))
	require.Contains(t, r.body, `<h2 id="email-subject">Report requested</h2>`, "the new message's page")

	f.answered(f.post(fmt.Sprintf("/emails/%d/resend?lang=en", id), url.Values{"csrf": {csrf}}, cookie), cookie)
	require.Equal(t, 1, f.count(fmt.Sprintf("email WHERE dedup_key = 'resend/%d/2'", id)), "a second resend is a second message")

	receipt := queue("receipt/1", mail.KindReceipt, "Report received")
	r = f.answered(f.post(fmt.Sprintf("/emails/%d/resend?lang=en", receipt), url.Values{"csrf": {csrf}}, cookie), cookie)
	require.Contains(t, r.body, "This message cannot be sent again")

	// The task waived: its links revoked by what closed it.
	_, err := f.store.RevokeLinks(ctx, taskSubject)
	require.NoError(t, err)
	before := f.count("email")
	r = f.answered(f.post(fmt.Sprintf("/emails/%d/resend?lang=en", id), url.Values{"csrf": {csrf}}, cookie), cookie)
	require.Contains(t, r.body, "This message cannot be sent again")
	require.Equal(t, before, f.count("email"), "nothing written")
	require.False(t, strings.Contains(r.body, `id="email-notice">This is a new copy`))
}

// The kinds that can be sent again are the invitations mail writes.
func TestResendKindsAreInvitations(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{mail.KindTaskInvitation, mail.KindVoteRequest, mail.KindCallForProposals}, store.ResendKinds)
}
