package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// MaxStatement bounds a completion statement, in characters.
const MaxStatement = store.MaxReportText

type completionData struct {
	Activity store.Activity
	Action   string
	// Notice is why a completion sent was refused.
	Notice string
}

// showCompletion shows the form in which a focal point states that an
// activity in execution is completed.
func (s *server) showCompletion(w http.ResponseWriter, r *http.Request, v linkVisit) {
	a, ok := s.linkActivity(w, r, v)
	if !ok {
		return
	}
	fl := s.linkFlash(r, v)
	switch {
	case fl == nil:
		s.renderCompletion(w, r, v, a, map[string]string{}, nil, nil)
	case fl.Notice == "complete_done_body":
		s.renderDone(w, r, v, "complete_done_title", fl.Notice, a)
	default:
		s.renderCompletion(w, r, v, a, fl.Values, fl.Errors, fl)
	}
}

func (s *server) renderCompletion(w http.ResponseWriter, r *http.Request, v linkVisit, a store.Activity, form, errs map[string]string, fl *store.FormFlash) {
	p := page{Lang: v.lang, TitleKey: "complete_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: completionData{Activity: a, Action: linkPath(v.token) + "/complete", Notice: flashNotice(fl, v.lang)}, Form: form, Errors: errs}
	s.render(w, r, http.StatusOK, "complete", p)
}

// createCompletion asks the activity's workflow to close the activity as
// completed, with its statement, and shows the workflow's answer on the
// link's page, by redirect.
func (s *server) createCompletion(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, store.PurposeComplete)
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
	statement := f.text(r, "statement", MaxStatement, true)
	if !f.ok() {
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Errors: f.errors, Failed: true})
		return
	}
	workflowID := workflows.ActivityID(a.Biennium, a.Code)
	if _, err := s.store.ClaimForm(r.Context(), nonce, store.PurposeComplete, workflowID, v.link.Recipient); err != nil {
		s.internal(w, r, "claim completion form", err)
		return
	}
	_, err := s.ops.Complete(r.Context(), operations.ChangeRequest{Biennium: a.Biennium, Code: a.Code,
		By: v.link.Recipient, Text: statement, RequestID: s.derivedID("complete", nonce)})
	var refused *operations.Refused
	var noAnswer *operations.NoAnswer
	switch {
	case err == nil:
		s.redirectLinkFlash(w, r, v, store.FormFlash{Notice: "complete_done_body"})
	case f.refuseOperation(err, nil):
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Errors: f.errors, Failed: true})
	case errors.As(err, &refused):
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Notice: refused.Key(), Failed: true})
	case errors.As(err, &noAnswer):
		s.log.Warn("completion unanswered", "workflow_id", workflowID, "error", err)
		s.redirectLinkFlash(w, r, v, store.FormFlash{Values: f.values, Notice: "err_no_answer_change", Failed: true})
	default:
		s.internal(w, r, "complete activity", err)
	}
}
