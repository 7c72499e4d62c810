package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// createReport stores a focal point's report, with its files, and tells the
// task's workflow; or, with "Save draft", keeps the texts and files without
// sending them. The form's nonce makes a report count once: a double click,
// a retry or twenty POSTs at once store one submission and send one
// signal. A refused file stores nothing: the page names the file and what
// was wrong beside the file input. Either way the answer is a redirect, so
// that going back never posts the form again.
func (s *server) createReport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookupLink(w, r, store.PurposeReport)
	if !ok {
		return
	}
	rows, ok := s.reportTask(w, r, &v, true)
	if !ok {
		return
	}
	d := rows.task
	f, nonce, files, ok := s.reportForm(w, r, v)
	if !ok {
		return
	}
	ctx, cancel := s.freshDeadline(r)
	defer cancel()
	r = r.WithContext(ctx)
	data, err := s.newReportData(r, v, rows)
	if err != nil {
		s.internal(w, r, "load files", err)
		return
	}
	if r.PostForm.Get("action") == "draft" {
		s.saveDraft(w, r, v, data, f, files)
		return
	}
	in := store.NewSubmission{
		Task:         d.Key(),
		Status:       f.choice(r, "status", store.SubmissionStatuses),
		Progress:     f.text(r, "progress", store.MaxReportText, true),
		Results:      f.text(r, "results", store.MaxReportText, false),
		Difficulties: f.text(r, "difficulties", store.MaxReportText, false),
		NextSteps:    f.text(r, "next_steps", store.MaxReportText, false),
		Language:     f.language(r, reportLanguageField),
		SubmittedBy:  v.link.Recipient,
		At:           s.now(),
		Files:        files,
		Keep:         kept(r, data.Keep),
		Evidence:     s.evidence,
	}
	if !f.ok() {
		s.showReportPage(w, r, http.StatusUnprocessableEntity, v, data, f.values, f.errors)
		return
	}
	subject := workflows.TaskID(d.Biennium, d.Cycle, d.Code, d.Country)
	sub, err := s.storeReport(r, nonce, subject, in)
	switch {
	case errors.Is(err, store.ErrTaskClosed):
		s.log.Info("report refused: task closed", "task", subject)
		s.failIn(w, r, http.StatusConflict, "err_task_closed", v.lang)
		return
	case f.refuseFile(err):
		s.log.Info("report refused: its files", "task", subject, "error", err)
		s.showReportPage(w, r, http.StatusUnprocessableEntity, v, data, f.values, f.errors)
		return
	case err != nil:
		s.internal(w, r, "store submission", err)
		return
	}
	if sig, err := s.ops.SubmitSignal(r.Context(), sub.ID, v.link.Recipient); err != nil {
		s.log.Warn("submit signal not made; the scheduler tells the workflow", "workflow_id", subject, "error", err)
	} else {
		s.tellOnce(r, nonce, subject, workflows.SignalSubmit, sig)
	}
	http.Redirect(w, r, versionPath(v.token, sub.Version)+"?sent=1", http.StatusSeeOther)
}

// saveDraft keeps what the form holds, files included, without sending it:
// no field is required, and reminders still go.
func (s *server) saveDraft(w http.ResponseWriter, r *http.Request, v linkVisit, data reportData, f *form, files []cooperation.EvidenceFile) {
	in := store.NewDraft{
		Task:         data.Task.Key(),
		Progress:     f.text(r, "progress", store.MaxReportText, false),
		Results:      f.text(r, "results", store.MaxReportText, false),
		Difficulties: f.text(r, "difficulties", store.MaxReportText, false),
		NextSteps:    f.text(r, "next_steps", store.MaxReportText, false),
		Language:     f.language(r, reportLanguageField),
		SavedBy:      v.link.Recipient,
		At:           s.now(),
		Files:        files,
		Keep:         kept(r, data.Keep),
		Evidence:     s.evidence,
	}
	if r.PostForm.Get("status") != "" {
		in.Status = f.choice(r, "status", store.SubmissionStatuses)
	}
	if !f.ok() {
		s.showReportPage(w, r, http.StatusUnprocessableEntity, v, data, f.values, f.errors)
		return
	}
	_, err := s.store.SaveDraft(r.Context(), in)
	switch {
	case errors.Is(err, store.ErrTaskClosed):
		s.failIn(w, r, http.StatusConflict, "err_task_closed", v.lang)
	case f.refuseFile(err):
		s.showReportPage(w, r, http.StatusUnprocessableEntity, v, data, f.values, f.errors)
	case err != nil:
		s.internal(w, r, "save draft", err)
	default:
		http.Redirect(w, r, linkPath(v.token)+"?draft=saved", http.StatusSeeOther)
	}
}

// storeReport stores the submission of a form's first POST, in the
// transaction that claims its nonce. A repeated POST stores nothing and
// returns the submission the first one stored, so both show the same
// confirmation and carry the same ID in their signal.
func (s *server) storeReport(r *http.Request, nonce, subject string, in store.NewSubmission) (store.Submission, error) {
	ctx := r.Context()
	var sub store.Submission
	first := false
	err := s.store.InTx(ctx, func(tx *store.Store) error {
		var err error
		if first, err = tx.ClaimForm(ctx, nonce, store.PurposeReport, subject, in.SubmittedBy); err != nil || !first {
			return err
		}
		if sub, err = tx.CreateSubmission(ctx, in, s.receipt); err != nil {
			return err
		}
		return tx.SetFormResult(ctx, nonce, strconv.FormatInt(sub.ID, 10))
	})
	if err != nil || first {
		return sub, err
	}
	result, _, err := s.store.FormResult(ctx, nonce)
	if err != nil {
		return store.Submission{}, fmt.Errorf("read submission of form: %w", err)
	}
	id, err := strconv.ParseInt(result, 10, 64)
	if err != nil {
		return store.Submission{}, fmt.Errorf("read submission of form: %q: %w", result, err)
	}
	return s.store.GetSubmission(ctx, id)
}
