package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/store"
)

// taskReviewData is what the secretariat's page of one task shows: every
// version whole, the reviews, the extension requests, and the forms that
// decide on them.
type taskReviewData struct {
	Task     store.TaskDetail
	Versions []store.Submission
	Reviews  []store.Review
	Requests []store.ExtensionRequest
	Pending  *store.ExtensionRequest
	Draft    *time.Time
	Base     string // the task's page, where its forms post
	Cycle    string // the cycle's page
	// Reviewable: a version waits for the secretariat's decision.
	Reviewable, Clarifiable bool
	// Done says a decision was made just now.
	Done bool
}

// showTaskReview shows one task to the secretariat.
func (s *server) showTaskReview(w http.ResponseWriter, r *http.Request) {
	s.renderTaskReview(w, r, http.StatusOK, nil)
}

func (s *server) renderTaskReview(w http.ResponseWriter, r *http.Request, status int, f *form) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	rows, err := s.loadReportRows(r.Context(), t.Key(), true)
	if err != nil {
		s.internal(w, r, "load task", err)
		return
	}
	for i := range rows.subs {
		if rows.subs[i].Files, err = s.store.SubmittedFiles(r.Context(), rows.subs[i].ID); err != nil {
			s.internal(w, r, "load files", err)
			return
		}
	}
	d := rows.task
	open := d.CycleStatus != "closed"
	data := taskReviewData{Task: d, Versions: rows.subs, Reviews: rows.reviews, Requests: rows.requests,
		Base: taskPath(t), Cycle: cyclePath(t.Biennium, t.Cycle),
		Reviewable:  open && d.Status.Reported() && d.Status != "accepted",
		Clarifiable: open && d.Status == "submitted", Done: r.URL.Query().Get("done") == "1"}
	for i := range rows.requests {
		if rows.requests[i].Status == store.RequestPending && open {
			data.Pending = &rows.requests[i]
		}
	}
	if rows.draft != nil {
		data.Draft = &rows.draft.SavedAt
	}
	p := s.userPage(r, "task_review_title")
	p.Path, p.Data, p.Form = data.Base, data, map[string]string{}
	if data.Pending != nil {
		// Granted as asked, the extension records the focal point's reason.
		p.Form["until"], p.Form["reason"] = data.Pending.Until.Format(time.DateOnly), data.Pending.Reason
	}
	if f != nil {
		p.Form, p.Errors = f.values, f.errors
	}
	s.render(w, r, status, "task_review", p)
}

func taskPath(t store.Task) string {
	return cyclePath(t.Biennium, t.Cycle) + "/tasks/" + t.Code + "/" + t.Country
}

// reviewTask runs one of the secretariat's decisions on a task, posted
// from the task's page, and shows its answer there; beside names the
// refusals shown beside a field.
func (s *server) reviewTask(w http.ResponseWriter, r *http.Request, fields map[string]string, beside map[string][2]string,
	decide func(t store.Task, f *form, by, requestID string) error) {
	t, ok := s.cycleTask(w, r)
	if !ok {
		return
	}
	f, nonce, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	err := decide(t, f, currentUser(r).user.Email, s.derivedID(r.URL.Path, nonce))
	s.answerReview(w, r, f, t, err, fields, beside)
}

// acceptTask accepts a task's report as it stands.
func (s *server) acceptTask(w http.ResponseWriter, r *http.Request) {
	s.reviewTask(w, r, map[string]string{"comment": "accept_comment"}, nil, func(t store.Task, f *form, by, id string) error {
		_, err := s.ops.Accept(r.Context(), operations.AcceptRequest{Task: t.Key(), Comment: f.value(r, "accept_comment"),
			By: by, RequestID: id})
		return err
	})
}

// clarifyTask sends a task's report back with a reason and a new due date.
func (s *server) clarifyTask(w http.ResponseWriter, r *http.Request) {
	s.reviewTask(w, r, map[string]string{"reason": "clarify_reason", "due": "clarify_due"}, clarifyBeside,
		func(t store.Task, f *form, by, id string) error {
			_, err := s.ops.Clarify(r.Context(), operations.ClarifyRequest{Task: t.Key(), Reason: f.value(r, "clarify_reason"),
				Due: f.value(r, "clarify_due"), By: by, RequestID: id})
			return err
		})
}

// refuseExtension refuses the task's pending extension request.
func (s *server) refuseExtension(w http.ResponseWriter, r *http.Request) {
	s.reviewTask(w, r, map[string]string{"reason": "refuse_reason"}, nil, func(t store.Task, f *form, by, id string) error {
		_, err := s.ops.RefuseExtension(r.Context(), operations.ExtensionAnswer{Task: t.Key(), Reason: f.value(r, "refuse_reason"),
			By: by, RequestID: id})
		return err
	})
}

// clarifyBeside are the clarification's refusals shown beside its date.
var clarifyBeside = map[string][2]string{
	"due_in_past":      {"clarify_due", "refused_due_in_past"},
	"after_close_date": {"clarify_due", "refused_after_close_date"},
}

// answerReview shows the workflow's answer to a review: back to the task's
// page, saying what was done, or its form with the reason beside its field.
func (s *server) answerReview(w http.ResponseWriter, r *http.Request, f *form, t store.Task, err error, fields map[string]string,
	beside map[string][2]string) {
	var refused *operations.Refused
	var noAnswer *operations.NoAnswer
	switch {
	case err == nil:
		http.Redirect(w, r, taskPath(t)+"?done=1", http.StatusSeeOther)
	case f.refuseOperation(err, fields):
		s.renderTaskReview(w, r, http.StatusUnprocessableEntity, f)
	case errors.As(err, &refused) && beside[refused.Reason][0] != "":
		at := beside[refused.Reason]
		f.errors[at[0]] = translate(f.lang, at[1])
		s.renderTaskReview(w, r, http.StatusUnprocessableEntity, f)
	case errors.As(err, &refused):
		s.failIn(w, r, http.StatusConflict, refused.Key(), f.lang)
	case errors.As(err, &noAnswer):
		s.log.Warn("review unanswered", "task", t.Key().String(), "error", err)
		s.failIn(w, r, http.StatusServiceUnavailable, "err_no_answer_change", f.lang)
	default:
		s.internal(w, r, "review task", err)
	}
}
