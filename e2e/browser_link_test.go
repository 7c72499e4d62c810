package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/bienal/bienal/web/messages"
	"github.com/bienal/bienal/workflows"
)

// importAndExecute imports the example programme and waits until its nine
// activities are in execution, the state in which cycles give them tasks.
func (s *stack) importAndExecute() {
	s.t.Helper()
	s.bienal("programme", "import", example)
	eventually(s.t, "nine activities in execution", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE status = 'in_execution'") == 9
	})
}

// A focal point opens the link of their task invitation, writes the report
// and sends it: the task is submitted in Postgres and in its workflow, and
// the receipt reaches their mailbox.
func TestBrowserFocalPointSubmitsReport(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.importAndExecute()
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final",
		"--due", futureDay(40), "--closes", futureDay(70))
	invitation, link := s.waitForLink(0, "/tasks/")
	require.Len(t, invitation.To, 1)
	focal := invitation.To[0]

	b.open("1-task", link, "#submit")
	progress := "Se dictaron cuatro cursos; participación según lo previsto."
	b.do("fill in the report", append([]chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS("#status-on_track"))},
		typeIn("#progress", progress, "#results", "Two hundred officials trained.",
			"#difficulties", "None worth noting.", "#next_steps", "Evaluate the courses\nPublish the catalogue")...)...)
	b.shot("2-filled")
	b.submit("3-confirmation", "#submit", "#confirmation")
	require.NotEmpty(t, b.text("#confirmation"))

	var code, country string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT code, country FROM report_task
		WHERE biennium = '2017-2018' AND cycle = 'final' AND status = 'submitted'`).Scan(&code, &country),
		"exactly one task is submitted")
	var subID int64
	var status, gotProgress, by string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT id, status, progress, submitted_by
		FROM submission WHERE code = $1 AND country = $2`, code, country).Scan(&subID, &status, &gotProgress, &by))
	require.Equal(t, 1, s.count("SELECT count(*) FROM submission"))
	require.Equal(t, "on_track", status)
	require.Equal(t, progress, gotProgress, "the text typed, accents included, is stored as typed")
	require.Equal(t, focal, by)

	var state workflows.TaskState
	eventually(t, "the task's workflow reports it submitted", 60*time.Second, func() bool {
		v, err := s.client.QueryWorkflow(context.Background(),
			workflows.TaskID("2017-2018", "final", code, country), "", workflows.QueryState)
		return err == nil && v.Get(&state) == nil && state.Status == "submitted"
	})
	require.Equal(t, subID, state.SubmissionID)
	require.False(t, state.Late)

	receipt := s.waitForMailTo(focal, "receipt")
	parts, err := receipt.Parts()
	require.NoError(t, err)
	require.Contains(t, parts.Text, code)
}

