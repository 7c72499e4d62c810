package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	// Seats asks for the roster as seats and the votes with their voters'
	// IDs, as workflows from the change committee-seats keep them; without
	// it, the roster and the votes name each seat's member by address, as
	// runs begun before the change expect.
	Seats bool `json:"seats,omitempty"`
}

// RosterSeat is a seat on a round's roster: its country (Seat), or, for a
// round of a run begun before seats, its member's address (Email).
type RosterSeat struct {
	Email   string `json:"email,omitempty"`
	Seat    string `json:"seat,omitempty"`
	Role    string `json:"role"`
	Recused bool   `json:"recused"`
}

// RoundVote is a vote already counted in a round: the seat's, cast by
// Member (a person's ID, or an address for a run begun before seats).
type RoundVote struct {
	Seat     string    `json:"seat,omitempty"`
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
		out, err = roundResult(ctx, tx, r, in.Seats)
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
	seats, err := tx.CommitteeSeats(ctx, in.Biennium, in.At)
	if err != nil {
		return store.Round{}, err
	}
	if len(seats) == 0 || seats[0].Role != "chair" {
		return store.Round{}, reviewInvalid(fmt.Sprintf("open round %d of %s/%s: the programme has no committee chair", in.Round, in.Biennium, in.Code))
	}
	r := store.Round{Biennium: in.Biennium, Code: in.Code, Round: in.Round, Version: act.Version,
		OpenedAt: in.At, ClosesAt: in.At.AddDate(0, 0, act.VotingDays)}
	for _, st := range seats {
		r.Seats = append(r.Seats, store.RoundSeat{Country: st.Country, Role: st.Role, Voters: st.Voters,
			Recused: act.RecuseInvolved && act.Involves(st.Country)})
	}
	if _, err := tx.CreateRound(ctx, r); err != nil {
		return store.Round{}, err
	}
	subject := store.ActivityRef(in.Biennium, in.Code)
	recused := []string{}
	for _, st := range r.Seats {
		if st.Recused {
			recused = append(recused, st.Country)
		}
	}
	err = tx.Audit(ctx, fmt.Sprintf("review_opened/%s/%s/%d", in.Biennium, in.Code, in.Round), "system", subject,
		"review_opened", map[string]any{"round": in.Round, "version": act.Version, "closes_at": r.ClosesAt,
			"seats": len(r.Seats), "recused": recused})
	if err != nil {
		return store.Round{}, err
	}
	return r, a.mailRound(ctx, tx, act, r)
}

// roundResult is the round as the workflow keeps it: by seats, or, for a
// run begun before seats, by each seat's principal's address.
func roundResult(ctx context.Context, tx *store.Store, r store.Round, seats bool) (ReviewRound, error) {
	act, err := tx.ReviewActivity(ctx, r.Biennium, r.Code)
	if err != nil {
		return ReviewRound{}, err
	}
	out := ReviewRound{Round: r.Round, Version: r.Version, ClosesAt: r.ClosesAt, MaxRounds: act.MaxRounds,
		AwaitingCasting: r.AwaitingCasting, Outcome: r.Outcome, Votes: []RoundVote{}}
	member := map[string]string{} // a seat's address, for a run begun before seats
	for _, st := range r.Seats {
		rs := RosterSeat{Seat: st.Country, Role: st.Role, Recused: st.Recused}
		if !seats {
			rs.Seat = ""
			if p, ok := (store.Seat{Voters: st.Voters}).Principal(); ok {
				rs.Email, member[st.Country] = p.Email, p.Email
			}
		}
		out.Roster = append(out.Roster, rs)
	}
	votes, err := tx.ListVotes(ctx, r.Biennium, r.Code)
	if err != nil {
		return ReviewRound{}, err
	}
	for _, v := range votes {
		if v.Round != r.Round {
			continue
		}
		rv := RoundVote{Seat: v.Seat, Member: v.MemberID, VoteID: v.VoteID, Decision: v.Decision,
			Comment: v.Comment, Casting: v.Casting, At: v.CastAt}
		if !seats {
			rv.Seat, rv.Member = "", member[v.Seat]
		}
		out.Votes = append(out.Votes, rv)
	}
	return out, nil
}

