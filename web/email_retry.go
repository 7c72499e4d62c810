package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// retryEmail queues a failed message again.
func (s *server) retryEmail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.emailID(w, r)
	if !ok {
		return
	}
	if _, _, ok := s.sessionForm(w, r); !ok {
		return
	}
	by := currentUser(r).user.Email
	if err := s.store.RetryEmail(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		// RetryEmail refuses any message that has not failed; log why.
		s.log.Warn("retry e-mail refused", "email_id", id, "by", by, "error", err)
		s.redirectFlash(w, r, store.FormFlash{Path: emailPath(id), Notice: "retry_refused", Failed: true})
		return
	}
	s.log.Info("e-mail queued again", "email_id", id, "by", by)
	s.redirectFlash(w, r, store.FormFlash{Path: emailPath(id), Notice: "retried_notice",
		NoticeArgs: []string{strconv.FormatInt(id, 10)}})
}

// resendEmail sends an invitation again as a new message with a fresh
// link (operations.ResendEmail), and shows the new message.
func (s *server) resendEmail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.emailID(w, r)
	if !ok {
		return
	}
	if _, _, ok := s.sessionForm(w, r); !ok {
		return
	}
	out, err := s.ops.ResendEmail(r.Context(), operations.ResendRequest{ID: id, By: currentUser(r).user.Email})
	var refused *operations.Refused
	switch {
	case err == nil:
		s.redirectFlash(w, r, store.FormFlash{Path: emailPath(out.ID), Notice: "resent_notice",
			NoticeArgs: []string{strconv.FormatInt(id, 10)}})
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, "err_not_found")
	case errors.As(err, &refused):
		s.log.Info("resend refused", "email_id", id, "error", err)
		s.redirectFlash(w, r, store.FormFlash{Path: emailPath(id), Notice: refused.Key(), Failed: true})
	default:
		s.internal(w, r, "resend e-mail", err)
	}
}

// notFoundOr answers 404 for store.ErrNotFound, else an internal error.
func (s *server) notFoundOr(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	s.internal(w, r, what, err)
}
