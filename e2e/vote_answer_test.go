package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// `bienal vote` answers at once: a recused member, a stranger to the
// committee and a vote after the decision each exit non-zero with the
// reason, write no vote row and leave one audit line; a counted vote says
// so, and the vote that decides the round says how.
func TestVoteCommandAnswersAtOnce(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	raw, err := os.ReadFile(filepath.Join(repoRoot, "examples/proposal.yaml"))
	require.NoError(t, err)
	// Argentina leads this one, so its committee member is recused.
	proposal := filepath.Join(t.TempDir(), "proposal.yaml")
	require.NoError(t, os.WriteFile(proposal, []byte(strings.Replace(string(raw), "lead: EC", "lead: AR", 1)), 0o600))
	s.bienal("activity", "propose", proposal)
	eventually(t, "round 1 open", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 1
	})
	vote := func(member, id string) (string, string, error) {
		return s.run("", "vote", "2017-2018/G1A4", "--member", member, "--decision", "approve", "--vote-id", id)
	}
	refusals := func() int {
		return s.count("SELECT count(*) FROM audit_log WHERE subject = 'activity/2017-2018/G1A4' AND action = 'vote_refused'")
	}

	_, stderr, err := vote("committee.ar@example.org", "recused-1")
	require.Error(t, err)
	require.Contains(t, stderr, "refused: recused")
	require.Equal(t, 1, refusals())

	_, stderr, err = vote("someone@example.org", "stranger-1")
	require.Error(t, err)
	require.Contains(t, stderr, "refused: not on roster")
	require.Equal(t, 2, refusals())

	_, stderr, err = s.run("", "vote", "2017-2018/G1A4", "--member", "committee.br@example.org", "--decision", "approve", "--vote-id", "bad id")
	require.Error(t, err)
	require.Contains(t, stderr, "--vote-id")
	require.Equal(t, 2, refusals(), "an input refused before sending is not the committee's business")

	for i, m := range []string{"chair.cr", "committee.br", "committee.cl", "committee.jm"} {
		out, stderr, err := vote(m+"@example.org", "ok-"+m)
		require.NoError(t, err, stderr)
		require.Contains(t, out, "vote ok-"+m+" counted in round 1")
		if i < 3 {
			require.NotContains(t, out, "decided")
		} else {
			require.Contains(t, out, "this vote decided the round: approve", "four of six entitled members")
		}
	}
	out, stderr, err := vote("committee.br@example.org", "ok-committee.br")
	require.NoError(t, err, "the same vote sent again gets the same answer: %s", stderr)
	require.Contains(t, out, "counted in round 1")

	_, stderr, err = vote("committee.ht@example.org", "late-1")
	require.Error(t, err)
	require.Contains(t, stderr, "refused: round closed")
	require.Equal(t, 3, refusals())
	require.Equal(t, 4, s.count("SELECT count(*) FROM vote WHERE code = 'G1A4'"), "refused votes write no vote row")
}
