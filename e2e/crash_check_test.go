package e2e

import (
	"context"
	"strings"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/workflows"
)

// checkInvariants waits for the system to settle, then checks that nothing
// was lost or doubled and that Temporal and Postgres agree.
func (cs *crashStack) checkInvariants(phase string, led *ledger) {
	cs.t.Helper()
	cs.settle(phase, led)
	cs.checkTasks(phase, led)
	cs.checkActivities(phase)
	require.Equal(cs.t, len(led.votes), cs.count("SELECT count(*) FROM vote WHERE code = 'G1A4'"), "%s: votes counted once", phase)
	require.Equal(cs.t, len(led.submitted), cs.count("SELECT count(*) FROM submission WHERE cycle = 'crash'"), "%s: one submission per report sent", phase)
	require.Zero(cs.t, cs.count("SELECT count(*) FROM submission WHERE cycle = 'crash' AND NOT counted"), "%s: every submission counted", phase)
	dup, lost, flagged := cs.checkEmails(phase)
	require.Zero(cs.t, dup, "%s: duplicate e-mails without the flag", phase)
	require.Zero(cs.t, lost, "%s: e-mails lost", phase)
	var dups []string
	rows, err := cs.pool.Query(context.Background(), `SELECT subject || ' ' || action || ' ' || detail::text
		FROM audit_log GROUP BY subject, action, detail HAVING count(*) > 1`)
	require.NoError(cs.t, err)
	for rows.Next() {
		var d string
		require.NoError(cs.t, rows.Scan(&d))
		dups = append(dups, d)
	}
	require.NoError(cs.t, rows.Err())
	require.Empty(cs.t, dups, "%s: one audit row per state change", phase)
	cs.t.Logf("%s: invariants hold (%d submissions, %d votes, %d e-mail resends flagged)", phase, len(led.submitted), len(led.votes), flagged)
}

// settle waits until every submission sent is in its task's row and every
// e-mail row is sent. A message still queued for a retry has its next
// attempt moved to now: the test stands for the minute of backoff passing.
func (cs *crashStack) settle(phase string, led *ledger) {
	eventually(cs.t, phase+": submitted tasks stored", 3*time.Minute, func() bool {
		return cs.count("SELECT count(*) FROM report_task WHERE cycle = 'crash' AND status = 'submitted'") == len(led.submitted)
	})
	if cs.count("SELECT count(*) FROM reporting_cycle WHERE name = 'crash' AND status = 'closed'") > 0 {
		// The cycle's notice is written after its close (a cycle closes
		// itself once every report is accepted, or the secretariat closes
		// it): wait for it, or the e-mail check races the notice.
		eventually(cs.t, phase+": cycle-closed notice queued", 3*time.Minute, func() bool {
			return cs.count("SELECT count(*) FROM email WHERE kind = 'cycle_closed'") > 0
		})
	}
	eventually(cs.t, phase+": every e-mail sent", 3*time.Minute, func() bool {
		_, err := cs.pool.Exec(context.Background(), "UPDATE email SET next_attempt_at = now() WHERE status = 'queued' AND next_attempt_at > now()")
		require.NoError(cs.t, err)
		return cs.count("SELECT count(*) FROM email WHERE status <> 'sent'") == 0
	})
}

// checkTasks compares each task's workflow state with its row and with what
// the test sent.
func (cs *crashStack) checkTasks(phase string, led *ledger) {
	rows, err := cs.pool.Query(context.Background(), "SELECT biennium, cycle, code, country, status FROM report_task WHERE cycle = 'crash'")
	require.NoError(cs.t, err)
	type row struct{ b, c, code, country, status string }
	var all []row
	for rows.Next() {
		var r row
		require.NoError(cs.t, rows.Scan(&r.b, &r.c, &r.code, &r.country, &r.status))
		all = append(all, r)
	}
	require.NoError(cs.t, rows.Err())
	for _, r := range all {
		key := r.b + "/" + r.c + "/" + r.code + "/" + r.country
		want := "open"
		if led.submitted[key] {
			want = "submitted"
		}
		require.Equal(cs.t, want, r.status, "%s: row of %s", phase, key)
		// The row is written with the submission; the workflow learns of it
		// through a signal and an activity that may be retrying after a fault.
		var st workflows.TaskState
		for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(time.Second) {
			cs.query(workflows.TaskID(r.b, r.c, r.code, r.country), &st)
			if string(st.Status) == r.status || time.Now().After(deadline) {
				break
			}
		}
		require.EqualValues(cs.t, r.status, st.Status, "%s: workflow state of %s", phase, key)
	}
}

