package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
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

	// Seven members, none from EC, CO or PE: seven vote requests arrive,
	// and the receipt to EC's focal point, the proposer, which carries no
	// link while no call is open.
	msgs := s.smtp.WaitFor(before+8, 30*time.Second)
	requests := 0
	for _, m := range msgs[before:] {
		if strings.Contains(string(m.Raw), "/vote/") || strings.Contains(string(m.Raw), "/l/") {
			requests++
		}
	}
	require.Equal(t, 7, requests, "every member's request carries a personal link")
	require.Equal(t, 1, s.count("SELECT count(*) FROM email WHERE kind = 'proposal_receipt' AND recipient = 'focal.ec@example.org'"))

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
		Activity struct {
			Status string `json:"status"`
		} `json:"activity"`
		State struct {
			Status   string `json:"status"`
			Decision string `json:"decision"`
			Votes    []any  `json:"votes"`
		} `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.bienal("activity", "show", "2017-2018/G1A4", "--json")), &view))
	require.EqualValues(t, "in_execution", view.Activity.Status)
	require.EqualValues(t, "in_execution", view.State.Status)
	require.Equal(t, "approve", view.State.Decision)
	require.Len(t, view.State.Votes, 4)
	s.saveHistory("activity-approved", "activity/2017-2018/G1A4")
}

// voteAll has the first n members vote decision on G1A4 from the CLI.
func (s *stack) voteAll(n int, decision, round string) {
	s.t.Helper()
	for _, m := range []string{"chair.cr", "committee.ar", "committee.br", "committee.cl", "committee.ht", "committee.jm", "committee.mx"}[:n] {
		s.bienal("vote", "2017-2018/G1A4", "--member", m+"@example.org", "--decision", decision,
			"--comment", decision+" in round "+round, "--vote-id", "e2e-"+round+"-"+m)
	}
}

// Changes requested by a majority, a revised version, approval in round 2;
// then the Chair's refusal to vote twice is not a third round.
func TestProposalRevisedThenApproved(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	s.bienal("activity", "propose", "examples/proposal.yaml")
	eventually(t, "round 1 open", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 1
	})
	s.voteAll(4, "request_changes", "1")
	eventually(t, "changes requested", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'changes_requested'") == 1
	})
	require.Equal(t, 1, s.count("SELECT count(*) FROM email WHERE kind = 'changes_requested'"), "the lead focal point is told, with the comments")

	version, err := s.store.ReviseActivity(context.Background(), "2017-2018", "G1A4", store.ProposalFields{
		Title:           "Regional programme of online courses on data science (revised)",
		Description:     "Courses over the advanced research networks, with a budget annex.",
		ExpectedOutputs: []string{"Catalogue of twelve online courses", "Six hundred participants trained"},
		StartsOn:        "2017-09-01", EndsOn: "2018-12-15",
	}, "focal.ec@example.org")
	require.NoError(t, err)
	// The portal tells the workflow who revised by their ID, as it does any person.
	by, err := s.store.PersonRef(context.Background(), "focal.ec@example.org")
	require.NoError(t, err)
	require.NoError(t, s.client.SignalWorkflow(context.Background(), workflows.ActivityID("2017-2018", "G1A4"), "",
		workflows.SignalRevise, workflows.ReviseSignal{RevisionID: fmt.Sprint(version), By: by}))
	eventually(t, "round 2 open", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 2
	})
	s.voteAll(4, "approve", "2")
	eventually(t, "approved in round 2", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'in_execution' AND round = 2") == 1
	})
	require.Equal(t, 8, s.count("SELECT count(*) FROM vote WHERE code = 'G1A4'"))
	s.saveHistory("activity-revised-approved", workflows.ActivityID("2017-2018", "G1A4"))
}

// Rejected by a majority; a vote after the decision is refused and recorded.
func TestProposalRejected(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	s.bienal("activity", "propose", "examples/proposal.yaml")
	eventually(t, "round 1 open", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 1
	})
	s.voteAll(4, "reject", "1")
	eventually(t, "rejected", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'rejected'") == 1
	})
	_, errOut, err := s.run("", "vote", "2017-2018/G1A4", "--member", "committee.mx@example.org", "--decision", "approve")
	require.Error(t, err, "the workflow has finished: nothing to vote on")
	require.Contains(t, errOut, "refused: round closed (the activity is rejected)")
	s.saveHistory("activity-rejected", workflows.ActivityID("2017-2018", "G1A4"))
}

// Withdrawn before a decision.
func TestProposalWithdrawn(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	s.bienal("activity", "propose", "examples/proposal.yaml")
	s.voteAll(1, "approve", "1")
	s.bienal("activity", "withdraw", "2017-2018/G1A4", "--by", "focal.ec@example.org", "--reason", "merged into G1A1")
	eventually(t, "withdrawn", 20*time.Second, func() bool {
		return s.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'withdrawn'") == 1
	})
	s.saveHistory("activity-withdrawn", workflows.ActivityID("2017-2018", "G1A4"))
}

// The secretariat revokes one member's vote link with `bienal link revoke`:
// that link opens nothing any more, the other members' still work.
func TestLinkRevokedFromTheCommandLine(t *testing.T) {
	s := newStack(t)
	s.bienal("programme", "import", example)
	before := len(s.smtp.Messages())
	s.bienal("activity", "propose", "examples/proposal.yaml")
	msg, link := s.waitForLink(before, "/vote/")
	member := msg.To[0]
	out := s.bienal("link", "revoke", "activity/2017-2018/G1A4", "--recipient", member, "--reason", "member left office")
	require.Contains(t, out, "revoked 1 links")

	resp, err := http.Get(link)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusGone, resp.StatusCode, "the revoked link opens nothing, and says it is gone")
	var other string
	for _, m := range s.smtp.Messages()[before:] {
		if m.To[0] != member {
			parts, err := m.Parts()
			require.NoError(t, err)
			if i := strings.Index(parts.Text, s.baseURL+"/vote/"); i >= 0 {
				other = strings.Fields(parts.Text[i:])[0]
				break
			}
		}
	}
	require.NotEmpty(t, other)
	resp, err = http.Get(other)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "another member's link still opens")
	require.Equal(t, 1, s.count("SELECT count(*) FROM audit_log WHERE action = 'links_revoked'"))
}
