package main

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store/storetest"
)

// The review commands refuse bad input naming the flag at fault, before
// Temporal is dialled, and store nothing.
func TestTaskReviewCommandsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t), TemporalAddress: "127.0.0.1:1"}, logger: slog.New(slog.DiscardHandler)}
	t.Cleanup(a.close)
	_, err := a.store(ctx)
	require.NoError(t, err)
	task := "2017-2018/mid/A1/CL"
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"clarify without a date", func() error {
			return (&taskClarifyCmd{Task: task, Reason: "add output 2", Due: "next week", By: "secretariat"}).Run(ctx, a)
		}, "--due"},
		{"clarify without a reason", func() error {
			return (&taskClarifyCmd{Task: task, Reason: " ", Due: "2026-04-01", By: "secretariat"}).Run(ctx, a)
		}, "--reason"},
		{"a request with a bad date", func() error {
			return (&taskRequestExtensionCmd{Task: task, Until: "2026-13-01", Reason: "elections", By: "fp@cl.example"}).Run(ctx, a)
		}, "--until"},
		{"a refusal without a reason", func() error {
			return (&taskRefuseExtensionCmd{Task: task, By: "secretariat"}).Run(ctx, a)
		}, "--reason"},
		{"a task that is not one", func() error {
			return (&taskAcceptCmd{Task: "2017-2018/A1", By: "secretariat"}).Run(ctx, a)
		}, "2017-2018/A1"},
	}
	for _, c := range cases {
		require.ErrorContains(t, c.run(), c.want, c.name)
	}
	var n int
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM task_review) + (SELECT count(*) FROM extension_request)`).Scan(&n))
	require.Zero(t, n)
	require.Nil(t, a.tc, "Temporal is not dialled for a refused request")
}
