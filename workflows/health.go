package workflows

import (
	"context"
	"errors"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/cooperation"
)

// Describer is the part of client.Client that reads a workflow's execution.
type Describer interface {
	DescribeWorkflowExecution(ctx context.Context, workflowID, runID string) (*workflowservice.DescribeWorkflowExecutionResponse, error)
}

// RunMissing is the run status of a workflow ID that Temporal does not know.
const RunMissing = "missing"

// RunStatus is the status of a workflow's latest run, as an operator reads
// it: running, completed, failed, terminated, timed_out, canceled,
// continued_as_new, or missing.
func RunStatus(ctx context.Context, c Describer, id string) (string, error) {
	d, err := c.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return RunMissing, nil
	}
	if err != nil {
		return "", fmt.Errorf("describe workflow %s: %w", id, err)
	}
	st := d.GetWorkflowExecutionInfo().GetStatus()
	return strings.ToLower(strings.TrimPrefix(st.String(), "WORKFLOW_EXECUTION_STATUS_")), nil
}

// Stopped is a workflow that should be running and is not; its ID is also
// the subject `bienal repair` takes.
type Stopped struct {
	ID, Kind, Status string
}

// Unhealthy lists the subjects whose workflow should be running and is not
// (failed, terminated, missing...), in the order of subjects.
func Unhealthy(ctx context.Context, c Describer, subjects []cooperation.Subject) ([]Stopped, error) {
	var out []Stopped
	for _, s := range subjects {
		id := s.ID()
		st, err := RunStatus(ctx, c, id)
		if err != nil {
			return nil, err
		}
		if st != "running" {
			out = append(out, Stopped{ID: id, Kind: s.Kind, Status: st})
		}
	}
	return out, nil
}

// Restart starts again the workflow of a subject whose run failed, was
// terminated or is missing, from what Postgres holds: each workflow reads
// its state from its rows when it starts. A running workflow is left alone.
func Restart(ctx context.Context, c Starter, s cooperation.Subject, in TaskInput) error {
	var name, summary string
	var arg any
	var search temporal.SearchAttributes
	switch s.Kind {
	case "activity":
		name, arg = ActivityWorkflowName, ActivityInput{Biennium: s.Biennium, Code: s.Code}
		summary, search = activityStart(s.Biennium, s.Code)
	case "cycle":
		name, arg = CycleWorkflowName, CycleInput{Biennium: s.Biennium, Name: s.Cycle}
		summary, search = cycleStart(s.Biennium, s.Cycle)
	default:
		name, arg = TaskWorkflowName, in
		o := withTaskSearch(workflow.ChildWorkflowOptions{}, in)
		summary, search = o.StaticSummary, o.TypedSearchAttributes
	}
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       s.ID(),
		StaticSummary:            summary,
		TypedSearchAttributes:    search,
		TaskQueue:                TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without it the SDK hands back the running workflow as if started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, name, arg)
	if err != nil {
		return fmt.Errorf("restart workflow %s: %w", s.ID(), err)
	}
	return nil
}
