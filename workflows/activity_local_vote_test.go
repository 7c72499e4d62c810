package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// started records which activities ran as activity tasks and which as
// local activities.
type started struct {
	mu            sync.Mutex
	remote, local []string
}

func (s *started) listen(h *harness) {
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.remote = append(s.remote, info.ActivityType.Name)
	})
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.local = append(s.local, info.ActivityType.Name)
	})
}

// votesAndRefusal sends one refused vote and a majority of approvals.
func votesAndRefusal(h *harness) {
	h.vote(time.Hour, "stranger@example.org", DecisionApprove, "s1")
	for i, m := range []string{chair, "ar@ar.gob", "mx@mx.gob", "br@br.gov"} {
		h.vote(time.Duration(i+2)*time.Hour, m, DecisionApprove, "v-"+m)
	}
	h.signal(7*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
}

func TestActivityVotesRecordedByLocalActivity(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	var s started
	s.listen(h)
	votesAndRefusal(h)
	res := h.run()

	require.EqualValues(t, "completed", res.Status)
	require.Len(t, h.votes(), 4)
	require.Equal(t, []string{"not_on_roster"}, h.refusals())
	require.Equal(t, []string{"RecordRefusedVote", "RecordVote", "RecordVote", "RecordVote", "RecordVote"}, s.local)
	require.NotContains(t, s.remote, "RecordVote")
	require.NotContains(t, s.remote, "RecordRefusedVote")
	require.Contains(t, s.remote, "DecideReview", "other steps stay activity tasks")
}

// A run begun before local-vote-record keeps recording votes with activity
// tasks, as its history says.
func TestActivityVotesRecordedByActivityTaskBeforeLocalVersion(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	h.env.OnGetVersion(localVoteRecord, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	var s started
	s.listen(h)
	votesAndRefusal(h)
	res := h.run()

	require.EqualValues(t, "completed", res.Status)
	require.Len(t, h.votes(), 4)
	require.Equal(t, []string{"not_on_roster"}, h.refusals())
	require.Empty(t, s.local)
	require.Contains(t, s.remote, "RecordVote")
	require.Contains(t, s.remote, "RecordRefusedVote")
}
