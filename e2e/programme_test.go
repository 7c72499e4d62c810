package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

const example = "examples/programme-2017-2018.yaml"

// The foundation's promise: import the example programme, every activity
// has its row and its running workflow; importing again changes nothing.
func TestImportExampleProgramme(t *testing.T) {
	s := newStack(t)
	out := s.bienal("programme", "import", example)
	require.Contains(t, out, "9 started")

	var acts []store.Activity
	require.NoError(t, json.Unmarshal([]byte(s.bienal("activity", "list", "--json")), &acts))
	require.Len(t, acts, 9)
	ctx := context.Background()
	for _, a := range acts {
		desc, err := s.client.DescribeWorkflowExecution(ctx, workflows.ActivityID(a.Biennium, a.Code), "")
		require.NoError(t, err, a.Code)
		require.Equal(t, workflows.ActivityWorkflowName, desc.WorkflowExecutionInfo.Type.Name)
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.WorkflowExecutionInfo.Status, a.Code)
	}
	// The adopted programme's activities go into execution.
	eventually(t, "nine activities in execution", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE status = 'in_execution'") == 9
	})
	require.Equal(t, 7, s.count("SELECT count(*) FROM committee_member"))
	require.Equal(t, 1, s.count("SELECT count(*) FROM committee_member WHERE role = 'chair'"))

	audit := s.count("SELECT count(*) FROM audit_log")
	out = s.bienal("programme", "import", example)
	require.Contains(t, out, "0 started")
	require.Equal(t, audit, s.count("SELECT count(*) FROM audit_log"), "a second import changes nothing")

	show := s.bienal("programme", "show", "--json")
	require.Contains(t, show, `"biennium": "2017-2018"`)
}

// A bad file is refused with the line and field, and changes nothing.
func TestImportBadFileChangesNothing(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	eventually(t, "nine activities in execution", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE status = 'in_execution'") == 9
	})
	before := s.count("SELECT count(*) FROM activity") + s.count("SELECT count(*) FROM audit_log")

	data, err := os.ReadFile(filepath.Join(repoRoot, example))
	require.NoError(t, err)
	bad := strings.Replace(string(data), "lead: AR", "lead: XX", 1)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))

	_, errOut, err := s.run("", "programme", "import", path)
	require.Error(t, err)
	require.Regexp(t, `line \d+: activities\[\d\]\.lead: unknown country "XX"`, errOut)
	require.Contains(t, errOut, "nothing imported")
	require.Equal(t, before, s.count("SELECT count(*) FROM activity")+s.count("SELECT count(*) FROM audit_log"))
}