// checkActivities compares each activity's workflow state with its row.
func (cs *crashStack) checkActivities(phase string) {
	rows, err := cs.pool.Query(context.Background(), "SELECT biennium, code, status FROM activity")
	require.NoError(cs.t, err)
	type row struct{ b, code, status string }
	var all []row
	for rows.Next() {
		var r row
		require.NoError(cs.t, rows.Scan(&r.b, &r.code, &r.status))
		all = append(all, r)
	}
	require.NoError(cs.t, rows.Err())
	for _, r := range all {
		require.Equal(cs.t, "in_execution", r.status, "%s: activity %s", phase, r.code)
		var st workflows.ActivityState
		cs.query(workflows.ActivityID(r.b, r.code), &st)
		require.EqualValues(cs.t, r.status, st.Status, "%s: workflow state of activity %s", phase, r.code)
	}
}

func (cs *crashStack) query(id string, into any) {
	var err error
	for range 20 { // a query needs a worker, which may be starting
		var v interface{ Get(any) error }
		if v, err = cs.client.QueryWorkflow(context.Background(), id, "", workflows.QueryState); err == nil {
			require.NoError(cs.t, v.Get(into))
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	require.NoError(cs.t, err, "query %s", id)
}

// checkEmails matches every sent row with what the SMTP server received, by
// Message-ID: it returns unflagged duplicates, rows never received, and
// flagged resends.
func (cs *crashStack) checkEmails(phase string) (dup, lost, flagged int) {
	got := map[string]int{}
	for _, m := range cs.smtp.Messages() {
		got[strings.Trim(m.MessageID, "<>")]++
	}
	rows, err := cs.pool.Query(context.Background(), "SELECT dedup_key, resent_after_unknown FROM email")
	require.NoError(cs.t, err)
	defer rows.Close()
	for rows.Next() {
		var key string
		var resent bool
		require.NoError(cs.t, rows.Scan(&key, &resent))
		switch n := got[mail.MessageID(key)]; {
		case n == 0:
			lost++
			cs.t.Logf("%s: e-mail %s never received", phase, key)
		case n > 1 && resent:
			flagged++
		case n > 1:
			dup++
			cs.t.Logf("%s: e-mail %s received %d times, not flagged", phase, key, n)
		}
	}
	require.NoError(cs.t, rows.Err())
	return dup, lost, flagged
}

// logFigures reports workflows completed and started, kills survived and
// e-mail figures.
func (cs *crashStack) logFigures(led *ledger) {
	var started, completed int
	var token []byte
	for {
		resp, err := cs.client.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: cs.cfg.TemporalNamespace, PageSize: 1000, NextPageToken: token})
		require.NoError(cs.t, err)
		for _, e := range resp.Executions {
			started++
			if e.Status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED || e.Status == enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW {
				completed++
			}
		}
		if token = resp.NextPageToken; len(token) == 0 {
			break
		}
	}
	dup, lost, flagged := cs.checkEmails("figures")
	cs.t.Logf("FIGURES workflows completed/started: %d/%d; kills survived: %d; e-mails: %d rows, %d received, %d resends flagged, %d duplicates unflagged; lost items: %d; submissions: %d; votes: %d",
		completed, started, cs.kills, cs.count("SELECT count(*) FROM email"), len(cs.smtp.Messages()), flagged, dup, lost, len(led.submitted), len(led.votes))
}
