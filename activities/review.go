package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// ActivityKey names one activity of a programme.
type ActivityKey struct {
	Biennium string `json:"biennium"`
	Code     string `json:"code"`
}

// ReviewStatus is what the activity workflow reads at its start.
type ReviewStatus struct {
	Status    cooperation.ActivityStatus `json:"status"`
	Round     int                        `json:"round"`
	Version   int                        `json:"version"`
	MaxRounds int                        `json:"max_rounds"`
}

// LoadReview reads an activity's status, round and version.
func (a *Activities) LoadReview(ctx context.Context, in ActivityKey) (ReviewStatus, error) {
	act, err := a.Store.ReviewActivity(ctx, in.Biennium, in.Code)
	if err != nil {
		return ReviewStatus{}, reviewErr(err)
	}
	return ReviewStatus{Status: act.Status, Round: act.Round, Version: act.Version, MaxRounds: act.MaxRounds}, nil
}

// OpenRoundInput opens (or, when it exists, reads back) round Round.
type OpenRoundInput struct {
	Biennium string    `json:"biennium"`
	Code     string    `json:"code"`
	Round    int       `json:"round"`
	At       time.Time `json:"at"` // the workflow's clock: the round opens then
}

// RosterSeat is a member on a round's roster.
type RosterSeat struct {
	Email   string `json:"email"`
	Role    string `json:"role"`
	Recused bool   `json:"recused"`
}

// RoundVote is a vote already counted in a round.
type RoundVote struct {
	Member   string    `json:"member"`
	VoteID   string    `json:"vote_id"`
	Decision string    `json:"decision"`
	Comment  string    `json:"comment"`
	Casting  bool      `json:"casting"`
	At       time.Time `json:"at"`
}

// ReviewRound is an open round as the workflow keeps it.
type ReviewRound struct {
	Round           int          `json:"round"`
	Version         int          `json:"version"`
	ClosesAt        time.Time    `json:"closes_at"`
	MaxRounds       int          `json:"max_rounds"`
	Roster          []RosterSeat `json:"roster"`
	AwaitingCasting bool         `json:"awaiting_casting"`
	Outcome         string       `json:"outcome,omitempty"`
	Votes           []RoundVote  `json:"votes"`
}

// OpenReviewRound opens a committee review round in one transaction: the
// round, its roster (the committee as it is now, with involved members
// recused when the programme says so), the activity under review, an audit
// line, a vote request to each entitled member and a notice to each recused
// one. A retry finds the round and returns it unchanged, with its votes.
func (a *Activities) OpenReviewRound(ctx context.Context, in OpenRoundInput) (ReviewRound, error) {
	var out ReviewRound
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		r, err := tx.LoadRound(ctx, in.Biennium, in.Code, in.Round)
		if errors.Is(err, store.ErrNotFound) {
			r, err = a.createRound(ctx, tx, in)
		}
		if err != nil {
			return err
		}
		out, err = roundResult(ctx, tx, r)
		return err
	})
	if err != nil {
		return ReviewRound{}, reviewErr(err)
	}
	return out, nil
}

func (a *Activities) createRound(ctx context.Context, tx *store.Store, in OpenRoundInput) (store.Round, error) {
	act, err := tx.ReviewActivity(ctx, in.Biennium, in.Code)
	if err != nil {
		return store.Round{}, err
	}
	seats, err := tx.CommitteeSeats(ctx, in.Biennium)
	if err != nil {
		return store.Round{}, err
	}
	if len(seats) == 0 || seats[0].Role != "chair" {
		return store.Round{}, reviewInvalid(fmt.Sprintf("open round %d of %s/%s: the programme has no committee chair", in.Round, in.Biennium, in.Code))
	}
	r := store.Round{Biennium: in.Biennium, Code: in.Code, Round: in.Round, Version: act.Version,
		OpenedAt: in.At, ClosesAt: in.At.AddDate(0, 0, act.VotingDays)}
	for _, s := range seats {
		r.Members = append(r.Members, store.RoundMember{Contact: s, Recused: act.RecuseInvolved && act.Involves(s.Country)})
	}
	if _, err := tx.CreateRound(ctx, r); err != nil {
		return store.Round{}, err
	}
	subject := store.ActivityRef(in.Biennium, in.Code)
	var recused []string
	for _, m := range r.Members {
		if m.Recused {
			recused = append(recused, m.Email)
		}
	}
	err = tx.Audit(ctx, fmt.Sprintf("review_opened/%s/%s/%d", in.Biennium, in.Code, in.Round), "system", subject,
		"review_opened", map[string]any{"round": in.Round, "version": act.Version, "closes_at": r.ClosesAt,
			"members": len(r.Members), "recused": recused})
	if err != nil {
		return store.Round{}, err
	}
	return r, a.mailRound(ctx, tx, act, r)
}

