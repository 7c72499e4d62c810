package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// MaxVoteComment bounds a vote's comment, in characters.
const MaxVoteComment = 5000

// createVote asks the activity's workflow to count a committee member's
// vote, and shows its answer: the tally, or the reason the vote was not
// counted. The vote ID derives from the form's nonce, so a double click is
// one vote, and both clicks get the same answer.
func (s *server) createVote(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, store.PurposeVote)
	if !ok {
		return
	}
	data, ok := s.voteRound(w, r, v)
	if !ok {
		return
	}
	f, nonce, ok := s.linkForm(w, r, v)
	if !ok {
		return
	}
	req := operations.VoteRequest{
		Biennium: data.Activity.Biennium, Code: data.Activity.Code,
		VoteID:   s.derivedID("vote", nonce),
		Member:   v.link.Recipient,
		Seat:     data.Seat.Country,
		Decision: f.choice(r, "decision", voteDecisions),
		Comment:  f.text(r, "comment", MaxVoteComment, false),
		Casting:  data.Casting,
	}
	// A form shown again keeps everything the first showed: the period, the
	// outputs and what changed.
	again := func(status int) {
		if err := s.proposalDetails(r, &data, v.lang); err != nil {
			s.internal(w, r, "load proposal", err)
			return
		}
		p := page{Lang: v.lang, TitleKey: "vote_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
			Data: data, Form: f.values, Errors: f.errors}
		s.render(w, r, status, "vote", p)
	}
	if !f.ok() {
		again(http.StatusUnprocessableEntity)
		return
	}
	workflowID := workflows.ActivityID(data.Activity.Biennium, data.Activity.Code)
	if _, err := s.store.ClaimForm(r.Context(), nonce, store.PurposeVote, workflowID, v.link.Recipient); err != nil {
		s.internal(w, r, "claim vote form", err)
		return
	}
	_, err := s.ops.Vote(r.Context(), req)
	var refused *operations.Refused
	var noAnswer *operations.NoAnswer
	switch {
	case err == nil:
	case f.refuseOperation(err, nil):
		again(http.StatusUnprocessableEntity)
		return
	case errors.As(err, &refused):
		s.log.Info("vote refused", "workflow_id", workflowID, "reason", refused.Reason)
		s.failIn(w, r, http.StatusConflict, refused.Key(), v.lang)
		return
	case errors.As(err, &noAnswer):
		s.log.Warn("vote unanswered", "workflow_id", workflowID, "error", err)
		f.errors["decision"] = translate(v.lang, "err_no_answer")
		again(http.StatusServiceUnavailable)
		return
	default:
		s.internal(w, r, "vote", err)
		return
	}
	tally, err := s.roundTally(r, v.lang, data.Activity.Biennium, data.Activity.Code, data.Round.Round)
	if err != nil {
		// The vote is counted: the page confirms it without the tally.
		s.log.Warn("load the round's tally", "workflow_id", workflowID, "error", err)
	}
	data.Tally = tally
	s.render(w, r, http.StatusOK, "vote_done", page{Lang: v.lang, TitleKey: "vote_done_title", Path: linkPath(v.token), Data: data})
}
