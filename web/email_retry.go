package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/store"
)

// retryEmail queues a failed message again.
func (s *server) retryEmail(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	if err := r.ParseForm(); err != nil || !s.checkSessionForm(r) {
		s.fail(w, r, http.StatusForbidden, "err_form")
		return
	}
	if err := s.store.RetryEmail(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		// RetryEmail refuses any message that has not failed; log why.
		s.log.Warn("retry e-mail refused", "email_id", id, "by", currentUser(r).user.Email, "error", err)
		s.fail(w, r, http.StatusConflict, "err_form")
		return
	}
	s.log.Info("e-mail queued again", "email_id", id, "by", currentUser(r).user.Email)
	s.redirectFlash(w, r, store.FormFlash{Path: "/emails", Target: strconv.FormatInt(id, 10), Notice: "retried_notice",
		NoticeArgs: []string{strconv.FormatInt(id, 10)}})
}
