package operations

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"go.temporal.io/api/serviceerror"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// ChangeRequest is a change to an activity: its completion (Text is the
// statement), its cancellation or withdrawal (Text is the reason).
type ChangeRequest struct {
	Biennium, Code string
	By             string
	Text           string
	// RequestID names the request: the same ID sent twice (a double
	// click) is one change with one answer. Empty means one per activity.
	RequestID string
}

// Complete asks the activity's workflow to close it as completed, with its
// statement, and returns its state; Refused when it is not in execution.
func (s *Service) Complete(ctx context.Context, r ChangeRequest) (workflows.ActivityState, error) {
	if err := invalid(cooperation.Text("statement", r.Text, cooperation.MaxReportText, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.ActivityState{}, err
	}
	by, err := s.personRef(ctx, r.By)
	if err != nil {
		return workflows.ActivityState{}, err
	}
	return s.changeActivity(ctx, r, workflows.UpdateComplete, workflows.CompleteSignal{By: by, Statement: r.Text})
}

// Cancel asks the activity's workflow to cancel it, with the reason.
func (s *Service) Cancel(ctx context.Context, r ChangeRequest) (workflows.ActivityState, error) {
	if err := invalid(cooperation.Text("reason", r.Text, cooperation.MaxReason, true),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.ActivityState{}, err
	}
	by, err := s.personRef(ctx, r.By)
	if err != nil {
		return workflows.ActivityState{}, err
	}
	return s.changeActivity(ctx, r, workflows.UpdateCancel, workflows.CancelSignal{By: by, Reason: r.Text})
}

// Withdraw asks the activity's workflow to withdraw a proposal still in
// review; Refused (after_decision) once the committee has decided.
func (s *Service) Withdraw(ctx context.Context, r ChangeRequest) (workflows.ActivityState, error) {
	if err := invalid(cooperation.Text("reason", r.Text, cooperation.MaxReason, false),
		cooperation.Line("by", r.By, cooperation.MaxEmail, true)); err != nil {
		return workflows.ActivityState{}, err
	}
	by, err := s.personRef(ctx, r.By)
	if err != nil {
		return workflows.ActivityState{}, err
	}
	return s.changeActivity(ctx, r, workflows.UpdateWithdraw, workflows.WithdrawSignal{By: by, Reason: r.Text})
}

// personRef is who a payload names for by: a directory person's ID, or
// the text given when it is no address (a name, "secretariat"). An address
// the directory does not know is Invalid, so that no address reaches a
// workflow.
func (s *Service) personRef(ctx context.Context, by string) (string, error) {
	ref, err := s.Store.PersonRef(ctx, by)
	if errors.Is(err, store.ErrNotFound) {
		return "", invalid(&cooperation.FieldError{Field: "by", Key: cooperation.ErrUnknown,
			Detail: fmt.Sprintf("%q: no person with this address in the directory (give a directory address, or a name)", by)})
	}
	return ref, err
}

func (s *Service) changeActivity(ctx context.Context, r ChangeRequest, update string, arg any) (workflows.ActivityState, error) {
	id := cooperation.ActivityID(r.Biennium, r.Code)
	a, err := s.Store.GetActivity(ctx, r.Biennium, r.Code)
	if errors.Is(err, store.ErrNotFound) {
		return workflows.ActivityState{}, &Refused{Reason: "not_found", Detail: "no activity " + r.Biennium + "/" + r.Code}
	} else if err != nil {
		return workflows.ActivityState{}, err
	}
	var st workflows.ActivityState
	what := r.RequestID
	if what == "" {
		what = "once"
	}
	err = s.ask(ctx, id, update, what, arg, &st)
	var nf *serviceerror.NotFound
	switch {
	case err == nil:
		return st, nil
	case errors.As(err, &nf) && !a.Status.Live():
		detail := "the activity is " + string(a.Status)
		s.audit(ctx, id, update, "closed", r.By, "signal_refused", "activity_closed", detail)
		return workflows.ActivityState{}, &Refused{Reason: "activity_closed", Detail: detail}
	case errors.As(err, &nf):
		return workflows.ActivityState{}, fmt.Errorf("the workflow of %s is not running; an operator runs bienal repair %s", id, id)
	}
	return workflows.ActivityState{}, s.refusalOf(ctx, id, update, what, r.By, "signal_refused", err)
}

// TellRevisions tells each activity's workflow of a revised proposal stored
// in Postgres that it has not acted on, such as one stored while Temporal
// was away: a revision is the lead country's once stored. It returns how
// many it told.
func (s *Service) TellRevisions(ctx context.Context, c Signaller) (int, error) {
	untold, err := s.Store.UntoldRevisions(ctx, s.now().Add(-tellAfter), 500)
	if err != nil {
		return 0, err
	}
	told := 0
	var errs []error
	for _, u := range untold {
		id := cooperation.ActivityID(u.Biennium, u.Code)
		by, err := s.Store.PersonRef(ctx, u.ProposedBy)
		if err != nil {
			by = "" // a proposer no longer in the directory: the revision is the lead country's all the same
		}
		if err := c.SignalWorkflow(ctx, id, "", workflows.SignalRevise,
			workflows.ReviseSignal{RevisionID: strconv.Itoa(u.Version), By: by}); err != nil {
			errs = append(errs, fmt.Errorf("tell %s of version %d: %w", id, u.Version, err))
			continue
		}
		told++
	}
	if told > 0 {
		s.log().Info("stored revisions told to their activities", "revisions", told)
	}
	return told, errors.Join(errs...)
}

// StartProposals starts the workflow of each stored proposal whose workflow
// did not start (Temporal away when it was proposed): a proposal is its
// lead country's once stored, and its committee review starts from here.
// It returns how many it started.
func (s *Service) StartProposals(ctx context.Context) (int, error) {
	stuck, err := s.Store.UnstartedProposals(ctx, s.now().Add(-tellAfter), 500)
	if err != nil {
		return 0, err
	}
	started := 0
	var errs []error
	for _, k := range stuck {
		ok, err := workflows.StartActivity(ctx, s.Temporal, k.Biennium, k.Code)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			started++
		}
	}
	if started > 0 {
		s.log().Info("workflows started for stored proposals", "proposals", started)
	}
	return started, errors.Join(errs...)
}
