package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// createRevision stores a revised proposal as a new version, with its texts
// in several languages in place of those it had, and tells the activity's
// workflow, which sends it back to the committee. The form's
// nonce makes a double click one revision. Every answer is a redirect to
// the link's page, which shows it.
func (s *server) createRevision(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, store.PurposeRevise)
	if !ok {
		return
	}
	a, ok := s.linkActivity(w, r, v)
	if !ok {
		return
	}
	f, nonce, ok := s.linkForm(w, r, v)
	if !ok {
		return
	}
	b, err := cooperation.ParseBiennium("biennium", a.Biennium)
	if err != nil {
		s.internal(w, r, "biennium of activity", err)
		return
	}
	fields := readProposalFields(f, r, b)
	original, translations := readTranslations(f, r)
	texts, err := operations.TranslatedTexts(original, fields.Title, fields.Description, fields.ExpectedOutputs, translations)
	f.refuseOperation(err, nil)
	if f.ok() {
		keepUnshownOutputs(texts, a, original, fields.ExpectedOutputs)
	}
	if !f.ok() {
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Errors: f.errors, Failed: true})
		return
	}
	workflowID := workflows.ActivityID(a.Biennium, a.Code)
	err = s.store.InTx(r.Context(), func(tx *store.Store) error {
		first, err := tx.ClaimForm(r.Context(), nonce, store.PurposeRevise, workflowID, v.link.Recipient)
		if err != nil || !first {
			return err
		}
		version, err := tx.ReviseActivity(r.Context(), a.Biennium, a.Code, fields, v.link.Recipient)
		if err != nil {
			return err
		}
		if err := tx.ReplaceActivityTexts(r.Context(), a.Biennium, a.Code, texts); err != nil {
			return err
		}
		return tx.SetFormResult(r.Context(), nonce, strconv.Itoa(version))
	})
	if errors.Is(err, store.ErrWrongStatus) {
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Notice: "err_not_revisable", Failed: true})
		return
	} else if err != nil {
		s.internal(w, r, "store revision", err)
		return
	}
	result, _, err := s.store.FormResult(r.Context(), nonce)
	version, perr := strconv.Atoi(result)
	if err != nil || perr != nil {
		s.internal(w, r, "read revision of form", errors.Join(err, perr))
		return
	}
	// The revision is stored: the lead country's answer is in. A lost
	// signal is sent again by the scheduler's tell-revisions step.
	// The workflow is told who by ID: no address goes into its history.
	by, err := s.store.PersonRef(r.Context(), v.link.Recipient)
	if err != nil {
		by = ""
	}
	s.tellOnce(r, nonce, workflowID, workflows.SignalRevise, workflows.ReviseSignal{RevisionID: fmt.Sprint(version), By: by})
	s.redirectLinkFlash(w, r, v, store.FormFlash{Notice: "revise_done_body"})
}

// doneData is what a confirmation page shows.
type doneData struct {
	Message, Code string
	Title         cooperation.TextSet
}
