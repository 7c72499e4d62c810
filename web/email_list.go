package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

var emailStatuses = []string{store.EmailQueued, store.EmailSending, store.EmailSent, store.EmailFailed}

// emailsPerPage is how many messages one page of the e-mail log lists.
const emailsPerPage = 50

type emailsData struct {
	Rows []store.EmailRow
	// Status, Kind and Q are the filter; Statuses and Kinds its choices.
	Status, Kind, Q string
	Statuses, Kinds []string
	// Page is the page shown, of Pages; Total the messages the filter matches.
	Page, Pages, Total int
	// Prev and Next are the addresses of the neighbouring pages, "" at an end.
	Prev, Next string
	// Resendable are the kinds a row may be sent again.
	Resendable []string
}

// listEmails shows the e-mail log, newest first, a page at a time, filtered
// by status, kind and a text of the recipient or the subject.
func (s *server) listEmails(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := emailsData{Statuses: emailStatuses, Kinds: mailKinds(), Resendable: store.ResendKinds,
		Status: q.Get("status"), Kind: q.Get("kind"), Q: strings.TrimSpace(q.Get("q"))}
	if !slices.Contains(d.Statuses, d.Status) {
		d.Status = ""
	}
	if !slices.Contains(d.Kinds, d.Kind) {
		d.Kind = ""
	}
	d.Q = cooperation.Excerpt(d.Q, cooperation.MaxEmail)
	f := store.EmailFilter{Status: d.Status, Kind: d.Kind, Contains: d.Q, Limit: emailsPerPage}
	total, err := s.store.CountEmails(r.Context(), f)
	if err != nil {
		s.internal(w, r, "count e-mails", err)
		return
	}
	d.Total, d.Pages = total, max(1, (total+emailsPerPage-1)/emailsPerPage)
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	f.Offset = (d.Page - 1) * emailsPerPage
	if d.Rows, err = s.store.ListEmails(r.Context(), f); err != nil {
		s.internal(w, r, "list e-mails", err)
		return
	}
	at := func(page int) string {
		v := url.Values{}
		for k, val := range map[string]string{"status": d.Status, "kind": d.Kind, "q": d.Q} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return "/emails"
		}
		return "/emails?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = at(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.Next = at(d.Page + 1)
	}
	p := s.userPage(r, "emails_title")
	p.Data = d
	p.Form = map[string]string{}
	s.render(w, r, http.StatusOK, "emails", p)
}

// mailKinds are the names of every kind of message, for the log's filter.
func mailKinds() []string {
	out := make([]string, len(mail.Kinds))
	for i, k := range mail.Kinds {
		out[i] = k.Name
	}
	return out
}

type emailData struct {
	Email      store.EmailRow
	Resendable bool
	Notice     string
	Failed     bool
}

// showEmail shows one message as it was written: its subject, text and
// attempts, with its personal links as placeholders (a token is never
// stored), and what can be done with it.
func (s *server) showEmail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.emailID(w, r)
	if !ok {
		return
	}
	e, err := s.store.GetEmail(r.Context(), id)
	if err != nil {
		s.notFoundOr(w, r, "load e-mail", err)
		return
	}
	p := s.userPage(r, "email_title")
	data := emailData{Email: e, Resendable: slices.Contains(store.ResendKinds, e.Kind)}
	if fl := s.pageFlash(r, emailPath(id)); fl != nil {
		data.Notice, data.Failed = flashNotice(fl, p.Lang), fl.Failed
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "email", p)
}

func emailPath(id int64) string { return fmt.Sprintf("/emails/%d", id) }

// emailID reads the message id of the path, answering 404 for a bad one.
func (s *server) emailID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return 0, false
	}
	return id, true
}
