package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/store"
)

type cycleData struct {
	Cycle   store.Cycle
	Tasks   []store.Task
	Counts  map[cooperation.TaskStatus]int
	Formats []string
	Base    string
	// Files are the evidence files of each task, by "code/country".
	Files map[string][]store.EvidenceFile
	// Task names the task whose form is shown with errors.
	Task string
	// Drafts says when each task with a draft saved it; Requests holds each
	// pending extension request; both by "code/country".
	Drafts   map[string]time.Time
	Requests map[string]store.ExtensionRequest
}

// showCycle shows a cycle's tasks with their status, and per open task the
// forms to extend its deadline or waive it.
func (s *server) showCycle(w http.ResponseWriter, r *http.Request) {
	s.renderCycle(w, r, http.StatusOK, nil, "")
}

// pathCycle loads the cycle the request's path names, answering 404 when
// there is none.
func (s *server) pathCycle(w http.ResponseWriter, r *http.Request) (store.Cycle, bool) {
	c, err := s.store.GetCycle(r.Context(), r.PathValue("biennium"), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return store.Cycle{}, false
	} else if err != nil {
		s.internal(w, r, "load cycle", err)
		return store.Cycle{}, false
	}
	return c, true
}

func (s *server) renderCycle(w http.ResponseWriter, r *http.Request, status int, f *form, task string) {
	c, ok := s.pathCycle(w, r)
	if !ok {
		return
	}
	biennium, name := c.Biennium, c.Name
	tasks, err := s.store.ListTasks(r.Context(), biennium, name, store.TaskFilter{})
	if err != nil {
		s.internal(w, r, "load tasks", err)
		return
	}
	counts, err := s.store.CycleCounts(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "count tasks", err)
		return
	}
	evidence, err := s.store.CycleEvidence(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "list evidence files", err)
		return
	}
	drafts, err := s.store.DraftsSaved(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "list drafts", err)
		return
	}
	pending, err := s.store.PendingRequests(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "list extension requests", err)
		return
	}
	requests := map[string]store.ExtensionRequest{}
	for _, q := range pending {
		requests[q.Code+"/"+q.Country] = q
	}
	files := map[string][]store.EvidenceFile{}
	for _, f := range evidence {
		files[f.Code+"/"+f.Country] = append(files[f.Code+"/"+f.Country], f)
	}
	p := s.userPage(r, "cycle_title")
	p.Path = cyclePath(biennium, name)
	p.Data = cycleData{Cycle: c, Tasks: tasks, Counts: counts, Formats: report.Formats, Base: p.Path, Task: task, Files: files,
		Drafts: drafts, Requests: requests}
	if f != nil {
		p.Form, p.Errors = f.values, f.errors
	}
	s.render(w, r, status, "cycle", p)
}

func cyclePath(biennium, name string) string { return "/cycles/" + biennium + "/" + name }
