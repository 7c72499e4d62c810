package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store/storetest"
)

// startsOnly is the Temporal client of these tests: it starts workflows
// (refusing a second start of one ID, as the server does) and does
// nothing else. The real server runs in the end-to-end tests.
type startsOnly struct {
	client.Client
	mu      sync.Mutex
	running map[string]bool
	err     error // what every start gets, when set: a server away
}

func (s *startsOnly) ExecuteWorkflow(_ context.Context, o client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	if s.running[o.ID] {
		return nil, serviceerror.NewWorkflowExecutionAlreadyStarted("workflow already started", "", "")
	}
	if s.running == nil {
		s.running = map[string]bool{}
	}
	s.running[o.ID] = true
	return nil, nil
}

func (s *startsOnly) Close() {}

// printed runs a command and returns what it printed on standard output.
func printed(t *testing.T, run func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	runErr := run()
	os.Stdout = stdout
	require.NoError(t, w.Close())
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(out), runErr
}

const proposalFile = `biennium: "2017-2018"
goal: 1
line_of_action: 1
lead: CL
participants: [MX]
title: Open data
description: A shared portal.
starts_on: 2017-03-01
ends_on: 2018-06-30
proposed_by: fp.cl@example.org
`

// TestActivityPropose runs `bienal activity propose` in process against a
// real database: a file without a code gets the next code of its goal and
// its proposer a receipt, as in the portal; with Temporal away the
// proposal is kept and the same file again starts its review, once; the
// portal's rules refuse what the file's own format lets through.
func TestActivityPropose(t *testing.T) {
	ctx := context.Background()
	tc := &startsOnly{}
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t)}, logger: slog.New(slog.DiscardHandler), tc: tc}
	t.Cleanup(a.close)
	_, err := a.store(ctx)
	require.NoError(t, err)
	storetest.SmallProgramme(t, a.pool)
	file := filepath.Join(t.TempDir(), "proposal.yaml")
	require.NoError(t, os.WriteFile(file, []byte(proposalFile), 0o600))
	propose := func() (string, error) {
		return printed(t, func() error { return (&activityProposeCmd{File: file}).Run(ctx, a) })
	}

	tc.err = errors.New("connection refused")
	_, err = propose()
	require.ErrorContains(t, err, "activity 2017-2018/G1P1 stored, but its workflow did not start")
	require.ErrorContains(t, err, "run the command again")
	tc.err = nil
	out, err := propose()
	require.NoError(t, err)
	require.Contains(t, out, "2017-2018/G1P1 was stored without its workflow; committee review starts now")
	out, err = propose()
	require.NoError(t, err)
	require.Contains(t, out, "2017-2018/G1P1 was proposed already from this file")
	var n int
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM activity WHERE code LIKE 'G1P%'`).Scan(&n))
	require.Equal(t, 1, n, "one proposal, however often the file is sent")
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT count(*) FROM email WHERE kind = 'proposal_receipt' AND recipient = 'fp.cl@example.org'`).Scan(&n))
	require.Equal(t, 1, n, "its proposer's receipt, once")

	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(proposalFile, "title: Open data", "title: Open data, again", 1)), 0o600))
	out, err = propose()
	require.NoError(t, err)
	require.Contains(t, out, "proposed 2017-2018/G1P2; committee review starts now")

	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(proposalFile, "description: A shared portal.\n", "code: G1A9\n", 1)), 0o600))
	_, err = propose()
	require.ErrorContains(t, err, "nothing proposed:\ndescription: is required")
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(proposalFile, "goal: 1", "goal: 7", 1)), 0o600))
	_, err = propose()
	require.ErrorContains(t, err, "nothing proposed:\ngoal: no goal 7 in programme 2017-2018")
}