// A committee member opens the vote request of a new proposal, approves it
// with a comment and sees the tally with their vote; the vote is stored.
func TestBrowserCommitteeMemberVotes(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.bienal("programme", "import", example)
	before := len(s.smtp.Messages())
	s.bienal("activity", "propose", "examples/proposal.yaml")
	request, link := s.waitForLink(before, "/vote/")
	require.Len(t, request.To, 1)
	member := request.To[0]

	b.open("1-proposal", link, "#vote")
	comment := "Plan sólido; apoyo la propuesta."
	b.do("fill in the vote", append([]chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS("#decision-approve"))}, typeIn("#comment", comment)...)...)
	b.shot("2-filled")
	b.submit("3-tally", "#vote", "#tally")
	tally := b.text("#tally ~ table")
	var name string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT name FROM person WHERE email = $1`, member).Scan(&name))
	require.Contains(t, tally, name, "the tally names who voted, not their address")
	require.NotContains(t, tally, member)
	require.Contains(t, tally, comment)

	require.Equal(t, 1, s.count(`SELECT count(*) FROM vote WHERE biennium = '2017-2018' AND code = 'G1A4'
		AND member = $1 AND decision = 'approve' AND comment = $2`, member, comment))
	require.Equal(t, 1, s.count("SELECT count(*) FROM vote"))
}

// A focal point opens the link of a call for proposals, fills in the form
// in Spanish with an English translation of the title and description, and
// sends it: the receipt page names the new activity, which is under review
// in Postgres with its workflow running, and each member of the committee
// is asked to vote on it in their language: the English title to the
// English reader, the Spanish original, said to be one, to the Portuguese.
func TestBrowserFocalPointProposesFromCall(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.bienal("programme", "import", example)
	before := len(s.smtp.Messages())
	s.bienal("call", "open", "--biennium", "2017-2018", "--closes", futureDay(30))
	invitation, link := s.waitForLink(before, "/l/")
	require.Len(t, invitation.To, 1)
	focal := invitation.To[0]
	var country, partner string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT country FROM focal_point
		WHERE biennium = '2017-2018' AND email = $1 ORDER BY country LIMIT 1`, focal).Scan(&country))
	require.NoError(t, s.pool.QueryRow(context.Background(),
		`SELECT code FROM country WHERE code <> $1 ORDER BY code LIMIT 1`, country).Scan(&partner))

	b.open("1-call", link, "#propose")
	title := "Red regional de laboratorios de datos abiertos"
	b.do("fill in the proposal", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#goal"), "1"),
		chromedp.SetValue(chromedp.CSS("#line_of_action"), "3"),
		chromedp.Click(chromedp.CSS("#participants-" + partner)),
		chromedp.SetValue(chromedp.CSS("#starts_on"), "2017-03-01"), // within the biennium
		chromedp.SetValue(chromedp.CSS("#ends_on"), "2018-06-30"),
		chromedp.SetValue(chromedp.CSS("#texts_language"), "es"),
		chromedp.Click(chromedp.CSS("#translations > summary"))},
		typeIn("#title", title, "#description", "Laboratorios compartidos que abren los datos públicos de la región.",
			"#expected_outputs", "Three laboratories\nOne shared catalogue",
			"#title_en", "Regional network of open data laboratories",
			"#description_en", "Shared laboratories that open public data of the region.")...)...)
	b.shot("2-filled")
	b.submit("3-receipt", "#propose", "#confirmation")

	var code, status, lead string
	var outputs []string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT code, status, lead_country, expected_outputs
		FROM activity WHERE biennium = '2017-2018' AND title = $1 AND proposed_by = $2`, title, focal).
		Scan(&code, &status, &lead, &outputs))
	require.Contains(t, []string{"proposed", "under_review"}, status)
	require.Equal(t, country, lead)
	require.Equal(t, []string{"Three laboratories", "One shared catalogue"}, outputs)
	require.Contains(t, b.text("#confirmation"), code)
	require.Contains(t, b.text("#mine ~ table"), title, "the page lists the focal point's proposals")
	require.Equal(t, 1, s.count(`SELECT count(*) FROM activity_country
		WHERE biennium = '2017-2018' AND code = $1 AND country = $2`, code, partner))

	eventually(t, "the proposal under review", 60*time.Second, func() bool {
		return s.count(`SELECT count(*) FROM activity WHERE biennium = '2017-2018' AND code = $1
			AND status = 'under_review'`, code) == 1
	})
	desc, err := s.client.DescribeWorkflowExecution(context.Background(), workflows.ActivityID("2017-2018", code), "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.WorkflowExecutionInfo.Status)
	receipt := s.waitForMailTo(focal, "proposal_receipt")
	require.Contains(t, receipt.Subject+string(receipt.Raw), code)
	require.Equal(t, 4, s.count(`SELECT count(*) FROM programme_text WHERE biennium = '2017-2018' AND subject = $1
		AND original_language = 'es' AND field IN ('title', 'description')`, "activity/"+code),
		"the title and description kept in Spanish and English")

	voteRequest := func(member string) string {
		var text string
		eventually(t, "the vote request to "+member, 60*time.Second, func() bool {
			return s.pool.QueryRow(context.Background(), `SELECT body_text FROM email WHERE kind = 'vote_request'
				AND recipient = $1 AND dedup_key LIKE $2`, member, "%/"+code+"/%").Scan(&text) == nil
		})
		return text
	}
	// The members of countries neither leading nor taking part (none is
	// recused), by language.
	members := map[string]string{}
	rows, err := s.pool.Query(context.Background(), `SELECT p.language, min(m.email) FROM committee_member m
		JOIN person p ON p.email = m.email WHERE m.biennium = '2017-2018' AND m.country NOT IN ($1, $2)
		GROUP BY p.language`, country, partner)
	require.NoError(t, err)
	var lang, email string
	_, err = pgx.ForEachRow(rows, []any{&lang, &email}, func() error { members[lang] = email; return nil })
	require.NoError(t, err)
	require.NotEmpty(t, members["es"])
	require.NotContains(t, voteRequest(members["es"]), "(original", "the original, to its own readers")
	if country != "JM" { // Jamaica's is the one English seat: recused when it leads
		en := voteRequest(members["en"])
		require.Contains(t, en, `"Regional network of open data laboratories"`)
		require.NotContains(t, en, title)
	}
	other := 0
	for _, lang := range []string{"pt", "fr"} {
		if m := members[lang]; m != "" {
			require.Contains(t, voteRequest(m), title+" ("+messages.OriginalNote(lang, "es")+")")
			other++
		}
	}
	require.Positive(t, other, "a member reads neither Spanish nor English")
}
