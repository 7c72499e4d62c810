package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A proposal from the CLI goes to the committee: every entitled member gets
// a vote request by e-mail; four approve with `bienal vote` (one vote sent
// twice), and the activity is approved everywhere it shows.
func TestProposalApprovedByFourVotes(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	before := len(s.smtp.Messages())
	out := s.bienal("activity", "propose", "examples/proposal.yaml")
	require.Contains(t, out, "proposed 2017-2018/G1A4")

	// Seven members, none from EC, CO or PE: seven vote requests arrive.
	msgs := s.smtp.WaitFor(before+7, 30*time.Second)
	requests := 0
	for _, m := range msgs[before:] {
		if strings.Contains(string(m.Raw), "/vote/") || strings.Contains(string(m.Raw), "/l/") {
			requests++
		}
	}
	require.Equal(t, 7, requests, "every member's request carries a personal link")

	for i, m := range []string{"chair.cr", "committee.ar", "committee.br", "committee.cl"} {
		s.bienal("vote", "2017-2018/G1A4", "--member", m+"@example.org", "--decision", "approve",
			"--comment", "sound plan", "--vote-id", "e2e-"+m)
		if i == 0 { // the same vote sent twice counts once
			s.bienal("vote", "2017-2018/G1A4", "--member", m+"@example.org", "--decision", "approve",
				"--comment", "sound plan", "--vote-id", "e2e-"+m)
		}
	}
	eventually(t, "G1A4 approved in Postgres", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'in_execution'") == 1
	})
	require.Equal(t, 4, s.count("SELECT count(*) FROM vote WHERE code = 'G1A4'"))
	require.Equal(t, 4, s.count("SELECT count(*) FROM audit_log WHERE subject = 'activity/2017-2018/G1A4' AND action = 'vote_counted'"))
	require.Equal(t, 1, s.count("SELECT count(*) FROM audit_log WHERE subject = 'activity/2017-2018/G1A4' AND action = 'approved'"))

	var view struct {
		Activity struct{ Status string } `json:"activity"`
		State    struct {
			Status   string `json:"status"`
			Decision string `json:"decision"`
			Votes    []any  `json:"votes"`
		} `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.bienal("activity", "show", "2017-2018/G1A4", "--json")), &view))
	require.Equal(t, "in_execution", view.Activity.Status)
	require.Equal(t, "in_execution", view.State.Status)
	require.Equal(t, "approve", view.State.Decision)
	require.Len(t, view.State.Votes, 4)
	s.saveHistory("activity-approved", "activity/2017-2018/G1A4")
}
