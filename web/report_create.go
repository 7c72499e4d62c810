package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// createReport stores a focal point's report and tells the task's workflow.
// The form's nonce makes the answer count once: a double click, a retry or
// twenty POSTs at once store one submission and send one signal.
func (s *server) createReport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, store.PurposeReport)
	if !ok {
		return
	}
	d, ok := s.reportTask(w, r, v)
	if !ok {
		return
	}
	f, nonce, ok := s.linkForm(w, r, v)
	if !ok {
		return
	}
	in := store.NewSubmission{
		Task:         d.Key(),
		Status:       f.choice(r, "status", store.SubmissionStatuses),
		Progress:     f.text(r, "progress", store.MaxReportText, true),
		Results:      f.text(r, "results", store.MaxReportText, false),
		Difficulties: f.text(r, "difficulties", store.MaxReportText, false),
		NextSteps:    f.text(r, "next_steps", store.MaxReportText, false),
		SubmittedBy:  v.link.Recipient,
		At:           s.now(),
	}
	if !f.ok() {
		s.showReportErrors(w, r, v, d, f)
		return
	}
	subject := workflows.TaskID(d.Biennium, d.Cycle, d.Code, d.Country)
	err := s.store.InTx(r.Context(), func(tx *store.Store) error {
		first, err := tx.ClaimForm(r.Context(), nonce, store.PurposeReport, subject, v.link.Recipient)
		if err != nil || !first {
			return err
		}
		sub, err := tx.CreateSubmission(r.Context(), in, s.receipt)
		if err != nil {
			return err
		}
		return tx.SetFormResult(r.Context(), nonce, strconv.FormatInt(sub.ID, 10))
	})
	if errors.Is(err, store.ErrTaskClosed) {
		s.log.Info("report refused: task closed", "task", subject)
		s.failIn(w, r, http.StatusConflict, "err_task_closed", v.lang)
		return
	} else if err != nil {
		s.internal(w, r, "store submission", err)
		return
	}
	result, _, err := s.store.FormResult(r.Context(), nonce)
	id, perr := strconv.ParseInt(result, 10, 64)
	if err != nil || perr != nil {
		s.internal(w, r, "read submission of form", errors.Join(err, perr))
		return
	}
	sig := workflows.SubmitSignal{SubmissionID: id, By: v.link.Recipient}
	if !s.signalOnce(w, r, v.lang, nonce, subject, workflows.SignalSubmit, sig) {
		return
	}
	sub, err := s.store.GetSubmission(r.Context(), id)
	if err != nil {
		s.internal(w, r, "load submission", err)
		return
	}
	data := reportData{Task: d, Done: &sub}
	s.render(w, r, http.StatusOK, "task_done", page{Lang: v.lang, TitleKey: "task_done_title", Path: linkPath(v.token), Data: data})
}

func (s *server) showReportErrors(w http.ResponseWriter, r *http.Request, v linkVisit, d store.TaskDetail, f *form) {
	data, err := s.reportData(r, v, d)
	if err != nil {
		s.internal(w, r, "load submissions", err)
		return
	}
	p := page{Lang: v.lang, TitleKey: "task_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: f.values, Errors: f.errors}
	s.render(w, r, http.StatusUnprocessableEntity, "task", p)
}
