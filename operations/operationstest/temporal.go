// Package operationstest gives the tests of the operations and of their
// front doors a Temporal that starts workflows as the server does and
// does nothing else; the real server runs in the end-to-end tests.
package operationstest

import (
	"context"
	"errors"
	"sync"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// Temporal records the workflows started and, like the server with the ID
// policies of workflows.StartActivity and StartCycle, refuses a second
// start of the same workflow ID. Its zero value is ready to use.
type Temporal struct {
	mu      sync.Mutex
	running map[string]bool
	started []string
	err     error
}

// ExecuteWorkflow starts the workflow named by o.ID, unless the server is
// away (Away) or it runs already.
func (f *Temporal) ExecuteWorkflow(_ context.Context, o client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	if f.running[o.ID] {
		return nil, serviceerror.NewWorkflowExecutionAlreadyStarted("workflow already started", "", "")
	}
	if f.running == nil {
		f.running = map[string]bool{}
	}
	f.running[o.ID] = true
	f.started = append(f.started, o.ID)
	return nil, nil
}

// UpdateWorkflow is refused: no workflow runs behind this Temporal to
// answer an update.
func (f *Temporal) UpdateWorkflow(context.Context, client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return nil, errors.New("operationstest: no workflow runs to answer an update")
}

// Away makes every start fail with err, as with the server out of reach;
// nil brings it back.
func (f *Temporal) Away(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// Started lists the IDs of the workflows started, in order.
func (f *Temporal) Started() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.started...)
}
