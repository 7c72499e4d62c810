package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/metrics"
	"github.com/bienal/bienal/workflows"
)

// An activity whose workflow was terminated shows as such, counts as
// unhealthy, and `bienal repair` starts it again from Postgres with the
// votes already cast; the next votes decide the round.
func TestRepairBringsATerminatedActivityBackWithItsVotes(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.bienal("programme", "import", example)
	s.bienal("activity", "propose", "examples/proposal.yaml")
	s.voteAll(2, "approve", "1")
	eventually(t, "two votes stored", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM vote WHERE code = 'G1A4'") == 2
	})
	id := workflows.ActivityID("2017-2018", "G1A4")
	require.NoError(t, s.client.TerminateWorkflow(ctx, id, "", "operator error"))

	out := s.bienal("activity", "show", "2017-2018/G1A4")
	require.Contains(t, out, "is terminated but should be running: bienal repair "+id)
	var view struct {
		Unhealthy string `json:"unhealthy"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.bienal("activity", "show", "2017-2018/G1A4", "--json")), &view))
	require.Equal(t, "terminated", view.Unhealthy)
	health := &metrics.WorkflowHealth{Store: s.store, Client: s.client}
	reg := metrics.New()
	reg.Register(health)
	require.Contains(t, scrape(t, reg), `bienal_workflows_unhealthy{kind="activity"} 1`)

	require.Contains(t, s.bienal("repair", id, "--reason", "terminated by mistake"), "restarted "+id+" (it was terminated)")
	require.Equal(t, 1, s.count("SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'workflow_repaired'", id))
	require.Contains(t, s.bienal("repair", id), "is running: nothing to repair")

	eventually(t, "the restarted workflow holds both votes", 20*time.Second, func() bool {
		v, err := s.client.QueryWorkflow(ctx, id, "", workflows.QueryState)
		var st workflows.ActivityState
		return err == nil && v.Get(&st) == nil && len(st.Votes) == 2
	})
	for _, m := range []string{"committee.br", "committee.cl"} {
		s.bienal("vote", "2017-2018/G1A4", "--member", m+"@example.org", "--decision", "approve", "--vote-id", "after-repair-"+m)
	}
	eventually(t, "G1A4 approved after the repair", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'in_execution'") == 1
	})
	fresh := &metrics.WorkflowHealth{Store: s.store, Client: s.client}
	reg = metrics.New()
	reg.Register(fresh)
	require.Contains(t, scrape(t, reg), `bienal_workflows_unhealthy{kind="activity"} 0`)

	// A cycle whose workflow was terminated: cycle show says so, and the
	// repaired cycle takes up its tasks.
	due := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "mid", "--due", due)
	eventually(t, "the cycle's tasks stored", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_task WHERE cycle = 'mid'") > 0
	})
	cid := workflows.CycleID("2017-2018", "mid")
	require.NotContains(t, s.bienal("cycle", "show", "2017-2018/mid"), "should be running")
	require.NoError(t, s.client.TerminateWorkflow(ctx, cid, "", "operator error"))
	require.Contains(t, s.bienal("cycle", "show", "2017-2018/mid"), "workflow "+cid+" is terminated but should be running: bienal repair "+cid)
	require.Contains(t, s.bienal("repair", cid), "restarted "+cid+" (it was terminated)")
	require.NotContains(t, s.bienal("cycle", "show", "2017-2018/mid"), "should be running")

	// A vote ID over the limit is refused at once, naming the flag.
	_, stderr, err := s.run("", "vote", "2017-2018/G1A4", "--member", "committee.ht@example.org",
		"--decision", "approve", "--vote-id", strings.Repeat("v", 201))
	require.Error(t, err)
	require.Contains(t, stderr, "--vote-id")

	// A repair of what has nothing left to do is refused.
	_, stderr, err = s.run("", "repair", "activity/2017-2018/G1A1")
	require.NoError(t, err, stderr) // imported approved: in execution, running
	_, stderr, err = s.run("", "repair", "activity/2017-2018/NOPE")
	require.Error(t, err)
	require.Contains(t, stderr, "NOPE")
}

// scrape reads what a Prometheus scrape of reg would.
func scrape(t *testing.T, reg *metrics.Registry) string {
	rec := httptest.NewRecorder()
	reg.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	return rec.Body.String()
}