// VoteInput is a vote the workflow counted: the seat's (Seat), cast by
// Member, a person's ID; without Seat (runs begun before seats), Member is
// the voter's address and the seat is the one they may vote for.
type VoteInput struct {
	Biennium string    `json:"biennium"`
	Code     string    `json:"code"`
	Round    int       `json:"round"`
	Seat     string    `json:"seat,omitempty"`
	Member   string    `json:"member"`
	VoteID   string    `json:"vote_id"`
	Decision string    `json:"decision"`
	Comment  string    `json:"comment"`
	Casting  bool      `json:"casting"`
	At       time.Time `json:"at"`
}

// RecordVote stores a counted vote (replacing the seat's earlier one in
// the round, whoever of its delegates cast it) and its audit line, which
// names the voter by address, together. A voter who may not cast the
// seat's vote (a raw signal naming another seat) is refused, non-retryably.
func (a *Activities) RecordVote(ctx context.Context, in VoteInput) error {
	action := "vote_counted"
	if in.Casting {
		action = "casting_vote_counted"
	}
	err := a.Store.InTx(ctx, func(tx *store.Store) error {
		seat, email, err := a.voteSeat(ctx, tx, in)
		if err != nil {
			return err
		}
		err = tx.SaveVote(ctx, store.Vote{Biennium: in.Biennium, Code: in.Code, Round: in.Round, Seat: seat, Member: email,
			VoteID: in.VoteID, Decision: in.Decision, Comment: in.Comment, Casting: in.Casting, CastAt: in.At})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, fmt.Sprintf("vote/%s/%s/%s", in.Biennium, in.Code, in.VoteID), email,
			store.ActivityRef(in.Biennium, in.Code), action, map[string]any{"round": in.Round, "vote_id": in.VoteID,
				"seat": seat, "decision": in.Decision, "comment": in.Comment})
	})
	return reviewErr(err)
}

// voteSeat finds the seat a vote is for and the address of its voter, and
// checks that the voter may cast that seat's vote now.
func (a *Activities) voteSeat(ctx context.Context, tx *store.Store, in VoteInput) (string, string, error) {
	email := in.Member
	if cooperation.IsPersonID(in.Member) {
		p, err := tx.PersonByID(ctx, in.Member)
		if errors.Is(err, store.ErrNotFound) {
			return "", "", reviewInvalid(fmt.Sprintf("vote %s: no person %s", in.VoteID, in.Member))
		} else if err != nil {
			return "", "", err
		}
		email = p.Email
	}
	st, _, err := tx.RoundVoter(ctx, in.Biennium, in.Code, in.Round, email, in.Seat, in.At)
	switch {
	case errors.Is(err, store.ErrNotFound) && in.Seat != "":
		return "", "", reviewInvalid(fmt.Sprintf("vote %s: %s may not cast the vote of seat %s", in.VoteID, in.Member, in.Seat))
	case errors.Is(err, store.ErrNotFound):
		return "", "", reviewInvalid(fmt.Sprintf("vote %s: %s may cast no seat's vote in round %d", in.VoteID, in.Member, in.Round))
	case err != nil:
		return "", "", err
	}
	return st.Country, email, nil
}

// VoterInput asks which seat an address may cast the vote of in a round.
type VoterInput struct {
	Biennium string    `json:"biennium"`
	Code     string    `json:"code"`
	Round    int       `json:"round"`
	Email    string    `json:"email"`
	At       time.Time `json:"at"`
}

// Voter is who an address is to a round: their ID and the seat whose vote
// they cast; empty when they may cast none.
type Voter struct {
	Member string `json:"member,omitempty"`
	Seat   string `json:"seat,omitempty"`
}

// ResolveVoter answers, for a vote sent in the released payload (member
// an address, no seat), who the voter is and for which seat, so that the
// workflow counts it as the seat's.
func (a *Activities) ResolveVoter(ctx context.Context, in VoterInput) (Voter, error) {
	st, v, err := a.Store.RoundVoter(ctx, in.Biennium, in.Code, in.Round, strings.ToLower(strings.TrimSpace(in.Email)), "", in.At)
	if errors.Is(err, store.ErrNotFound) {
		return Voter{}, nil
	} else if err != nil {
		return Voter{}, err
	}
	return Voter{Member: v.ID, Seat: st.Country}, nil
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
	actor, err := actorOf(ctx, a.Store, cooperation.Excerpt(in.Actor, cooperation.MaxEmail))
	if err != nil {
		return reviewErr(err)
	}
	if actor == "" {
		actor = "unknown"
	}
	err = a.Store.Audit(ctx, fmt.Sprintf("refused/%s/%s/%d", in.Biennium, in.Code, in.Seq), actor,
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
