package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/bienal/bienal/workflows"
)

// An operator finds in Temporal what the secretariat asks about, by the
// search attributes the workflows set: the overdue tasks of Argentina in
// the mid-term cycle are exactly those Argentina has not answered there,
// not its submitted one, not its open tasks of another cycle, not
// another country's. Each task says what it is in its summary.
func TestSearchAttributesFindOverdueTasksOfACountry(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.importAndExecute()

	// A mid-term cycle whose due date has passed (the store takes any day
	// of the biennium; the commands only later ones): its tasks fall
	// overdue at once. A final cycle due next month stays open.
	_, err := s.store.OpenCycle(ctx, "2017-2018", "midterm", "", day(t, "2018-06-30"), time.Now().AddDate(0, 2, 0))
	require.NoError(t, err)
	require.NoError(t, workflows.StartCycle(ctx, s.client, "2017-2018", "midterm"))
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final", "--due", futureDay(30), "--closes", futureDay(60))
	tasks := s.count("SELECT count(*) FROM activity_country")
	eventually(t, "every mid-term task overdue", 90*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_task WHERE cycle = 'midterm' AND status = 'overdue'") == tasks
	})
	s.bienal("task", "submit", "2017-2018/midterm/G1A1/AR", "--file", reportFile(t), "--by", "focal.ar@example.org")

	var want []string
	for _, code := range s.strings("SELECT code FROM activity_country WHERE country = 'AR' AND code <> 'G1A1' ORDER BY code") {
		want = append(want, workflows.TaskID("2017-2018", "midterm", code, "AR"))
	}
	require.Len(t, want, 3, "AR takes part in three more activities of the example")
	query := "BienalBiennium = '2017-2018' AND BienalCycle = 'midterm' AND BienalCountry = 'AR' AND BienalStatus = 'overdue'"
	var got []string
	// Visibility follows the workflows by a moment.
	eventually(t, "the overdue tasks of AR listed", 60*time.Second, func() bool {
		got = s.listWorkflows(query)
		return slices.Equal(got, want)
	})
	t.Logf("%s: %d workflows", query, len(got))

	require.Equal(t, []string{workflows.TaskID("2017-2018", "midterm", "G1A1", "AR")},
		s.listWorkflows("BienalCountry = 'AR' AND BienalStatus = 'submitted' AND BienalLate = true"))
	eventually(t, "the open tasks of the final cycle listed", 60*time.Second, func() bool {
		return len(s.listWorkflows("WorkflowType = 'ReportTask' AND BienalCycle = 'final' AND BienalStatus = 'open'")) == tasks
	})
	require.Len(t, s.listWorkflows("WorkflowType = 'Activity' AND BienalStatus = 'in_execution'"), 9)
	require.Equal(t, []string{workflows.CycleID("2017-2018", "midterm")},
		s.listWorkflows("WorkflowType = 'ReportingCycle' AND BienalCycle = 'midterm' AND BienalStatus = 'open'"))
	require.Len(t, s.listWorkflows("BienalDue < '2019-01-01T00:00:00Z'"), tasks)
	require.Len(t, s.listWorkflows("WorkflowType = 'ReportTask' AND BienalStatus IN ('open', 'overdue') AND BienalDue < '2019-01-01T00:00:00Z'"), tasks-1,
		"the README's query of tasks unanswered and due before a date")

	d, err := s.client.DescribeWorkflow(ctx, want[0], "")
	require.NoError(t, err)
	summary, err := d.GetStaticSummary()
	require.NoError(t, err)
	require.Equal(t, "Report of AR on 2017-2018/G1A3, cycle midterm", summary)

	// Histories with the upserts, for the replay tests: a task overdue, one
	// submitted late, an activity in execution.
	s.saveHistory("task-overdue-search-attributes", want[0])
	s.saveHistory("task-submitted-late-search-attributes", workflows.TaskID("2017-2018", "midterm", "G1A1", "AR"))
	s.saveHistory("activity-in-execution-search-attributes", workflows.ActivityID("2017-2018", "G1A1"))

	// The same question through the Temporal CLI, where one is installed.
	if cli, err := exec.LookPath("temporal"); err == nil {
		out, err := exec.Command(cli, "workflow", "list", "--address", s.cfg.TemporalAddress, "--query", query).CombinedOutput()
		require.NoError(t, err, "%s", out)
		for _, id := range want {
			require.Contains(t, string(out), id)
		}
		require.NotContains(t, string(out), "G1A1/AR")
	}
}

// listWorkflows returns the IDs of the workflows the visibility query
// finds, sorted.
func (s *stack) listWorkflows(query string) []string {
	s.t.Helper()
	var ids []string
	var token []byte
	for {
		resp, err := s.client.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: s.cfg.TemporalNamespace, Query: query, NextPageToken: token})
		require.NoError(s.t, err, query)
		for _, e := range resp.Executions {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		if token = resp.NextPageToken; len(token) == 0 {
			break
		}
	}
	slices.Sort(ids)
	return ids
}

// strings returns the first column of a query's rows.
func (s *stack) strings(sql string, args ...any) []string {
	s.t.Helper()
	rows, err := s.pool.Query(context.Background(), sql, args...)
	require.NoError(s.t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		require.NoError(s.t, rows.Scan(&v))
		out = append(out, strings.TrimSpace(v))
	}
	require.NoError(s.t, rows.Err())
	return out
}

// reportFile writes a report for `bienal task submit`.
func reportFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.yaml")
	require.NoError(t, os.WriteFile(path, []byte("status: delayed\nprogress: Late, but going.\n"), 0o644))
	return path
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}
