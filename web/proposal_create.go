package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// createProposal sends a proposal made through a call to operations.Propose,
// which stores it, queues its receipt and starts its workflow, taking it to
// committee review as one proposed from the CLI would be. The form's nonce
// names the request: a double click is one proposal, and a retry after a
// failed start starts the same workflow. Every answer is a redirect to the
// link's page, which shows it.
func (s *server) createProposal(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, store.PurposePropose)
	if !ok {
		return
	}
	c, ok := s.callOf(w, r, v)
	if !ok {
		return
	}
	f, nonce, ok := s.linkForm(w, r, v)
	if !ok {
		return
	}
	req := readProposal(f, r, v, c)
	req.RequestID = nonce
	p, err := s.ops.Propose(r.Context(), req)
	var notStarted *operations.NotStarted
	switch {
	case err == nil:
	case f.refuseOperation(err, nil):
		f.values["participants"] = shown(strings.Join(req.Participants, ","))
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Errors: f.errors, Failed: true})
		return
	case errors.As(err, &notStarted):
		// Stored is proposed: the scheduler starts its review within a
		// minute or so, and the receipt is queued.
		s.log.Warn("activity workflow not started yet; the scheduler starts it", "workflow_id", notStarted.WorkflowID, "error", err)
	default:
		s.internal(w, r, "store proposal", err)
		return
	}
	s.redirectLinkFlash(w, r, v, store.FormFlash{Notice: "propose_done_body", NoticeArgs: []string{p.Code}})
}

// readProposal reads the proposal form as the operation takes it; the
// focal point proposes for the country they serve, through their link.
// What was typed is kept to show again beside any refusal.
func readProposal(f *form, r *http.Request, v linkVisit, c callVisit) operations.ProposalRequest {
	goal, _ := strconv.Atoi(f.value(r, "goal"))
	line, _ := strconv.Atoi(f.value(r, "line_of_action"))
	outputs := outputLines(f.multiline(r, "expected_outputs"))
	req := operations.ProposalRequest{Biennium: c.biennium, Goal: goal, LineOfAction: line, Lead: c.country,
		Participants: r.PostForm["participants"], Title: f.value(r, "title"), Description: f.multiline(r, "description"),
		ExpectedOutputs: outputs, StartsOn: f.value(r, "starts_on"), EndsOn: f.value(r, "ends_on"),
		ProposedBy: v.link.Recipient, By: v.link.Recipient, Link: v.token}
	req.TextsLanguage, req.Translations = readTranslations(f, r)
	return req
}
