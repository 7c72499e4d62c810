package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
)

// validateSignals is the change from which every signal's payload is
// checked against the cooperation limits before any activity runs, a
// refused one is audited, a change an activity refuses is audited rather
// than failing the workflow, and a workflow that ends first drains and
// refuses the signals still queued. Before it, the same inputs failed the
// workflow or blocked it; replays of those runs take the old path.
const validateSignals = "validate-signals"

// validating tells whether this run applies validateSignals. It is asked
// only where the old and new code differ, so histories without such input
// replay unchanged.
func validating(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, validateSignals, workflow.DefaultVersion, 1) >= 1
}

// malformedPayload stands for a payload that is not JSON: it decodes into
// no signal struct, so the signal is refused as malformed.
var malformedPayload = json.RawMessage(`"payload is not JSON"`)

// receive takes one signal off c without decoding it. Decoding into a
// struct there would make the SDK drop a payload that does not fit and
// wait for the next one, inside a selector's callback, blocking every timer.
func receive(ctx workflow.Context, c workflow.ReceiveChannel) json.RawMessage {
	var rv converter.RawValue
	c.Receive(ctx, &rv)
	return rawJSON(rv)
}

// receiveAsync is receive without waiting; ok is false when nothing is queued.
func receiveAsync(c workflow.ReceiveChannel) (json.RawMessage, bool) {
	var rv converter.RawValue
	if !c.ReceiveAsync(&rv) {
		return nil, false
	}
	return rawJSON(rv), true
}

func rawJSON(rv converter.RawValue) json.RawMessage {
	p := rv.Payload()
	if p == nil || string(p.GetMetadata()[converter.MetadataEncoding]) == converter.MetadataEncodingNil {
		return json.RawMessage("null")
	}
	if string(p.GetMetadata()[converter.MetadataEncoding]) != converter.MetadataEncodingJSON || !json.Valid(p.GetData()) {
		return malformedPayload
	}
	return json.RawMessage(p.GetData())
}

// decode reads a signal's payload; a refusal reason and detail when it does not fit.
func decode(raw json.RawMessage, v any) (reason, detail string) {
	if err := json.Unmarshal(raw, v); err != nil {
		return refusedMalformedPayload, err.Error()
	}
	return "", ""
}

// Reasons an input is refused before it reaches an activity.
const (
	refusedInvalidInput = "invalid_input"
	refusedNotStored    = "not_stored" // an activity refused to store it
	refusedAfterClose   = "after_close"
)

// inputRefusal is the first limit the fields break, as a reason and a detail.
func inputRefusal(errs ...error) (reason, detail string) {
	for _, err := range errs {
		if err != nil {
			return refusedInvalidInput, err.Error()
		}
	}
	return "", ""
}

// refusedByActivity tells an activity's final refusal (a state or a value
// that no retry changes) from a failure worth retrying.
func refusedByActivity(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.NonRetryable()
}

// refusals numbers and records the refused signals of one run of a report
// task or a cycle; the run ID keeps the audit keys of successive runs apart.
type refusals struct {
	subject string
	seq     int
}

func (r *refusals) record(ctx workflow.Context, signal, actor, reason, detail string) {
	r.seq++
	workflow.GetLogger(ctx).Info("Signal refused.", "signal", signal, "reason", reason, "detail", cooperation.Excerpt(detail, 200))
	in := activities.RefusalInput{Subject: r.subject,
		Key:    fmt.Sprintf("%s/%s/%s", r.subject, workflow.GetInfo(ctx).WorkflowExecution.RunID, strconv.Itoa(r.seq)),
		Signal: signal, Actor: actor, Reason: reason, Detail: detail}
	lctx := workflow.WithActivityOptions(ctx, refusalOptions)
	if err := workflow.ExecuteActivity(lctx, reportActs.RecordRefusal, in).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("Refusal not recorded.", "signal", signal, "error", err)
	}
}

// refusalOptions retry an audit line through an outage like every other
// step; a line Postgres refuses is logged and the workflow carries on.
var refusalOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
}
