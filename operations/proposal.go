package operations

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// ProposalRequest proposes an activity for a biennium whose programme is
// imported. Days are written YYYY-MM-DD.
type ProposalRequest struct {
	Biennium string
	// Code is the activity's code; empty, the proposal gets the next code
	// of its goal, G<goal>P<n>.
	Code               string
	Goal, LineOfAction int
	Lead               string
	Participants       []string
	Title, Description string
	ExpectedOutputs    []string
	// Texts are the title, description and outputs in other languages, as
	// a proposal file may give them (programme.Texts); the fields above
	// hold each in its original language.
	Texts programme.Texts
	// TextsLanguage and Translations are the texts' languages as the
	// portal's form gives them (see TranslatedTexts), which make Texts:
	// the language the fields above are written in, and each translation.
	TextsLanguage    string
	Translations     []Translation
	StartsOn, EndsOn string
	// ProposedBy is the focal point who proposes it; empty, By is, when By
	// is a person of the directory.
	ProposedBy string
	// By is who sends the request, as the audit log names them: the focal
	// point, or the secretariat on a country's behalf.
	By string
	// Link is the token of the call link the proposal came by, which its
	// receipt quotes; empty, the receipt carries a new link to the
	// biennium's open call, or none when no call is open.
	Link string
	// RequestID names the request: the same ID sent again stores nothing
	// more and gets the same code. A proposal with a code is named by its
	// code and may go without.
	RequestID string
}

// Proposed is the proposal a Propose left in committee review. Resumed
// tells that it was stored by an earlier request whose workflow had not
// started, which this one started; Repeated, that the same request had
// been taken whole already and changed nothing.
type Proposed struct {
	Biennium, Code    string
	Resumed, Repeated bool
}

// Propose stores a proposal, queues its receipt to the proposer (when they
// are a focal point of the lead country) and starts its workflow, which
// takes it to committee review. When the workflow cannot start, the
// proposal stays stored and the answer is NotStarted: the same request
// again starts it, whether it is named by its RequestID or by its code.
func (s *Service) Propose(ctx context.Context, r ProposalRequest) (Proposed, error) {
	p, err := s.checkProposal(r)
	if err != nil {
		return Proposed{}, err
	}
	code, first, err := s.storeProposal(ctx, r, p)
	var inv *Invalid
	if errors.As(err, &inv) && r.Code != "" {
		if ok, rerr := s.resumeProposal(ctx, r.Biennium, r.Code); ok || rerr != nil {
			return Proposed{Biennium: r.Biennium, Code: r.Code, Resumed: ok}, rerr
		}
	}
	if err != nil {
		return Proposed{}, err
	}
	id := workflows.ActivityID(r.Biennium, code)
	started, err := workflows.StartActivity(ctx, s.Temporal, r.Biennium, code)
	if err != nil {
		return Proposed{Biennium: r.Biennium, Code: code}, &NotStarted{WorkflowID: id, Err: err}
	}
	s.log().Info("activity proposed", "workflow_id", id, "started", started, "first", first)
	return Proposed{Biennium: r.Biennium, Code: code, Resumed: !first && started, Repeated: !first && !started}, nil
}

// checkProposal checks a request under the rules of a proposal and returns
// it as the store takes it. Whether its goal, line of action and countries
// exist the store checks, in the transaction that writes it.
func (s *Service) checkProposal(r ProposalRequest) (*programme.ActivityProposal, error) {
	b, berr := cooperation.ParseBiennium("biennium", r.Biennium)
	errs := []error{berr,
		positive("goal", r.Goal), positive("line_of_action", r.LineOfAction),
		country("lead", r.Lead),
		cooperation.Participants("participants", r.Lead, r.Participants),
		cooperation.Text("title", r.Title, cooperation.MaxTitle, true),
		cooperation.Text("description", r.Description, cooperation.MaxReportText, true),
		cooperation.Outputs("expected_outputs", r.ExpectedOutputs, cooperation.MaxOutputs),
		cooperation.Line("by", r.By, cooperation.MaxEmail, false),
	}
	if r.Code != "" && !programme.ValidCode(r.Code) {
		errs = append(errs, &cooperation.FieldError{Field: "code", Key: cooperation.ErrChoice,
			Detail: "letters, digits, '.', '_' or '-' (at most 32, starting with a letter or digit)"})
	}
	for _, c := range r.Participants {
		errs = append(errs, country("participants", c))
	}
	if r.ProposedBy != "" {
		errs = append(errs, cooperation.Email("proposed_by", r.ProposedBy))
	}
	if r.TextsLanguage != "" || len(r.Translations) > 0 {
		ts, err := TranslatedTexts(r.TextsLanguage, r.Title, r.Description, r.ExpectedOutputs, r.Translations)
		var inv *Invalid
		switch {
		case errors.As(err, &inv):
			for _, fe := range inv.Fields {
				errs = append(errs, fe)
			}
		case len(r.Texts) > 0:
			errs = append(errs, &cooperation.FieldError{Field: "texts", Key: cooperation.ErrChoice,
				Detail: "texts are given either as Texts or as a language with translations, not both"})
		default:
			r.Texts = ts
		}
	}
	errs = append(errs, checkTexts(r)...)
	if r.RequestID != "" {
		errs = append(errs, cooperation.ID("request_id", r.RequestID))
	}
	var starts, ends time.Time
	if berr == nil {
		var dateErrs []*cooperation.FieldError
		starts, ends, dateErrs = cooperation.ActivityDays(b, r.StartsOn, r.EndsOn)
		for _, e := range dateErrs {
			errs = append(errs, e)
		}
	}
	if err := invalid(errs...); err != nil {
		return nil, err
	}
	return &programme.ActivityProposal{Biennium: r.Biennium, Activity: programme.Activity{
		Code: r.Code, Goal: r.Goal, LineOfAction: r.LineOfAction, Lead: r.Lead, Participants: r.Participants,
		Title: r.Title, Description: r.Description, ExpectedOutputs: r.ExpectedOutputs,
		StartsOn: starts, EndsOn: ends, Status: cooperation.ActivityProposed, ProposedBy: r.ProposedBy, Texts: r.Texts}}, nil
}

