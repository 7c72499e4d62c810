package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/operations/operationstest"
	"github.com/bienal/bienal/store/storetest"
)

// startsOnly is the Temporal client of these tests: it starts workflows
// as the server does (operationstest.Temporal) and does nothing else.
type startsOnly struct {
	client.Client
	starts operationstest.Temporal
}

func (s *startsOnly) ExecuteWorkflow(ctx context.Context, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	return s.starts.ExecuteWorkflow(ctx, o, wf, args...)
}

func (s *startsOnly) Close() {}

// programmeApp is the app of a command run in process, over a database of
// its own holding the small programme, with tc as its Temporal client (nil:
// one that is never reached, at 127.0.0.1:1).
func programmeApp(t *testing.T, tc client.Client) *app {
	t.Helper()
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t), TemporalAddress: "127.0.0.1:1"},
		logger: slog.New(slog.DiscardHandler), tc: tc}
	t.Cleanup(a.close)
	_, err := a.store(context.Background())
	require.NoError(t, err)
	storetest.SmallProgramme(t, a.pool)
	return a
}

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
	a := programmeApp(t, tc)
	file := filepath.Join(t.TempDir(), "proposal.yaml")
	require.NoError(t, os.WriteFile(file, []byte(proposalFile), 0o600))
	propose := func() (string, error) {
		return printed(t, func() error { return (&activityProposeCmd{File: file}).Run(ctx, a) })
	}

	tc.starts.Away(errors.New("connection refused"))
	out, err := propose()
	require.NoError(t, err, "stored is proposed")
	require.Contains(t, out, "proposed 2017-2018/G1P1; its committee review starts as soon as Temporal answers")
	tc.starts.Away(nil)
	out, err = propose()
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
