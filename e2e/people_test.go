package e2e

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/bienal/bienal/workflows"
)

// linkTo waits for a message to recipient whose text carries a link of the
// portal under prefix, and returns the link.
func (s *stack) linkTo(recipient, prefix string) string {
	s.t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.baseURL+prefix) + `[A-Za-z0-9_-]+`)
	var link string
	eventually(s.t, "a link to "+prefix+" for "+recipient, mailTimeout, func() bool {
		for _, m := range s.smtp.Messages() {
			if !strings.Contains(strings.Join(m.To, ","), recipient) {
				continue
			}
			parts, err := m.Parts()
			require.NoError(s.t, err)
			if l := re.FindString(parts.Text); l != "" {
				link = l
				return true
			}
		}
		return false
	})
	return link
}

// page gets a portal page and returns its status and body.
func page(t *testing.T, link string) (int, string) {
	t.Helper()
	resp, err := http.Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// addresses finds e-mail addresses in a text.
var addresses = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}`)

// payloadData finds the payloads of an event as protojson writes them:
// their data in base64.
var payloadData = regexp.MustCompile(`"data":\s*"([A-Za-z0-9+/=]*)"`)

// historyJSON is a workflow's history as `temporal workflow show` shows it,
// event by event: each event's JSON followed by its payloads decoded, the
// way the CLI prints them.
func (s *stack) historyJSON(workflowID string) []string {
	s.t.Helper()
	it := s.client.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []string
	payloads := 0
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(s.t, err)
		b, err := protojson.Marshal(ev)
		require.NoError(s.t, err)
		text := string(b)
		for _, m := range payloadData.FindAllStringSubmatch(text, -1) {
			data, err := base64.StdEncoding.DecodeString(m[1])
			require.NoError(s.t, err)
			text += "\n" + string(data)
			payloads++
		}
		out = append(out, text)
	}
	require.Positive(s.t, payloads, "the history's payloads are read")
	return out
}

// People change while a cycle is open and a vote runs: the secretariat
// replaces Argentina's focal point and its seat's delegate, each with the
// note verbale that announced it. The new focal point gets Argentina's open
// tasks and reports through the new link, while the old link says, in the
// old focal point's Spanish, that it was passed on; the new delegate's vote
// replaces the old delegate's and the tally counts the seat once; a
// delegation sends Chile's next reminder to the delegate; the audit log
// holds every step with its reference; and no address is in the review's
// workflow history.
func TestPeopleChangeWhileACycleAndAVoteRun(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.importAndExecute()
	due := time.Now().UTC().AddDate(0, 0, 40)
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final", "--due", due.Format(time.DateOnly),
		"--closes", futureDay(70))
	oldTask := s.linkTo("focal.ar@example.org", "/tasks/")
	s.bienal("activity", "propose", "examples/proposal.yaml")
	eventually(t, "round 1 open", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 1
	})
	s.bienal("vote", "2017-2018/G1A4", "--member", "committee.ar@example.org", "--decision", "reject",
		"--comment", "Not yet", "--vote-id", "e2e-old-ar")

	out := s.bienal("focal-point", "replace", "AR", "--to", "nueva.ar@example.org", "--name", "Nueva Focal",
		"--language", "pt", "--time-zone", "America/Argentina/Buenos_Aires", "--reference", "Nota verbal 1/2027", "--by", "sec@example.org")
	require.Contains(t, out, "focal point of AR: focal.ar@example.org replaced by nueva.ar@example.org")
	out = s.bienal("committee", "replace", "AR", "--to", "nuevo.ar@example.org", "--name", "Nuevo Delegado",
		"--language", "en", "--time-zone", "America/Argentina/Buenos_Aires", "--reference", "Nota verbal 2/2027", "--by", "sec@example.org")
	require.Contains(t, out, "handed over  activity/2017-2018/G1A4")
	_, errOut, err := s.run("", "committee", "replace", "AR", "--to", "nuevo.ar@example.org", "--name", "Nuevo Delegado",
		"--language", "en", "--time-zone", "America/Argentina/Buenos_Aires")
	require.Error(t, err, "the same person again is refused")
	require.Contains(t, errOut, "--to nuevo.ar@example.org is the principal of AR already")

	// The new focal point reports through the link they were sent.
	newTask := s.linkTo("nueva.ar@example.org", "/tasks/")
	status, body := page(t, newTask)
	require.Equal(t, http.StatusOK, status, body)
	m := csrfInput.FindStringSubmatch(body)
	require.NotNil(t, m)
	token := newTask[strings.LastIndex(newTask, "/")+1:]
	resp, err := http.PostForm(s.baseURL+"/l/"+token+"/report", url.Values{"csrf": {m[1]}, "status": {"on_track"},
		"progress": {"Relatório da nova ponto focal."}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, 1, s.count(`SELECT count(*) FROM submission WHERE country = 'AR' AND submitted_by = 'nueva.ar@example.org'`))
	status, body = page(t, oldTask)
	require.Equal(t, http.StatusGone, status)
	require.Contains(t, body, "otra persona pasó a ocupar su función", "the old focal point is told in Spanish")

	// The new delegate's vote replaces the old one's: one vote for the seat.
	s.bienal("vote", "2017-2018/G1A4", "--member", "nuevo.ar@example.org", "--decision", "approve", "--vote-id", "e2e-new-ar")
	require.Equal(t, 1, s.count(`SELECT count(*) FROM vote WHERE code = 'G1A4' AND seat = 'AR'`))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM vote WHERE code = 'G1A4' AND seat = 'AR' AND member = 'nuevo.ar@example.org' AND decision = 'approve'`))
	_, errOut, err = s.run("", "vote", "2017-2018/G1A4", "--member", "committee.ar@example.org", "--decision", "reject")
	require.Error(t, err, "the old delegate casts nothing any more")
	require.Contains(t, errOut, "not on roster")
	var st workflows.ActivityState
	v, err := s.client.QueryWorkflow(ctx, workflows.ActivityID("2017-2018", "G1A4"), "", workflows.QueryState)
	require.NoError(t, err)
	require.NoError(t, v.Get(&st))
	require.Len(t, st.Votes, 1, "the tally counts the seat once")
	require.Equal(t, "AR", st.Votes[0].Seat)
	require.Equal(t, workflows.DecisionApprove, st.Votes[0].Decision)

	// Chile's focal point is away: the next reminder goes to the delegate too.
	s.bienal("delegation", "add", "focal.cl@example.org", "--to", "deputy.cl@example.org", "--name", "Deputy Chile",
		"--language", "en", "--time-zone", "America/Santiago", "--from", futureDay(0), "--until", futureDay(35), "--reason", "Leave")
	sweep := due.AddDate(0, 0, -14)
	for sweep.Weekday() == time.Saturday || sweep.Weekday() == time.Sunday {
		sweep = sweep.AddDate(0, 0, 1)
	}
	at := time.Date(sweep.Year(), sweep.Month(), sweep.Day(), 15, 0, 0, 0, time.UTC)
	s.bienal("reminders", "sweep", "--now", at.Format(time.RFC3339))
	deputy := s.waitForMailTo("deputy.cl@example.org", "reminder")
	parts, err := deputy.Parts()
	require.NoError(t, err)
	require.Contains(t, parts.Text, "on behalf of Camila Rojas")
	require.Equal(t, 1, s.count(`SELECT count(*) FROM email WHERE kind = 'reminder' AND recipient = 'focal.cl@example.org'`), "the copy to the person")

	// The audit log holds each step, with its reference.
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'focal_point_replaced' AND subject = 'country/AR'
		AND actor = 'sec@example.org' AND detail->>'reference' = 'Nota verbal 1/2027'`))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'delegate_replaced' AND subject = 'country/AR'
		AND detail->>'reference' = 'Nota verbal 2/2027'`))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'readdressed' AND subject = 'activity/2017-2018/G1A4'
		AND detail->>'reference' = 'Nota verbal 2/2027'`))
	require.Positive(t, s.count(`SELECT count(*) FROM audit_log WHERE action = 'readdressed' AND subject LIKE 'task/2017-2018/final/%/AR'
		AND detail->>'reference' = 'Nota verbal 1/2027'`))
	require.Equal(t, 2, s.count(`SELECT count(*) FROM audit_log WHERE action = 'vote_counted' AND subject = 'activity/2017-2018/G1A4'
		AND actor IN ('committee.ar@example.org', 'nuevo.ar@example.org')`), "each vote attributed to who cast it")
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'delegation_created' AND subject = 'person/focal.cl@example.org'`))

	// The secretariat extends and waives Argentina's other tasks: the
	// payloads name the person who acted by ID, the audit log by address.
	_, errOut, err = s.run("s3cret-passw0rd-long\n", "user", "add", "--email", "sec@example.org")
	require.NoError(t, err, errOut)
	var submitted string
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT code FROM submission WHERE country = 'AR' AND submitted_by = 'nueva.ar@example.org'`).Scan(&submitted))
	rows, err := s.pool.Query(ctx, `SELECT code FROM report_task WHERE biennium = '2017-2018' AND cycle = 'final' AND country = 'AR'
		AND code <> $1 ORDER BY code`, submitted)
	require.NoError(t, err)
	others, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(others), 2, "Argentina has other tasks in the cycle")
	s.bienal("cycle", "extend", "2017-2018/final", "--activity", others[0], "--country", "AR",
		"--until", due.AddDate(0, 0, 7).Format(time.DateOnly), "--reason", "Change of focal point", "--by", "sec@example.org")
	s.bienal("cycle", "waive", "2017-2018/final", "--activity", others[1], "--country", "AR",
		"--reason", "Not carried out", "--by", "sec@example.org")
	_, errOut, err = s.run("", "cycle", "waive", "2017-2018/final", "--activity", others[0], "--country", "AR",
		"--reason", "Not carried out", "--by", "nobody@example.org")
	require.Error(t, err, "an address the directory does not know is refused")
	require.Contains(t, errOut, "nobody@example.org")
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'task_submitted'
		AND subject = 'task/2017-2018/final/`+submitted+`/AR' AND actor = 'nueva.ar@example.org'`))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'task_extended'
		AND subject = 'task/2017-2018/final/`+others[0]+`/AR' AND actor = 'sec@example.org'`))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM extension WHERE code = $1 AND country = 'AR' AND granted_by = 'sec@example.org'`, others[0]))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'task_waived'
		AND subject = 'task/2017-2018/final/`+others[1]+`/AR' AND actor = 'sec@example.org'`))

	// No address in the histories of the review, of Argentina's tasks
	// and of the cycle, payloads included.
	for _, id := range []string{workflows.ActivityID("2017-2018", "G1A4"),
		workflows.TaskID("2017-2018", "final", submitted, "AR"), workflows.TaskID("2017-2018", "final", others[0], "AR"),
		workflows.TaskID("2017-2018", "final", others[1], "AR"), workflows.CycleID("2017-2018", "final")} {
		history := s.historyJSON(id)
		for _, ev := range history {
			require.Empty(t, addresses.FindAllString(ev, -1), "an address in the history of %s: %s", id, ev)
		}
		if id == workflows.ActivityID("2017-2018", "G1A4") {
			require.Contains(t, strings.Join(history, "\n"), `"seat":"AR"`, "the decoded payloads are searched")
		} else if strings.HasPrefix(id, "task/") {
			require.Regexp(t, `"by":"p-[0-9a-f]{20}"`, strings.Join(history, "\n"), "who acted is named by ID in %s", id)
		}
	}
	s.saveHistory("activity-delegate-replaced", workflows.ActivityID("2017-2018", "G1A4"))
}
