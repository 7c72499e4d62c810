package cooperation_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

var update = flag.Bool("update", false, "rewrite docs/state_machine.md")

// docs/state_machine.md is generated from the transitions: a change to one
// without the other fails here.
func TestStateMachineDoc(t *testing.T) {
	path := filepath.Join("..", "docs", "state_machine.md")
	want := cooperation.StateMachines()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cooperation -run TestStateMachineDoc -update")
	require.Equal(t, want, string(got), "docs/state_machine.md is out of date: run go test ./cooperation -run TestStateMachineDoc -update")
}

// Every status is reached by some transition or is where a life begins, and
// the closed ones lead nowhere.
func TestTransitionsCoverEveryStatus(t *testing.T) {
	for _, s := range cooperation.ActivityStatuses {
		from, to := false, false
		for _, tr := range cooperation.ActivityTransitions {
			from = from || tr.From == s
			to = to || tr.To == s
		}
		require.True(t, to || s == cooperation.ActivityDraft || s == cooperation.ActivityProposed || s == cooperation.ActivityApproved,
			"%s is reached", s)
		require.Equal(t, s.Stage() != cooperation.StageClosed, from, "%s leads on exactly when it is not closed", s)
	}
	for _, s := range cooperation.TaskStatuses {
		reached := false
		for _, tr := range cooperation.TaskTransitions {
			reached = reached || tr.To == s
		}
		require.True(t, reached || s == cooperation.TaskOpen, "%s is reached", s)
	}
	require.True(t, cooperation.Allowed(cooperation.ActivityTransitions, cooperation.ActivityUnderReview, cooperation.ActivityApproved))
	require.False(t, cooperation.Allowed(cooperation.ActivityTransitions, cooperation.ActivityRejected, cooperation.ActivityApproved))
}
