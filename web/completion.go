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
}

// showCompletion shows the form in which a focal point states that an
// activity in execution is completed.
func (s *server) showCompletion(w http.ResponseWriter, r *http.Request, v linkVisit) {
	a, ok := s.linkActivity(w, r, v)
	if !ok {
		return
	}
	s.renderCompletion(w, r, v, a, http.StatusOK, map[string]string{}, nil)
}

func (s *server) renderCompletion(w http.ResponseWriter, r *http.Request, v linkVisit, a store.Activity, status int, form, errs map[string]string) {
	p := page{Lang: v.lang, TitleKey: "complete_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: completionData{Activity: a, Action: linkPath(v.token) + "/complete"}, Form: form, Errors: errs}
	s.render(w, r, status, "complete", p)
}

// createCompletion asks the activity's workflow to close the activity as
// completed, with its statement, and shows the workflow's answer.
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
		s.renderCompletion(w, r, v, a, http.StatusUnprocessableEntity, f.values, f.errors)
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
		s.render(w, r, http.StatusOK, "done", page{Lang: v.lang, TitleKey: "complete_done_title", Path: linkPath(v.token),
			Data: doneData{Message: "complete_done_body", Code: a.Code, Title: a.Title}})
	case f.refuseOperation(err, nil):
		s.renderCompletion(w, r, v, a, http.StatusUnprocessableEntity, f.values, f.errors)
	case errors.As(err, &refused):
		s.failIn(w, r, http.StatusConflict, refused.Key(), v.lang)
	case errors.As(err, &noAnswer):
		s.log.Warn("completion unanswered", "workflow_id", workflowID, "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_no_answer_change", v.lang)
	default:
		s.internal(w, r, "complete activity", err)
	}
}
