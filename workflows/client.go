package workflows

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// Starter is the part of client.Client that starts workflows.
type Starter interface {
	ExecuteWorkflow(ctx context.Context, options client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error)
}

// StartActivity starts the workflow of an activity whose row is in Postgres.
// It is idempotent: a workflow already running or already completed for
// that activity is left alone, so an import or a retried command never
// makes a second one; one that failed or was terminated may start again.
func StartActivity(ctx context.Context, c Starter, biennium, code string) (started bool, err error) {
	summary, search := activityStart(biennium, code)
	_, err = c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       ActivityID(biennium, code),
		StaticSummary:            summary,
		TypedSearchAttributes:    search,
		TaskQueue:                TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without it the SDK hands back the running workflow as if started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, ActivityWorkflowName, ActivityInput{Biennium: biennium, Code: code})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("start workflow %s: %w", ActivityID(biennium, code), err)
	}
	return true, nil
}

// ErrCycleExists is returned when a cycle's workflow was already started.
var ErrCycleExists = errors.New("reporting cycle already exists")

// StartCycle starts the workflow of a reporting cycle whose row is in
// Postgres; a second start for the same cycle is refused with ErrCycleExists.
func StartCycle(ctx context.Context, c Starter, biennium, name string) error {
	summary, search := cycleStart(biennium, name)
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       CycleID(biennium, name),
		StaticSummary:            summary,
		TypedSearchAttributes:    search,
		TaskQueue:                TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without it the SDK hands back the running workflow as if started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, CycleWorkflowName, CycleInput{Biennium: biennium, Name: name})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		return fmt.Errorf("%w: %s", ErrCycleExists, CycleID(biennium, name))
	}
	if err != nil {
		return fmt.Errorf("start workflow %s: %w", CycleID(biennium, name), err)
	}
	return nil
}
