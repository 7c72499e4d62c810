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
	// Task names the task ("code/country") the notice or the errors shown
	// belong to; Notice says what was done or refused, about the task or,
	// when Task is empty, the cycle.
	Task, Notice string
	Failed       bool
	// Drafts says when each task with a draft saved it; Requests holds each
	// pending extension request; both by "code/country".
	// Pointers, so that a task with neither finds nil, which a template
	// takes as absent (a zero struct would read as present).
	Drafts   map[string]*time.Time
	Requests map[string]*store.ExtensionRequest
	// Document is the front matter the cycle's report is issued under (its
	// form's notice and errors are Task "document"); Downloads lists the
	// report in every language and format.
	Document      store.CycleDocument
	Downloads     reportDownloads
	Distributions []string
}

// showCycle shows a cycle's tasks with their status, per open task the
// forms to extend its deadline, waive it or revoke its links, and the answer
// to one of them that redirected here.
func (s *server) showCycle(w http.ResponseWriter, r *http.Request) {
	s.renderCycle(w, r)
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

func (s *server) renderCycle(w http.ResponseWriter, r *http.Request) {
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
	saved, err := s.store.DraftsSaved(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "list drafts", err)
		return
	}
	pending, err := s.store.PendingRequests(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "list extension requests", err)
		return
	}
	requests := map[string]*store.ExtensionRequest{}
	for i, q := range pending {
		requests[q.Code+"/"+q.Country] = &pending[i]
	}
	drafts := map[string]*time.Time{}
	for k, at := range saved {
		drafts[k] = &at
	}
	files := map[string][]store.EvidenceFile{}
	for _, f := range evidence {
		files[f.Code+"/"+f.Country] = append(files[f.Code+"/"+f.Country], f)
	}
	doc, err := s.store.GetCycleDocument(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "load front matter", err)
		return
	}
	p := s.userPage(r, "cycle_title")
	p.Path = cyclePath(biennium, name)
	data := cycleData{Cycle: c, Tasks: tasks, Counts: counts, Formats: report.Formats, Base: p.Path, Files: files,
		Drafts: drafts, Requests: requests, Document: doc, Downloads: downloadsOf(p, biennium, name),
		Distributions: cooperation.Words(cooperation.Distributions)}
	p.Form = documentForm(doc)
	if fl := s.pageFlash(r, p.Path); fl != nil {
		f := flashForm(fl, p.Lang)
		p.Form, p.Errors = f.values, f.errors
		data.Task, data.Notice, data.Failed = fl.Target, flashNotice(fl, p.Lang), fl.Failed
	}
	if data.Task != "document" || !data.Failed {
		// The front matter's form shows what is stored, unless it is the
		// form sent back with what to correct.
		for k, v := range documentForm(doc) {
			p.Form[k] = v
		}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "cycle", p)
}

// answerCycle redirects the answer to a form of the cycle page to it: at
// the task's row when task is set, with notice (a message key and its
// arguments) and the fields to correct, if any.
func (s *server) answerCycle(w http.ResponseWriter, r *http.Request, c store.Cycle, task string, f *form, failed bool, notice string, args ...string) {
	fl := store.FormFlash{Path: cyclePath(c.Biennium, c.Name), Target: task, Notice: notice, NoticeArgs: args, Failed: failed}
	if f != nil {
		fl.Values, fl.Errors = f.values, f.errors
		fl.Failed = fl.Failed || len(f.errors) > 0
	}
	s.redirectFlash(w, r, fl)
}

func cyclePath(biennium, name string) string { return "/cycles/" + biennium + "/" + name }
