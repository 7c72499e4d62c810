package web

import (
	"errors"
	"net/http"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// requestExtension takes a focal point's request for a new due date, from
// the task's link, before or after the due date; the secretariat answers it
// from the cycle's page.
func (s *server) requestExtension(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookupLink(w, r, store.PurposeReport)
	if !ok {
		return
	}
	rows, ok := s.reportTask(w, r, &v, true)
	if !ok {
		return
	}
	f, nonce, ok := s.linkForm(w, r, v)
	if !ok {
		return
	}
	req := operations.ExtensionAsk{Task: rows.task.Key(), Until: f.value(r, "until"), Reason: f.value(r, "request_reason"),
		By: v.link.Recipient, RequestID: s.derivedID("request-extension", nonce)}
	_, err := s.ops.RequestExtension(r.Context(), req)
	var refused *operations.Refused
	var noAnswer *operations.NoAnswer
	switch {
	case err == nil:
		http.Redirect(w, r, linkPath(v.token)+"?asked=1", http.StatusSeeOther)
		return
	case f.refuseOperation(err, map[string]string{"until": "until", "reason": "request_reason"}):
	case errors.As(err, &refused) && refusedBeside[refused.Reason][0] != "":
		at := refusedBeside[refused.Reason]
		f.errors[at[0]] = translate(f.lang, at[1])
	case errors.As(err, &refused):
		f.errors["until"] = translate(f.lang, refused.Key())
	case errors.As(err, &noAnswer):
		s.log.Warn("extension request unanswered", "task", rows.task.Key().String(), "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_no_answer_change", f.lang)
		return
	default:
		s.internal(w, r, "request extension", err)
		return
	}
	data, err := s.newReportData(r, v, rows)
	if err != nil {
		s.internal(w, r, "load files", err)
		return
	}
	form := map[string]string{"until": f.values["until"], "request_reason": f.values["request_reason"]}
	s.showReportPage(w, r, http.StatusUnprocessableEntity, v, data, form, f.errors)
}
