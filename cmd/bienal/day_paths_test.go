package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
)

// unanswered is a Temporal that starts workflows and answers no query, so
// that commands fall back on what the database says.
type unanswered struct{ startsOnly }

func (*unanswered) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return nil, errors.New("no answer")
}

func (*unanswered) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	return nil, errors.New("no answer")
}

// The commands print the days typed as typed: a cycle's due and closing
// days when it opens and when it is shown, a delegation's first and last
// days when it is named and listed, an activity's period.
func TestCommandsPrintTheDaysTyped(t *testing.T) {
	tc := &unanswered{}
	a := programmeApp(t, tc)
	ctx := context.Background()
	_, err := a.pool.Exec(ctx, `INSERT INTO programme (biennium, title) VALUES ('2025-2026', 'Programme');
		UPDATE activity SET starts_on = '2017-12-20', ends_on = '2018-12-20' WHERE code = 'A1'`)
	require.NoError(t, err)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	due, closes := today.AddDate(0, 0, 18).Format(time.DateOnly), today.AddDate(0, 0, 49).Format(time.DateOnly)

	out, err := printed(t, func() error {
		return (&cycleOpenCmd{Biennium: "2025-2026", Name: "final", Due: due, Closes: closes}).Run(ctx, a)
	})
	require.NoError(t, err)
	require.Contains(t, out, "reports due "+due+", closes "+closes)
	var stored string
	require.NoError(t, a.pool.QueryRow(ctx, `SELECT due_on::text || ' ' || closes_on::text FROM reporting_cycle WHERE name = 'final'`).Scan(&stored))
	require.Equal(t, due+" "+closes, stored)

	out, err = printed(t, func() error { return (&cycleShowCmd{Cycle: "2025-2026/final"}).Run(ctx, a) })
	require.NoError(t, err)
	require.Contains(t, out, "due "+due+", closes "+closes)

	out, err = printed(t, func() error {
		return (&delegationAddCmd{Person: "fp.mx@example.org", To: "eva@mx.example.org", Name: "Eva", Language: "es",
			TimeZone: "America/Mexico_City", From: due, Until: closes, By: "secretariat"}).Run(ctx, a)
	})
	require.NoError(t, err)
	require.Contains(t, out, "from "+due+" to "+closes)
	out, err = printed(t, func() error { return (&delegationListCmd{}).Run(ctx, a) })
	require.NoError(t, err)
	require.Contains(t, out, due+" to "+closes)

	out, err = printed(t, func() error { return (&activityShowCmd{Ref: "2017-2018/A1"}).Run(ctx, a) })
	require.NoError(t, err)
	require.Contains(t, out, "2017-12-20 to 2018-12-20")
}
