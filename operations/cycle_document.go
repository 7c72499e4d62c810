package operations

import (
	"context"
	"errors"
	"fmt"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// CycleDocumentRequest changes the front matter a cycle's report is issued
// under. A nil field is left as it is; each is written as typed, on the
// command line or in the cycle page's form. An empty Symbol removes it; an
// empty OriginalLanguage goes back to the secretariat's language.
type CycleDocumentRequest struct {
	Biennium, Name   string
	Symbol           *string
	Distribution     *string
	Revision         *string
	OriginalLanguage *string
	By               string
}

// CycleDocumentSet is the front matter as stored, and whether the request
// changed it.
type CycleDocumentSet struct {
	store.CycleDocument
	Changed bool
}

// checkDocument reads the request's fields under the document rules, with
// an error for each field at fault.
func checkDocument(symbol, distribution, revision, lang *string) (store.CycleDocumentChange, []error) {
	var ch store.CycleDocumentChange
	var errs []error
	if symbol != nil {
		errs = append(errs, cooperation.DocumentSymbol("symbol", *symbol))
		ch.Symbol = symbol
	}
	if distribution != nil {
		d, err := cooperation.ParseDistribution("distribution", *distribution)
		errs = append(errs, err)
		ch.Distribution = &d
	}
	if revision != nil {
		n, err := cooperation.ParseRevision("revision", *revision)
		errs = append(errs, err)
		ch.Revision = &n
	}
	if lang != nil {
		if *lang != "" && !cooperation.Language(*lang) {
			errs = append(errs, &cooperation.FieldError{Field: "original_language", Key: cooperation.ErrChoice,
				Detail: fmt.Sprintf("%q is not one of %v (or empty: the secretariat's)", cooperation.Excerpt(*lang, 20), cooperation.Languages)})
		}
		ch.OriginalLanguage = lang
	}
	return ch, errs
}

// SetCycleDocument changes a cycle's front matter: symbol, distribution,
// revision, original language. It is Invalid, with nothing changed, when a
// field breaks the document rules or the revision is lower than the one
// already issued; raising the revision of a closed cycle takes its report's
// rows again (see store.SetCycleDocument). A change is audited
// (cycle_document_set); the same request sent twice changes nothing the
// second time.
func (s *Service) SetCycleDocument(ctx context.Context, r CycleDocumentRequest) (CycleDocumentSet, error) {
	ch, errs := checkDocument(r.Symbol, r.Distribution, r.Revision, r.OriginalLanguage)
	if err := invalid(errs...); err != nil {
		return CycleDocumentSet{}, err
	}
	if r.By == "" {
		r.By = "secretariat"
	}
	var out CycleDocumentSet
	err := s.Store.InTx(ctx, func(tx *store.Store) error {
		doc, changed, err := tx.SetCycleDocument(ctx, r.Biennium, r.Name, ch)
		if err != nil {
			return err
		}
		out = CycleDocumentSet{CycleDocument: doc, Changed: changed}
		if !changed {
			return nil
		}
		return tx.Audit(ctx, "", r.By, cooperation.CycleID(r.Biennium, r.Name), "cycle_document_set", map[string]any{
			"symbol": doc.Symbol, "distribution": doc.Distribution, "revision": doc.Revision,
			"original_language": doc.OriginalLanguage, "own_language": doc.OwnLanguage})
	})
	if errors.Is(err, store.ErrInvalid) {
		return CycleDocumentSet{}, invalid(err)
	}
	if err != nil {
		return CycleDocumentSet{}, err
	}
	if out.Changed {
		s.log().Info("cycle front matter set", "workflow_id", cooperation.CycleID(r.Biennium, r.Name), "revision", out.Revision)
	}
	return out, nil
}