// storeProposal writes the proposal and its receipt in one transaction and
// returns its code; first is false when the request's ID had been taken,
// and the code is then the one it got.
func (s *Service) storeProposal(ctx context.Context, r ProposalRequest, p *programme.ActivityProposal) (code string, first bool, err error) {
	first = true
	err = s.Store.InTx(ctx, func(tx *store.Store) error {
		if r.RequestID != "" {
			var err error
			if first, err = tx.ClaimForm(ctx, r.RequestID, store.PurposePropose, store.CallRef(r.Biennium), r.By); err != nil || !first {
				return err
			}
		}
		if p.Code == "" {
			var err error
			if p.Code, err = tx.NextProposalCode(ctx, r.Biennium, p.Goal); err != nil {
				return err
			}
		}
		if err := tx.ProposeActivity(ctx, r.Biennium, p, r.By); err != nil {
			return proposalError(err)
		}
		if err := tx.SaveActivityTexts(ctx, r.Biennium, p.Code, p.Texts); err != nil {
			return err
		}
		if err := s.queueReceipt(ctx, tx, r, p); err != nil {
			return err
		}
		if r.RequestID != "" {
			return tx.SetFormResult(ctx, r.RequestID, p.Code)
		}
		return nil
	})
	switch {
	case err != nil:
		return "", false, err
	case !first:
		code, _, err = s.Store.FormResult(ctx, r.RequestID)
		return code, false, err
	}
	return p.Code, true, nil
}

// queueReceipt queues the receipt of a proposal to its proposer, when they
// are a focal point of its lead country: they hear that it arrived and
// goes to the committee.
func (s *Service) queueReceipt(ctx context.Context, tx *store.Store, r ProposalRequest, p *programme.ActivityProposal) error {
	proposer := p.ProposedBy
	if proposer == "" {
		proposer = r.By
	}
	fps, err := tx.FocalPoints(ctx, r.Biennium, p.Lead)
	if err != nil {
		return err
	}
	for _, fp := range fps {
		if fp.Email != proposer {
			continue
		}
		url, err := s.callLink(ctx, tx, r, fp.Email)
		if err != nil {
			return err
		}
		e, err := mail.ProposalReceipt(r.Biennium, p.Code, p.Texts.Set("title", p.Title), url, fp)
		if err != nil {
			return err
		}
		_, err = tx.QueueEmail(ctx, e)
		return err
	}
	return nil
}

// callLink is the address through which a proposer follows their
// proposals: the link they came by, else a new one to the biennium's open
// call, else none.
func (s *Service) callLink(ctx context.Context, tx *store.Store, r ProposalRequest, email string) (string, error) {
	if r.Link != "" {
		return mail.LinkURL(s.BaseURL, r.Link), nil
	}
	c, err := tx.LatestCall(ctx, r.Biennium)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", nil
	case err != nil:
		return "", err
	case !c.ClosesAt.After(s.now()):
		return "", nil
	}
	ref, err := tx.CreateMailLink(ctx, store.PurposePropose, store.CallRef(r.Biennium), email, c.ClosesAt)
	if err != nil {
		return "", err
	}
	return mail.LinkURL(s.BaseURL, ref), nil
}

// resumeProposal starts the workflow of a proposal stored by an earlier
// request that stopped before starting it: such a proposal is still
// proposed. It reports whether it started one.
func (s *Service) resumeProposal(ctx context.Context, biennium, code string) (bool, error) {
	act, err := s.Store.GetActivity(ctx, biennium, code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case act.Status != cooperation.ActivityProposed:
		return false, nil
	}
	started, err := workflows.StartActivity(ctx, s.Temporal, biennium, code)
	if err != nil {
		return false, &NotStarted{WorkflowID: workflows.ActivityID(biennium, code), Err: err}
	}
	if started {
		s.log().Info("activity workflow started for a stored proposal", "workflow_id", workflows.ActivityID(biennium, code))
	}
	return started, nil
}

// proposalError turns the store's refusal of a proposal (a goal, line of
// action or country the programme lacks, a code in use) into an Invalid
// naming each field as the request does.
func proposalError(err error) error {
	var pe programme.Errors
	if !errors.As(err, &pe) {
		return err
	}
	fields := make([]error, len(pe))
	for i, fe := range pe {
		field, _, _ := strings.Cut(fe.Field, "[")
		fields[i] = &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice, Detail: fe.Message}
	}
	return invalid(fields...)
}

func positive(field string, n int) error {
	if n < 1 {
		return &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice, Detail: "is required"}
	}
	return nil
}

func country(field, code string) error {
	if !programme.ValidCountry(code) {
		return &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice,
			Detail: "expected an ISO 3166 alpha-2 code in capitals like \"CL\", found \"" + cooperation.Excerpt(code, 10) + "\""}
	}
	return nil
}
