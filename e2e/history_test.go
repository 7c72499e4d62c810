package e2e

import (
	"context"
	"os"
	"path/filepath"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// saveHistory writes the finished or running workflow's history to
// workflows/testdata/<name>.json when the tests run with -update-histories,
// so that the replay tests cover every path these tests walk on the real
// server.
func (s *stack) saveHistory(name, workflowID string) {
	s.t.Helper()
	if !*updateHistories {
		return
	}
	it := s.client.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(s.t, err)
		h.Events = append(h.Events, ev)
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&h)
	require.NoError(s.t, err)
	path := filepath.Join(repoRoot, "workflows", "testdata", name+".json")
	require.NoError(s.t, os.WriteFile(path, b, 0o644))
	s.t.Logf("wrote %s (%d events)", path, len(h.Events))
}
