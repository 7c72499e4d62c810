package operations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// answerWithin bounds the wait for a workflow's answer: a worker that is
// down leaves the request queued, and the person is told so rather than
// kept waiting.
const answerWithin = 20 * time.Second

// VoteRequest is a committee member's vote on an activity under review.
// The vote ID names the vote: the same ID sent twice counts once and gets
// the same answer.
type VoteRequest struct {
	Biennium, Code string
	// Member is the address of who votes: a delegate of a committee seat
	// (its principal or an alternate) or whoever one of them named while
	// away. The vote is the seat's.
	Member string
	// Seat is the country whose seat votes; empty, the seat Member holds
	// (or acts for).
	Seat     string
	Decision string
	Comment  string
	VoteID   string
	// Casting is the Chair's casting vote, asked for when the voting
	// period ended without a majority.
	Casting bool
}

// Vote asks the activity's workflow to count a vote and returns its answer:
// counted (with the round's outcome if this vote decided it), or a Refused
// saying why (recused, not_on_roster, round_closed, casting_not_requested,
// duplicate_vote_id...). A refusal is in the audit log either way.
func (s *Service) Vote(ctx context.Context, r VoteRequest) (workflows.VoteAnswer, error) {
	r.Member = strings.ToLower(strings.TrimSpace(r.Member))
	if err := invalid(
		cooperation.ID("vote_id", r.VoteID),
		cooperation.Line("member", r.Member, cooperation.MaxEmail, true),
		cooperation.OneOf("decision", r.Decision, workflows.DecisionApprove, workflows.DecisionReject, workflows.DecisionRequestChanges),
		cooperation.Text("comment", r.Comment, cooperation.MaxVoteComment, false),
	); err != nil {
		return workflows.VoteAnswer{}, err
	}
	name := workflows.UpdateVote
	if r.Casting {
		name = workflows.UpdateCastingVote
	}
	seat, who, err := s.voter(ctx, r)
	var ref *Refused
	if errors.As(err, &ref) {
		s.auditVoteRefusal(ctx, r, name, ref.Reason, ref.Detail)
	}
	if err != nil {
		return workflows.VoteAnswer{}, err
	}
	id := workflows.ActivityID(r.Biennium, r.Code)
	var ans workflows.VoteAnswer
	// The workflow is told the seat and the voter's ID, never the address.
	err = s.ask(ctx, id, name, r.VoteID, workflows.VoteSignal{VoteID: r.VoteID, Seat: seat, Member: who.ID,
		Decision: r.Decision, Comment: r.Comment}, &ans)
	if err != nil {
		return workflows.VoteAnswer{}, s.voteError(ctx, r, name, err)
	}
	s.log().Info("vote counted", "workflow_id", id, "vote_id", r.VoteID, "outcome", ans.Outcome)
	return ans, nil
}

// voter finds the seat whose vote r.Member casts, and who they are: a
// Refused not_on_roster when they may cast none (or not r.Seat's).
func (s *Service) voter(ctx context.Context, r VoteRequest) (string, store.Voter, error) {
	seat, who, err := s.Store.VoterSeat(ctx, r.Biennium, r.Member, r.Seat, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return "", store.Voter{}, &Refused{Reason: "not_on_roster", Detail: err.Error()}
	}
	return seat, who, err
}

// voteError turns what the update got into the operation's answer, and
// audits a refusal the workflow's validator made, which leaves no history.
// No answer in time comes back as ask's NoAnswer.
func (s *Service) voteError(ctx context.Context, r VoteRequest, update string, err error) error {
	id := workflows.ActivityID(r.Biennium, r.Code)
	var noAnswer *NoAnswer
	if errors.As(err, &noAnswer) {
		return err
	}
	if ref, ok := workflows.RefusalOf(err); ok {
		if !ref.Audited {
			s.auditVoteRefusal(ctx, r, update, ref.Reason, ref.Detail)
		}
		return &Refused{Reason: ref.Reason, Detail: ref.Detail}
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return s.notRunning(ctx, r, update)
	}
	return fmt.Errorf("vote %s on %s: %w", r.VoteID, id, err)
}

// notRunning explains a vote to an activity whose workflow is not running:
// decided and closed (refused, audited), unknown, or stopped by a fault
// that an operator repairs.
func (s *Service) notRunning(ctx context.Context, r VoteRequest, update string) error {
	id := workflows.ActivityID(r.Biennium, r.Code)
	a, err := s.Store.GetActivity(ctx, r.Biennium, r.Code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &Refused{Reason: "not_found", Detail: "no activity " + r.Biennium + "/" + r.Code}
	case err != nil:
		return fmt.Errorf("vote %s on %s: read the activity: %w", r.VoteID, id, err)
	case a.Status != cooperation.ActivityUnderReview:
		detail := "the activity is " + strings.ReplaceAll(string(a.Status), "_", " ")
		s.auditVoteRefusal(ctx, r, update, "round_closed", detail)
		return &Refused{Reason: "round_closed", Detail: detail}
	}
	return fmt.Errorf("the workflow of %s is not running, so it cannot count the vote; an operator runs bienal repair %s", id, id)
}

func (s *Service) auditVoteRefusal(ctx context.Context, r VoteRequest, update, reason, detail string) {
	err := s.Store.Audit(ctx, fmt.Sprintf("vote-refused/%s/%s/%s", r.Biennium, r.Code, r.VoteID),
		cooperation.Excerpt(r.Member, cooperation.MaxEmail), store.ActivityRef(r.Biennium, r.Code), "vote_refused",
		map[string]any{"signal": update, "reason": reason, "vote_id": r.VoteID, "detail": detail, "decision": r.Decision})
	if err != nil {
		s.log().Error("refused vote not audited", "vote_id", r.VoteID, "reason", reason, "error", err)
	}
}

func isDeadline(err error) bool {
	var d *serviceerror.DeadlineExceeded
	var c *serviceerror.Canceled
	return errors.As(err, &d) || errors.As(err, &c)
}
