package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/workflows"
)

// The deploy script registers exactly the search attributes the workflows
// set, with their types: one it lacked would make every workflow that sets
// it fail on a production namespace (and the parts refuse to start there).
func TestCreateNamespaceRegistersTheWorkflowsSearchAttributes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("temporal", "create-namespace.sh"))
	require.NoError(t, err)
	var got []string
	for _, m := range regexp.MustCompile(`--name (\S+) --type (\S+)`).FindAllStringSubmatch(string(raw), -1) {
		got = append(got, m[1]+" "+m[2])
	}
	var want []string
	for _, sa := range workflows.SearchAttributes() {
		want = append(want, sa.Name+" "+sa.Type.String())
	}
	require.Equal(t, want, got)
	require.True(t, strings.Contains(string(raw), "temporal operator search-attribute create --namespace \"$TEMPORAL_NAMESPACE\""))
}
