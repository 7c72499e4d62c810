package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/bienal/bienal/store"
)

type reportData struct {
	Task     store.TaskDetail
	Previous *store.Submission
	Statuses []string
	Action   string
	Done     *store.Submission
}

// reportTask loads the task a report link names and checks that the link's
// recipient is a focal point of the task's country.
func (s *server) reportTask(w http.ResponseWriter, r *http.Request, v linkVisit) (store.TaskDetail, bool) {
	name, ok := subjectAfter(v.link.Subject, "task")
	k, err := store.ParseTaskKey(name)
	if !ok || err != nil {
		s.refuseLink(w, r, v, "subject is not a task")
		return store.TaskDetail{}, false
	}
	d, err := s.store.GetTaskDetail(r.Context(), k)
	if errors.Is(err, store.ErrNotFound) {
		s.refuseLink(w, r, v, "task not found")
		return store.TaskDetail{}, false
	} else if err != nil {
		s.internal(w, r, "load task", err)
		return store.TaskDetail{}, false
	}
	fps, err := s.store.FocalPoints(r.Context(), k.Biennium, k.Country)
	if err != nil {
		s.internal(w, r, "load focal points", err)
		return store.TaskDetail{}, false
	}
	if !slices.ContainsFunc(fps, func(fp store.Recipient) bool { return fp.Email == v.link.Recipient }) {
		s.refuseLink(w, r, v, "recipient is not a focal point of the task's country")
		return store.TaskDetail{}, false
	}
	return d, true
}

// showReport shows the report form of a task, with the previous submission.
func (s *server) showReport(w http.ResponseWriter, r *http.Request, v linkVisit) {
	d, ok := s.reportTask(w, r, v)
	if !ok {
		return
	}
	data, err := s.reportData(r, v, d)
	if err != nil {
		s.internal(w, r, "load submissions", err)
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
	data := reportData{Task: d, Statuses: store.SubmissionStatuses, Action: linkPath(v.token) + "/report"}
	if n := len(subs); n > 0 {
		data.Previous = &subs[n-1]
	}
	return data, nil
}
