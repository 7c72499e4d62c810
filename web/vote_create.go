package web

import (
	"net/http"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// MaxVoteComment bounds a vote's comment, in characters.
const MaxVoteComment = 5000

// createVote sends a committee member's vote to the activity's workflow,
// then shows the tally. The vote ID derives from the form's nonce, so a
// double click is one vote.
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
	sig := workflows.VoteSignal{
		VoteID:   s.derivedID("vote", nonce),
		Member:   v.link.Recipient,
		Decision: f.choice(r, "decision", voteDecisions),
		Comment:  f.text(r, "comment", MaxVoteComment, false),
	}
	if data.Round.Outcome != "" || (!s.now().Before(data.Round.ClosesAt) && !data.Casting) {
		s.failIn(w, r, http.StatusConflict, "err_round_closed", v.lang)
		return
	}
	if !f.ok() {
		p := page{Lang: v.lang, TitleKey: "vote_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
			Data: data, Form: f.values, Errors: f.errors}
		s.render(w, r, http.StatusUnprocessableEntity, "vote", p)
		return
	}
	workflowID := workflows.ActivityID(data.Activity.Biennium, data.Activity.Code)
	if _, err := s.store.ClaimForm(r.Context(), nonce, store.PurposeVote, workflowID, v.link.Recipient); err != nil {
		s.internal(w, r, "claim vote form", err)
		return
	}
	signal := workflows.SignalVote
	if data.Casting {
		signal = workflows.SignalCastingVote
	}
	if !s.signalOnce(w, r, v.lang, nonce, workflowID, signal, sig) {
		return
	}
	data.State = s.activityState(r, workflowID)
	s.render(w, r, http.StatusOK, "vote_done", page{Lang: v.lang, TitleKey: "vote_done_title", Path: linkPath(v.token), Data: data})
}

// activityState asks the workflow for its tally; without an answer the page
// shows the confirmation alone.
func (s *server) activityState(r *http.Request, workflowID string) *workflows.ActivityState {
	val, err := s.temporal.QueryWorkflow(r.Context(), workflowID, "", workflows.QueryState)
	if err != nil {
		s.log.Warn("query activity state", "workflow_id", workflowID, "error", err)
		return nil
	}
	var st workflows.ActivityState
	if err := val.Get(&st); err != nil {
		s.log.Warn("decode activity state", "workflow_id", workflowID, "error", err)
		return nil
	}
	return &st
}
