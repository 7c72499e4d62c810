package workflows

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// replayPrefixes maps a history file's name prefix to the workflow type it
// records.
var replayPrefixes = map[string]string{
	"activity-": ActivityWorkflowName,
	"cycle-":    CycleWorkflowName,
	"task-":     TaskWorkflowName,
}

// TestReplayRecordedHistories replays every history under testdata against
// today's code: a change that would break a running workflow fails here
// (use workflow.GetVersion for such changes).
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no recorded histories in testdata")
	}
	replayer := worker.NewWorkflowReplayer()
	replayer.RegisterWorkflowWithOptions(Activity, workflow.RegisterOptions{Name: ActivityWorkflowName})
	replayer.RegisterWorkflowWithOptions(ReportingCycle, workflow.RegisterOptions{Name: CycleWorkflowName})
	replayer.RegisterWorkflowWithOptions(ReportTask, workflow.RegisterOptions{Name: TaskWorkflowName})
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			known := false
			for prefix := range replayPrefixes {
				known = known || strings.HasPrefix(filepath.Base(file), prefix)
			}
			require.True(t, known, "history file %s: name must start with activity-, cycle- or task-", file)
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(nil, file))
		})
	}
}
