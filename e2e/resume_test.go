package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/programme"
)

// A command that stopped between writing its row and starting its workflow
// leaves a state from which running it again finishes the work.
func TestCommandsResumeAfterAStopBetweenRowAndWorkflow(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	s.bienal("programme", "import", example)

	data, err := os.ReadFile(filepath.Join(repoRoot, "examples", "proposal.yaml"))
	require.NoError(t, err)
	p, err := programme.ParseActivity(data)
	require.NoError(t, err)
	require.NoError(t, s.store.ProposeActivity(ctx, "", p, "")) // the row, but no workflow
	out := s.bienal("activity", "propose", "examples/proposal.yaml")
	require.Contains(t, out, "committee review starts now")
	eventually(t, "the proposal under review", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'under_review'") == 1
	})
	_, errOut, err := s.run("", "activity", "propose", "examples/proposal.yaml")
	require.Error(t, err, "a proposal whose workflow runs is not proposed twice")
	require.Contains(t, errOut, "already exists")

	due := time.Now().AddDate(0, 1, 0)
	_, err = s.store.OpenCycle(ctx, "2017-2018", "midterm", "", due, due.AddDate(0, 1, 0)) // the row, but no workflow
	require.NoError(t, err)
	out = s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "midterm", "--due", due.Format(time.DateOnly))
	require.Contains(t, out, "started cycle/2017-2018/midterm")
	eventually(t, "the cycle's tasks", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_task WHERE cycle = 'midterm'") > 0
	})
	_, errOut, err = s.run("", "cycle", "open", "--biennium", "2017-2018", "--name", "midterm", "--due", due.Format(time.DateOnly))
	require.Error(t, err)
	require.Contains(t, errOut, "already open")
}
