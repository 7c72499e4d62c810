package web

import (
	"net/http"

	"github.com/bienal/bienal/cooperation"
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

// createCompletion tells the activity's workflow that the activity is
// completed; the workflow records the statement and the new status.
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
	sig := workflows.CompleteSignal{By: v.link.Recipient, Statement: f.text(r, "statement", MaxStatement, true)}
	if a.Status != cooperation.ActivityInExecution {
		s.failIn(w, r, http.StatusConflict, "err_not_in_execution", v.lang)
		return
	}
	if !f.ok() {
		s.renderCompletion(w, r, v, a, http.StatusUnprocessableEntity, f.values, f.errors)
		return
	}
	workflowID := workflows.ActivityID(a.Biennium, a.Code)
	if _, err := s.store.ClaimForm(r.Context(), nonce, store.PurposeComplete, workflowID, v.link.Recipient); err != nil {
		s.internal(w, r, "claim completion form", err)
		return
	}
	if !s.signalOnce(w, r, v.lang, nonce, workflowID, workflows.SignalComplete, sig) {
		return
	}
	s.render(w, r, http.StatusOK, "done", page{Lang: v.lang, TitleKey: "complete_done_title", Path: linkPath(v.token),
		Data: doneData{Message: "complete_done_body", Code: a.Code, Title: a.Title}})
}
