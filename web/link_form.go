package web

import (
	"errors"
	"net/http"
)

// linkForm parses a form posted through a link and checks its token, which
// must have been issued for this very link. It returns the form's nonce.
func (s *server) linkForm(w http.ResponseWriter, r *http.Request, v linkVisit) (*form, string, bool) {
	f, err := parseForm(r, v.lang)
	if errors.Is(err, errTooLarge) {
		s.failIn(w, r, http.StatusRequestEntityTooLarge, "err_too_large", v.lang)
		return nil, "", false
	} else if err != nil {
		s.failIn(w, r, http.StatusBadRequest, "err_form", v.lang)
		return nil, "", false
	}
	nonce, ok := s.checkFormToken("link:"+v.token, r.PostForm.Get("csrf"))
	if !ok {
		s.log.Warn("form token refused", "purpose", v.link.Purpose, "client", clientAddress(r))
		s.failIn(w, r, http.StatusForbidden, "err_form", v.lang)
		return nil, "", false
	}
	return f, nonce, true
}

// tellOnce tells a workflow of a report already stored and counted, unless
// another POST of the same form already did. The person's answer does not
// hang on it: a signal that fails is sent again by the scheduler's
// tell-submissions job (operations.TellSubmissions), so the page says the
// report is in.
func (s *server) tellOnce(r *http.Request, nonce, workflowID, name string, arg any) {
	first, err := s.store.ClaimFormSignal(r.Context(), nonce, s.now())
	if err != nil || !first {
		if err != nil {
			s.log.Warn("claim form signal; the scheduler tells the workflow", "workflow_id", workflowID, "error", err)
		}
		return
	}
	if err := s.temporal.SignalWorkflow(r.Context(), workflowID, "", name, arg); err != nil {
		s.log.Warn("signal not sent; the scheduler tells the workflow", "workflow_id", workflowID, "signal", name, "error", err)
		return
	}
	s.log.Info("signal sent", "workflow_id", workflowID, "signal", name)
}
