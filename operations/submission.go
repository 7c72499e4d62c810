package operations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// Signaller is the part of client.Client that signals a workflow.
type Signaller interface {
	SignalWorkflow(ctx context.Context, workflowID, runID, signalName string, arg any) error
}

// SubmitSignal is what tells a task's workflow of the stored submission
// id, made by by: the submitter's person ID, never an address (see
// Store.PersonRef). An address the directory does not know (one typed on
// the command line) is named "unknown"; the submission's row keeps it.
func (s *Service) SubmitSignal(ctx context.Context, id int64, by string) (workflows.SubmitSignal, error) {
	ref, err := s.Store.PersonRef(ctx, by)
	switch {
	case errors.Is(err, store.ErrNotFound):
		ref = "unknown"
	case err != nil:
		return workflows.SubmitSignal{}, err
	}
	return workflows.SubmitSignal{SubmissionID: id, By: ref}, nil
}

// tellAfter is how long a stored report may wait for its signal before it
// is sent again: long enough for the portal's own signal to arrive.
const tellAfter = time.Minute

// TellSubmissions tells each task workflow of the reports stored and counted
// in Postgres that it has not recorded, such as a report stored while
// Temporal was away. A report is the focal point's once stored: this is
// what lets the portal say so without asking them to send it again. It
// returns how many it told; a workflow already told records it once.
func (s *Service) TellSubmissions(ctx context.Context, c Signaller) (int, error) {
	untold, err := s.Store.UntoldSubmissions(ctx, s.now().Add(-tellAfter), 500)
	if err != nil {
		return 0, err
	}
	told := 0
	var errs []error
	for _, u := range untold {
		id := workflows.TaskID(u.Biennium, u.Cycle, u.Code, u.Country)
		// One task that cannot be told (its workflow stopped, awaiting
		// repair) does not hold up the others.
		sig, err := s.SubmitSignal(ctx, u.ID, u.SubmittedBy)
		if err == nil {
			err = c.SignalWorkflow(ctx, id, "", workflows.SignalSubmit, sig)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("tell %s of submission %d: %w", id, u.ID, err))
			continue
		}
		told++
	}
	if told > 0 {
		s.log().Info("stored reports told to their tasks", "submissions", told)
	}
	return told, errors.Join(errs...)
}
