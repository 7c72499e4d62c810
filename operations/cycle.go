package operations

import (
	"context"
	"errors"
	"fmt"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// CycleRequest opens a reporting cycle. Days are written YYYY-MM-DD; an
// empty Closes means cooperation.DefaultCycleClosing of Due. Symbol,
// Distribution and OriginalLanguage, when given, are the front matter of
// its report (see SetCycleDocument).
type CycleRequest struct {
	Biennium, Name, Title string
	Due, Closes           string
	Symbol, Distribution  *string
	OriginalLanguage      *string
}

// OpenedCycle is the cycle an OpenCycle left open. Resumed tells that the
// row was there already without its workflow (an earlier attempt stopped
// between the two), which this attempt started.
type OpenedCycle struct {
	store.Cycle
	Resumed bool
}

// OpenCycle opens a reporting cycle: it checks the request under the cycle
// rules, writes the row, and starts the cycle's workflow, which creates the
// report tasks and e-mails them. A second OpenCycle of a cycle stored
// without its workflow starts it; of a cycle that runs or ran, it is
// Refused (cycle_exists).
func (s *Service) OpenCycle(ctx context.Context, r CycleRequest) (OpenedCycle, error) {
	b, berr := cooperation.ParseBiennium("biennium", r.Biennium)
	errs := []error{berr, cooperation.CycleName("name", r.Name),
		cooperation.Line("title", r.Title, cooperation.MaxCycleTitle, false)}
	due, closes, dateErrs := cooperation.CycleDays(b, r.Due, r.Closes, s.now().UTC())
	for _, e := range dateErrs {
		errs = append(errs, e)
	}
	doc, docErrs := checkDocument(r.Symbol, r.Distribution, nil, r.OriginalLanguage)
	errs = append(errs, docErrs...)
	if err := invalid(errs...); err != nil {
		return OpenedCycle{}, err
	}
	c, err := s.Store.OpenCycle(ctx, r.Biennium, r.Name, r.Title, due, closes)
	if err == nil {
		err = s.setOpenedDocument(ctx, c, doc)
	}
	switch {
	case errors.Is(err, store.ErrCycleExists):
		if serr := workflows.StartCycle(ctx, s.Temporal, r.Biennium, r.Name); serr == nil {
			c, err = s.Store.GetCycle(ctx, r.Biennium, r.Name)
			s.log().Info("cycle workflow started for a stored cycle", "workflow_id", workflows.CycleID(r.Biennium, r.Name))
			if err == nil && doc != (store.CycleDocumentChange{}) {
				// The attempt that stored it may have stopped before its
				// front matter was written.
				_, _, err = s.Store.SetCycleDocument(ctx, r.Biennium, r.Name, doc)
			}
			return OpenedCycle{Cycle: c, Resumed: true}, err
		}
		return OpenedCycle{}, &Refused{Reason: "cycle_exists", Detail: err.Error()}
	case errors.Is(err, store.ErrNotFound):
		return OpenedCycle{}, invalid(&cooperation.FieldError{Field: "biennium", Key: "err_no_programme",
			Detail: fmt.Sprintf("%q: no programme of this biennium is imported", r.Biennium)})
	case errors.Is(err, store.ErrInvalid):
		return OpenedCycle{}, invalid(err)
	case err != nil:
		return OpenedCycle{}, err
	}
	if err := workflows.StartCycle(ctx, s.Temporal, c.Biennium, c.Name); err != nil {
		// Undo the row, so that the answer is "not opened" and the same
		// request can simply be sent again. Had this process stopped before
		// this point, the next OpenCycle would start the stored cycle.
		if forgot, ferr := s.Store.ForgetCycle(context.WithoutCancel(ctx), c.Biennium, c.Name); ferr != nil || !forgot {
			return OpenedCycle{}, fmt.Errorf("cycle %s/%s is stored but its workflow did not start (%w); opening it again starts it", c.Biennium, c.Name, err)
		}
		return OpenedCycle{}, fmt.Errorf("cycle %s/%s not opened: its workflow did not start: %w", c.Biennium, c.Name, err)
	}
	s.log().Info("cycle opened", "workflow_id", workflows.CycleID(c.Biennium, c.Name))
	return OpenedCycle{Cycle: c}, nil
}

// setOpenedDocument writes the front matter a cycle was opened with; a
// cycle whose front matter could not be written is forgotten, so that
// opening it fails whole and can be sent again.
func (s *Service) setOpenedDocument(ctx context.Context, c store.Cycle, doc store.CycleDocumentChange) error {
	if doc == (store.CycleDocumentChange{}) {
		return nil
	}
	if _, _, err := s.Store.SetCycleDocument(ctx, c.Biennium, c.Name, doc); err != nil {
		if _, ferr := s.Store.ForgetCycle(context.WithoutCancel(ctx), c.Biennium, c.Name); ferr != nil {
			return fmt.Errorf("cycle %s/%s is stored without its front matter (%w); set it with bienal cycle set", c.Biennium, c.Name, err)
		}
		return fmt.Errorf("cycle %s/%s not opened: its front matter was not written: %w", c.Biennium, c.Name, err)
	}
	return nil
}