func roundResult(ctx context.Context, tx *store.Store, r store.Round) (ReviewRound, error) {
	act, err := tx.ReviewActivity(ctx, r.Biennium, r.Code)
	if err != nil {
		return ReviewRound{}, err
	}
	out := ReviewRound{Round: r.Round, Version: r.Version, ClosesAt: r.ClosesAt, MaxRounds: act.MaxRounds,
		AwaitingCasting: r.AwaitingCasting, Outcome: r.Outcome, Votes: []RoundVote{}}
	for _, m := range r.Members {
		out.Roster = append(out.Roster, RosterSeat{Email: m.Email, Role: m.Role, Recused: m.Recused})
	}
	votes, err := tx.ListVotes(ctx, r.Biennium, r.Code)
	if err != nil {
		return ReviewRound{}, err
	}
	for _, v := range votes {
		if v.Round == r.Round {
			out.Votes = append(out.Votes, RoundVote{Member: v.Member, VoteID: v.VoteID, Decision: v.Decision,
				Comment: v.Comment, Casting: v.Casting, At: v.CastAt})
		}
	}
	return out, nil
}

// VoteInput is a vote the workflow counted.
type VoteInput struct {
	Biennium string    `json:"biennium"`
	Code     string    `json:"code"`
	Round    int       `json:"round"`
	Member   string    `json:"member"`
	VoteID   string    `json:"vote_id"`
	Decision string    `json:"decision"`
	Comment  string    `json:"comment"`
	Casting  bool      `json:"casting"`
	At       time.Time `json:"at"`
}

// RecordVote stores a counted vote (replacing the member's earlier one in
// the round) and its audit line, together.
func (a *Activities) RecordVote(ctx context.Context, in VoteInput) error {
	action := "vote_counted"
	if in.Casting {
		action = "casting_vote_counted"
	}
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		err := tx.SaveVote(ctx, store.Vote{Biennium: in.Biennium, Code: in.Code, Round: in.Round, Member: in.Member,
			VoteID: in.VoteID, Decision: in.Decision, Comment: in.Comment, Casting: in.Casting, CastAt: in.At})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, fmt.Sprintf("vote/%s/%s/%s", in.Biennium, in.Code, in.VoteID), in.Member,
			store.ActivityRef(in.Biennium, in.Code), action, map[string]any{"round": in.Round, "vote_id": in.VoteID,
				"decision": in.Decision, "comment": in.Comment})
	})
	return reviewErr(err)
}

// RefusedInput is a signal the workflow did not act on, and why.
type RefusedInput struct {
	Biennium string `json:"biennium"`
	Code     string `json:"code"`
	// Seq numbers the refusals of one workflow, so a retry writes one line.
	Seq    int    `json:"seq"`
	Signal string `json:"signal"`
	Actor  string `json:"actor"`
	Reason string `json:"reason"`
	Round  int    `json:"round"`
	VoteID string `json:"vote_id,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// RecordRefusedVote writes the audit line of a vote that was not counted:
// not_on_roster, recused, round_closed, duplicate_vote_id, invalid_decision,
// not_chair or casting_not_requested.
func (a *Activities) RecordRefusedVote(ctx context.Context, in RefusedInput) error {
	return a.recordRefused(ctx, in, "vote_refused")
}

// RecordRefusedSignal writes the audit line of another signal the activity's
// state did not allow (a withdrawal after the decision, for instance).
func (a *Activities) RecordRefusedSignal(ctx context.Context, in RefusedInput) error {
	return a.recordRefused(ctx, in, "signal_refused")
}

func (a *Activities) recordRefused(ctx context.Context, in RefusedInput, action string) error {
	actor := cooperation.Excerpt(in.Actor, cooperation.MaxEmail)
	if actor == "" {
		actor = "unknown"
	}
	err := a.Store.Audit(ctx, fmt.Sprintf("refused/%s/%s/%d", in.Biennium, in.Code, in.Seq), actor,
		store.ActivityRef(in.Biennium, in.Code), action, map[string]any{"signal": in.Signal, "reason": in.Reason,
			"round": in.Round, "vote_id": cooperation.Excerpt(in.VoteID, cooperation.MaxID),
			"detail": cooperation.Excerpt(in.Detail, maxDetail)})
	return reviewErr(err)
}

// CheckRevision returns the activity's current version and status, so the
// workflow acts on a "revise" signal only once a new version is stored.
func (a *Activities) CheckRevision(ctx context.Context, in ActivityKey) (ReviewStatus, error) {
	return a.LoadReview(ctx, in)
}

// reviewErr makes errors that retrying cannot fix non-retryable.
func reviewErr(err error) error {
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &appErr):
		return err
	case errors.Is(err, store.ErrNotFound):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotFound, err)
	case errors.Is(err, store.ErrWrongStatus):
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, err)
	}
	return err
}

func reviewInvalid(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeInvalid, nil)
}
