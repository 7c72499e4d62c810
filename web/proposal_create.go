package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// createProposal stores a proposal sent through a call, queues its receipt,
// and starts its workflow, which takes it to committee review as one
// proposed from the CLI would be. The form's nonce makes a double click one
// proposal; a retry after a failed start starts the same workflow.
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
	p, ok := s.readProposal(w, r, v, c, f)
	if !ok {
		return
	}
	code, err := s.storeProposal(r.Context(), v, c, nonce, p)
	if err != nil {
		s.internal(w, r, "store proposal", err)
		return
	}
	if !s.startActivity(w, r, v, c.biennium, code) {
		return
	}
	s.renderProposal(w, r, v, c, http.StatusOK, &form{values: map[string]string{}}, nil, code)
}

// readProposal checks the form against the programme's goals, lines of
// action and countries; on any error it shows the form again.
func (s *server) readProposal(w http.ResponseWriter, r *http.Request, v linkVisit, c callVisit, f *form) (*programme.ActivityProposal, bool) {
	choices, err := s.store.ProposalChoices(r.Context(), c.biennium)
	if err != nil {
		s.internal(w, r, "load proposal choices", err)
		return nil, false
	}
	keys := func(cs []store.Choice) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Key)
		}
		return out
	}
	goal, _ := strconv.Atoi(f.choice(r, "goal", keys(choices.Goals)))
	line, _ := strconv.Atoi(f.choice(r, "line_of_action", keys(choices.Lines)))
	participants := readParticipants(f, r, keys(choices.Countries), c.country)
	b, err := cooperation.ParseBiennium("biennium", c.biennium)
	if err != nil {
		s.internal(w, r, "biennium of call", err)
		return nil, false
	}
	fields := readProposalFields(f, r, b)
	if !f.ok() {
		s.renderProposal(w, r, v, c, http.StatusUnprocessableEntity, f, participants, "")
		return nil, false
	}
	starts, _ := time.Parse(time.DateOnly, fields.StartsOn)
	ends, _ := time.Parse(time.DateOnly, fields.EndsOn)
	return &programme.ActivityProposal{Biennium: c.biennium, Activity: programme.Activity{
		Goal: goal, LineOfAction: line, Lead: c.country, Participants: participants, Title: fields.Title,
		Description: fields.Description, ExpectedOutputs: fields.ExpectedOutputs, StartsOn: starts, EndsOn: ends,
		Status: cooperation.ActivityProposed, ProposedBy: v.link.Recipient}}, true
}

// readParticipants reads the participating countries: each one of the
// programme's, listed once, and not the lead country, which takes part as
// lead (the form offers no box for it; a crafted post could still send it).
func readParticipants(f *form, r *http.Request, countries []string, lead string) []string {
	var out []string
	for _, p := range r.PostForm["participants"] {
		switch {
		case !slices.Contains(countries, p):
			f.refuse("participants", cooperation.OneOf("participants", p, countries...))
		case p == lead || slices.Contains(out, p):
			f.refuse("participants", &cooperation.FieldError{Field: "participants", Key: errDuplicate})
		default:
			out = append(out, p)
		}
	}
	return out
}

// errDuplicate is the key of a country listed twice.
const errDuplicate = "err_duplicate"

// storeProposal writes the activity and its receipt in one transaction,
// once per form, and returns the activity's code.
func (s *server) storeProposal(ctx context.Context, v linkVisit, c callVisit, nonce string, p *programme.ActivityProposal) (string, error) {
	err := s.store.InTx(ctx, func(tx *store.Store) error {
		first, err := tx.ClaimForm(ctx, nonce, store.PurposePropose, store.CallRef(c.biennium), v.link.Recipient)
		if err != nil || !first {
			return err
		}
		if p.Code, err = tx.NextProposalCode(ctx, c.biennium, p.Goal); err != nil {
			return err
		}
		if err := tx.ProposeActivity(ctx, c.biennium, p, v.link.Recipient); err != nil {
			return err
		}
		to, err := tx.FocalPoints(ctx, c.biennium, c.country)
		if err != nil {
			return err
		}
		for _, fp := range to {
			if fp.Email != v.link.Recipient {
				continue
			}
			e, err := s.proposalReceipt(c.biennium, p.Code, p.Title, v.token, fp)
			if err != nil {
				return err
			}
			if _, err := tx.QueueEmail(ctx, e); err != nil {
				return err
			}
		}
		return tx.SetFormResult(ctx, nonce, p.Code)
	})
	if err != nil {
		return "", err
	}
	code, _, err := s.store.FormResult(ctx, nonce)
	return code, err
}

// startActivity starts a proposal's workflow; one already started is fine.
func (s *server) startActivity(w http.ResponseWriter, r *http.Request, v linkVisit, biennium, code string) bool {
	if _, err := workflows.StartActivity(r.Context(), s.temporal, biennium, code); err != nil {
		s.log.Error("start activity workflow", "workflow_id", workflows.ActivityID(biennium, code), "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_signal", v.lang)
		return false
	}
	s.log.Info("activity workflow started", "workflow_id", workflows.ActivityID(biennium, code))
	return true
}
