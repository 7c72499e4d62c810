package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

type reportData struct {
	Task     store.TaskDetail
	Previous *store.Submission
	Statuses []string
	Action   string
	Done     *store.Submission
	// FileLimit and TaskLimit are the limits of evidence files, as the
	// page states them.
	FileLimit, TaskLimit string
}

// reportRows is what a report page reads about its task.
type reportRows struct {
	task  store.TaskDetail
	focal []store.Recipient
	subs  []store.Submission
}

// reportTask loads the task a report link names and checks that the link's
// recipient is a focal point of the task's country, whose language the
// page then speaks. withSubs also loads the task's submissions.
func (s *server) reportTask(w http.ResponseWriter, r *http.Request, v *linkVisit, withSubs bool) (reportRows, bool) {
	name, ok := subjectAfter(v.link.Subject, "task")
	k, err := cooperation.ParseTaskKey(name)
	if !ok || err != nil {
		s.refuseLink(w, r, *v, "subject is not a task")
		return reportRows{}, false
	}
	rows, err := s.loadReportRows(r.Context(), k, withSubs)
	if errors.Is(err, store.ErrNotFound) {
		s.refuseLink(w, r, *v, "task not found")
		return reportRows{}, false
	} else if err != nil {
		s.internal(w, r, "load task", err)
		return reportRows{}, false
	}
	i := slices.IndexFunc(rows.focal, func(fp store.Recipient) bool { return fp.Email == v.link.Recipient })
	if i < 0 {
		s.refuseLink(w, r, *v, "recipient is not a focal point of the task's country")
		return reportRows{}, false
	}
	v.lang = pickLanguage(r, rows.focal[i].Language)
	return rows, true
}

// loadReportRows runs the task's independent reads side by side, so a page
// waits for one round trip to Postgres rather than one after another. A
// missing task is ErrNotFound whatever else failed.
func (s *server) loadReportRows(ctx context.Context, k cooperation.TaskKey, withSubs bool) (reportRows, error) {
	var rows reportRows
	var errTask, errFocal, errSubs error
	var wg sync.WaitGroup
	wg.Go(func() { rows.task, errTask = s.store.GetTaskDetail(ctx, k) })
	wg.Go(func() { rows.focal, errFocal = s.store.FocalPoints(ctx, k.Biennium, k.Country) })
	if withSubs {
		wg.Go(func() { rows.subs, errSubs = s.store.ListSubmissions(ctx, k) })
	}
	wg.Wait()
	if errors.Is(errTask, store.ErrNotFound) {
		return reportRows{}, errTask
	}
	if err := errors.Join(errTask, errFocal, errSubs); err != nil {
		return reportRows{}, err
	}
	return rows, nil
}

// showReport shows the report form of a task, with the previous submission.
func (s *server) showReport(w http.ResponseWriter, r *http.Request, v linkVisit) {
	rows, ok := s.reportTask(w, r, &v, true)
	if !ok {
		return
	}
	data := s.newReportData(v, rows.task, rows.subs)
	if err := s.previousFiles(r, &data); err != nil {
		s.internal(w, r, "load files", err)
		return
	}
	form := map[string]string{}
	if p := data.Previous; p != nil {
		form = map[string]string{"status": p.Status, "progress": p.Progress, "results": p.Results,
			"difficulties": p.Difficulties, "next_steps": p.NextSteps}
	}
	p := page{Lang: v.lang, TitleKey: "task_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: form}
	s.render(w, r, http.StatusOK, "task", p)
}

func (s *server) reportData(r *http.Request, v linkVisit, d store.TaskDetail) (reportData, error) {
	subs, err := s.store.ListSubmissions(r.Context(), d.Key())
	if err != nil {
		return reportData{}, err
	}
	data := s.newReportData(v, d, subs)
	return data, s.previousFiles(r, &data)
}

// previousFiles loads the files of the previous version, which the page
// lists: each version carries its own, so a focal point sending a new
// version sees what to attach again.
func (s *server) previousFiles(r *http.Request, data *reportData) error {
	if data.Previous == nil {
		return nil
	}
	files, err := s.store.SubmittedFiles(r.Context(), data.Previous.ID)
	data.Previous.Files = files
	return err
}

func (s *server) newReportData(v linkVisit, d store.TaskDetail, subs []store.Submission) reportData {
	lim := s.evidence.Bounds()
	data := reportData{Task: d, Statuses: store.SubmissionStatuses, Action: linkPath(v.token) + "/report",
		FileLimit: cooperation.Bytes(lim.FileBytes), TaskLimit: cooperation.Bytes(lim.TaskBytes)}
	if n := len(subs); n > 0 {
		data.Previous = &subs[n-1]
	}
	return data
}
