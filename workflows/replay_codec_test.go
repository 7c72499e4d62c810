package workflows

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/codec"
)

// A deployment with TEMPORAL_PAYLOAD_KEYS keeps encrypted histories; the
// replayer reads them through the same codec. Every recorded history,
// each of its payloads encrypted as a worker with a key would have
// written it, replays as its plain self does.
func TestReplayEncryptedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no recorded histories in testdata")
	}
	pc, err := codec.Parse("replay:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, codec.KeySize)))
	require.NoError(t, err)
	replayer, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		DataConverter: pc.DataConverter(), FailureConverter: pc.FailureConverter()})
	require.NoError(t, err)
	replayer.RegisterWorkflowWithOptions(Activity, workflow.RegisterOptions{Name: ActivityWorkflowName})
	replayer.RegisterWorkflowWithOptions(ReportingCycle, workflow.RegisterOptions{Name: CycleWorkflowName})
	replayer.RegisterWorkflowWithOptions(ReportTask, workflow.RegisterOptions{Name: TaskWorkflowName})
	plain := worker.NewWorkflowReplayer()
	plain.RegisterWorkflowWithOptions(Activity, workflow.RegisterOptions{Name: ActivityWorkflowName})
	plain.RegisterWorkflowWithOptions(ReportingCycle, workflow.RegisterOptions{Name: CycleWorkflowName})
	plain.RegisterWorkflowWithOptions(ReportTask, workflow.RegisterOptions{Name: TaskWorkflowName})
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := os.Open(file)
			require.NoError(t, err)
			h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
			f.Close()
			require.NoError(t, err)
			encrypted := 0
			err = proxy.VisitPayloads(context.Background(), h, proxy.VisitPayloadsOptions{
				SkipSearchAttributes: true,
				Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
					encrypted += len(ps)
					return pc.Encode(ps)
				},
			})
			require.NoError(t, err)
			require.NotZero(t, encrypted)
			require.NoError(t, replayer.ReplayWorkflowHistory(nil, h))
			require.Error(t, plain.ReplayWorkflowHistory(nil, h), "without the codec the history does not read")
		})
	}
}
