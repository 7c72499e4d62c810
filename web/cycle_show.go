package web

import (
	"errors"
	"net/http"

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
}

// showCycle shows a cycle's tasks with their status, and per open task the
// forms to extend its deadline or waive it.
func (s *server) showCycle(w http.ResponseWriter, r *http.Request) {
	s.renderCycle(w, r, http.StatusOK, nil, "")
}

func (s *server) renderCycle(w http.ResponseWriter, r *http.Request, status int, f *form, task string) {
	biennium, name := r.PathValue("biennium"), r.PathValue("name")
	c, err := s.store.GetCycle(r.Context(), biennium, name)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "load cycle", err)
		return
	}
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
	files := map[string][]store.EvidenceFile{}
	for _, f := range evidence {
		files[f.Code+"/"+f.Country] = append(files[f.Code+"/"+f.Country], f)
	}
	p := s.userPage(r, "cycle_title")
	p.Path = cyclePath(biennium, name)
	p.Data = cycleData{Cycle: c, Tasks: tasks, Counts: counts, Formats: report.Formats, Base: p.Path, Task: task, Files: files}
	if f != nil {
		p.Form, p.Errors = f.values, f.errors
	}
	s.render(w, r, status, "cycle", p)
}

func cyclePath(biennium, name string) string { return "/cycles/" + biennium + "/" + name }
