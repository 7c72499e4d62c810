package web

import (
	"net/http"
	"slices"

	"github.com/bienal/bienal/store"
)

var emailStatuses = []string{"", "queued", "sending", "sent", "failed"}

// listEmails shows the e-mail log, optionally filtered by ?status=.
func (s *server) listEmails(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if !slices.Contains(emailStatuses, status) {
		status = ""
	}
	rows, err := s.store.ListEmails(r.Context(), store.EmailFilter{Status: status, Limit: 200})
	if err != nil {
		s.internal(w, r, "list e-mails", err)
		return
	}
	p := s.userPage(r, "emails_title")
	p.Data = rows
	s.render(w, r, http.StatusOK, "emails", p)
}
