package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// recordingTemporal stands in for the Temporal client in these HTTP tests:
// it records signals and answers queries from a canned value. The real
// server runs in the end-to-end tests.
type recordingTemporal struct {
	mu        sync.Mutex
	signals   []sentSignal
	state     any
	unhealthy bool
	started   []startedWorkflow
	running   map[string]bool
	// updates are the update IDs answered; refusal, when set, is what the
	// workflow answers every update with.
	updates map[string]bool
	refusal error
	// startErr and signalErr, when set, are what every ExecuteWorkflow
	// and SignalWorkflow get: a server away.
	startErr, signalErr error
}

// UpdateWorkflow records an update as a sent message (once per update ID,
// as the server keeps one update per ID) and answers it: refused with
// f.refusal when set, counted otherwise.
func (f *recordingTemporal) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.updates == nil {
		f.updates = map[string]bool{}
	}
	if !f.updates[o.UpdateID] {
		f.updates[o.UpdateID] = true
		var arg any
		if len(o.Args) > 0 {
			arg = o.Args[0]
		}
		f.signals = append(f.signals, sentSignal{WorkflowID: o.WorkflowID, Name: o.UpdateName, Arg: arg})
	}
	return updateHandle{id: o.UpdateID, workflowID: o.WorkflowID, err: f.refusal}, nil
}

type updateHandle struct {
	id, workflowID string
	err            error
}

func (h updateHandle) WorkflowID() string { return h.workflowID }
func (h updateHandle) RunID() string      { return "" }
func (h updateHandle) UpdateID() string   { return h.id }
func (h updateHandle) Get(_ context.Context, ptr any) error {
	if h.err != nil {
		return h.err
	}
	b, err := json.Marshal(map[string]any{"vote_id": h.id, "round": 1})
	if err != nil {
		return err
	}
	return json.Unmarshal(b, ptr)
}

// startedWorkflow is one ExecuteWorkflow call the fake recorded.
type startedWorkflow struct {
	Options  client.StartWorkflowOptions
	Workflow any
	Args     []any
}

type sentSignal struct {
	WorkflowID, Name string
	Arg              any
}

func (f *recordingTemporal) SignalWorkflow(_ context.Context, workflowID, _ string, name string, arg any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.signalErr != nil {
		return f.signalErr
	}
	f.signals = append(f.signals, sentSignal{WorkflowID: workflowID, Name: name, Arg: arg})
	return nil
}

func (f *recordingTemporal) QueryWorkflow(_ context.Context, _, _, _ string, _ ...any) (converter.EncodedValue, error) {
	if f.state == nil {
		return nil, errors.New("no such workflow")
	}
	b, err := json.Marshal(f.state)
	return jsonValue(b), err
}

func (f *recordingTemporal) CheckHealth(context.Context, *client.CheckHealthRequest) (*client.CheckHealthResponse, error) {
	if f.unhealthy {
		return nil, errors.New("connection refused")
	}
	return &client.CheckHealthResponse{}, nil
}

// ExecuteWorkflow records a start and, like the server with its ID reuse
// policy, refuses a second start of the same workflow ID.
func (f *recordingTemporal) ExecuteWorkflow(_ context.Context, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startErr != nil {
		return nil, f.startErr
	}
	if f.running[o.ID] {
		return nil, serviceerror.NewWorkflowExecutionAlreadyStarted("workflow already started", "", "")
	}
	if f.running == nil {
		f.running = map[string]bool{}
	}
	f.running[o.ID] = true
	f.started = append(f.started, startedWorkflow{Options: o, Workflow: wf, Args: args})
	return nil, nil
}

// markRunning makes the fake know a workflow started before the test.
func (f *recordingTemporal) markRunning(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running == nil {
		f.running = map[string]bool{}
	}
	f.running[id] = true
}

func (f *recordingTemporal) starts() []startedWorkflow {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]startedWorkflow(nil), f.started...)
}

// reset forgets what was sent, as if the test began here.
func (f *recordingTemporal) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.signals, f.updates = nil, nil
}

func (f *recordingTemporal) sent() []sentSignal {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentSignal(nil), f.signals...)
}

type jsonValue []byte

func (v jsonValue) HasValue() bool    { return len(v) > 0 }
func (v jsonValue) Get(ptr any) error { return json.Unmarshal(v, ptr) }
