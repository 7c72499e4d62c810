package operations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bienal/bienal/workflows"
)

// Signaller is the part of client.Client that signals a workflow.
type Signaller interface {
	SignalWorkflow(ctx context.Context, workflowID, runID, signalName string, arg any) error
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
		if err := c.SignalWorkflow(ctx, id, "", workflows.SignalSubmit,
			workflows.SubmitSignal{SubmissionID: u.ID, By: u.SubmittedBy}); err != nil {
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
