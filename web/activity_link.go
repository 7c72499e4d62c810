package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// linkActivity loads the activity a revise or complete link names and checks
// that the link's recipient is a focal point of its lead country.
func (s *server) linkActivity(w http.ResponseWriter, r *http.Request, v linkVisit) (store.Activity, bool) {
	rest, ok := subjectAfter(v.link.Subject, "activity")
	biennium, code, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		s.refuseLink(w, r, v, "subject is not an activity")
		return store.Activity{}, false
	}
	a, err := s.store.GetActivity(r.Context(), biennium, code)
	if errors.Is(err, store.ErrNotFound) {
		s.refuseLink(w, r, v, "activity not found")
		return store.Activity{}, false
	} else if err != nil {
		s.internal(w, r, "load activity", err)
		return store.Activity{}, false
	}
	fps, err := s.store.LeadFocalPoints(r.Context(), biennium, code)
	if err != nil {
		s.internal(w, r, "load lead focal points", err)
		return store.Activity{}, false
	}
	if !slices.ContainsFunc(fps, func(c store.Contact) bool { return c.Email == v.link.Recipient }) &&
		a.ProposedBy != v.link.Recipient {
		s.refuseLink(w, r, v, "recipient is not a focal point of the lead country")
		return store.Activity{}, false
	}
	return a, true
}

// proposalForm is an activity's reviewable fields as the forms show them.
func proposalForm(a store.Activity) map[string]string {
	return map[string]string{"title": a.Title, "description": a.Description,
		"expected_outputs": strings.Join(a.ExpectedOutputs, "\n"), "starts_on": a.StartsOn, "ends_on": a.EndsOn}
}

// MaxTitle and MaxOutputs bound a proposal's title and its list of expected
// outputs, in characters; the description takes store.MaxReportText.
const (
	MaxTitle   = 500
	MaxOutputs = 5000
)

// readProposalFields reads the fields a proposal and its revision share.
// The activity runs within its biennium, as the programme file requires.
func readProposalFields(f *form, r *http.Request, b cooperation.Biennium) store.ProposalFields {
	p := store.ProposalFields{
		Title:           f.text(r, "title", MaxTitle, true),
		Description:     f.text(r, "description", store.MaxReportText, true),
		ExpectedOutputs: f.lines(r, "expected_outputs", MaxOutputs),
	}
	starts, ends := f.date(r, "starts_on", true), f.date(r, "ends_on", true)
	f.after(starts, ends, "ends_on")
	f.within(starts, b.Starts(), b.Ends(), "starts_on")
	f.within(ends, b.Starts(), b.Ends(), "ends_on")
	if f.ok() {
		p.StartsOn, p.EndsOn = starts.Format("2006-01-02"), ends.Format("2006-01-02")
	}
	return p
}
