package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

type reportData struct {
	Task store.TaskDetail
	// Previous is the latest version sent; Versions every one, oldest first.
	Previous *store.Submission
	Versions []store.Submission
	Statuses []string
	// Base is the link's page, Action where its report form posts.
	Base, Action string
	// Done is the version a version page shows whole; Sent says it was
	// sent just now.
	Done *store.Submission
	Sent bool
	// Draft is what was saved and not sent; Saved says it was saved just now.
	Draft *store.Draft
	Saved bool
	// Keep are the files the form offers to carry into the next version:
	// the draft's, else the previous version's.
	Keep []store.SubmittedFile
	// Review is the secretariat's latest decision on a version.
	Review *store.Review
	// Pending is the extension request waiting for an answer; Answered the
	// latest one answered, told on the page until the next request.
	Pending, Answered *store.ExtensionRequest
	// Asked says a request for more time was sent just now.
	Asked bool
	// ReadOnly: the task takes no report any more (accepted, waived,
	// missing, or its cycle closed); the page lists what was sent.
	ReadOnly bool
	// FileLimit and TaskLimit are the limits of evidence files, as the
	// page states them.
	FileLimit, TaskLimit string
	// Languages are those the form offers to mark the texts as written in.
	Languages []langLink
}

// reportLanguageField is the report form's choice of the language its
// texts are written in.
const reportLanguageField = "report_language"

// CanAsk tells whether the page offers to ask for more time.
func (d reportData) CanAsk() bool {
	return !d.ReadOnly && d.Pending == nil && d.Task.Status.Awaited()
}

// reportRows is what a report page reads about its task.
type reportRows struct {
	task     store.TaskDetail
	focal    []store.Recipient
	subs     []store.Submission
	draft    *store.Draft
	reviews  []store.Review
	requests []store.ExtensionRequest
	// language is the link recipient's own, which a report is taken to
	// be written in until they say otherwise.
	language string
}

// reportTask loads the task a report link names and checks that the link's
// recipient is a focal point of the task's country, whose language and
// time zone the page then speaks. withSubs also loads the task's versions,
// draft, reviews and extension requests.
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
	v.zone = zoneOf(rows.focal[i].TimeZone)
	rows.language = rows.focal[i].Language
	return rows, true
}

// loadReportRows runs the task's independent reads side by side, so a page
// waits for one round trip to Postgres rather than one after another. A
// missing task is ErrNotFound whatever else failed.
func (s *server) loadReportRows(ctx context.Context, k cooperation.TaskKey, withSubs bool) (reportRows, error) {
	var rows reportRows
	var errTask, errFocal, errSubs, errDraft, errReviews, errRequests error
	var wg sync.WaitGroup
	wg.Go(func() { rows.task, errTask = s.store.GetTaskDetail(ctx, k) })
	wg.Go(func() { rows.focal, errFocal = s.store.FocalPoints(ctx, k.Biennium, k.Country) })
	if withSubs {
		wg.Go(func() { rows.subs, errSubs = s.store.ListSubmissions(ctx, k) })
		wg.Go(func() {
			d, err := s.store.GetDraft(ctx, k)
			switch {
			case err == nil:
				rows.draft = &d
			case !errors.Is(err, store.ErrNotFound):
				errDraft = err
			}
		})
		wg.Go(func() { rows.reviews, errReviews = s.store.ListReviews(ctx, k) })
		wg.Go(func() { rows.requests, errRequests = s.store.ListRequests(ctx, k) })
	}
	wg.Wait()
	if errors.Is(errTask, store.ErrNotFound) {
		return reportRows{}, errTask
	}
	if err := errors.Join(errTask, errFocal, errSubs, errDraft, errReviews, errRequests); err != nil {
		return reportRows{}, err
	}
	return rows, nil
}

// showReport shows the report form of a task: the draft saved, else the
// previous version, to start from; or, when the task takes no report any
// more, what was sent.
func (s *server) showReport(w http.ResponseWriter, r *http.Request, v linkVisit) {
	rows, ok := s.reportTask(w, r, &v, true)
	if !ok {
		return
	}
	data, err := s.newReportData(r, v, rows)
	if err != nil {
		s.internal(w, r, "load files", err)
		return
	}
	q := r.URL.Query()
	data.Saved, data.Asked = q.Get("draft") == "saved" && data.Draft != nil, q.Get("asked") == "1" && data.Pending != nil
	form := map[string]string{}
	if d := data.Draft; d != nil {
		form = map[string]string{"status": d.Status, "progress": d.Progress, "results": d.Results,
			"difficulties": d.Difficulties, "next_steps": d.NextSteps, reportLanguageField: d.Language}
	} else if p := data.Previous; p != nil {
		form = map[string]string{"status": p.Status, "progress": p.Progress, "results": p.Results,
			"difficulties": p.Difficulties, "next_steps": p.NextSteps, reportLanguageField: p.Language}
	}
	if form[reportLanguageField] == "" {
		form[reportLanguageField] = rows.language
	}
	s.showReportPage(w, r, http.StatusOK, v, data, form, nil)
}

func (s *server) showReportPage(w http.ResponseWriter, r *http.Request, status int, v linkVisit, data reportData,
	form, errs map[string]string) {
	p := page{Lang: v.lang, TitleKey: "task_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: form, Errors: errs, Zone: v.zone}
	s.render(w, r, status, "task", p)
}

// newReportData lays out what a report page shows of its task's rows.
func (s *server) newReportData(r *http.Request, v linkVisit, rows reportRows) (reportData, error) {
	lim := s.evidence.Bounds()
	d := rows.task
	data := reportData{Task: d, Versions: rows.subs, Statuses: store.SubmissionStatuses, Base: linkPath(v.token),
		Action: linkPath(v.token) + "/report", Draft: rows.draft,
		ReadOnly:  !d.Status.Answerable() || d.CycleStatus == cooperation.CycleClosed,
		FileLimit: cooperation.Bytes(lim.FileBytes), TaskLimit: cooperation.Bytes(lim.TaskBytes)}
	data.Languages = languageChoices()
	if n := len(rows.subs); n > 0 {
		data.Previous = &rows.subs[n-1]
	}
	if n := len(rows.reviews); n > 0 {
		data.Review = &rows.reviews[n-1]
	}
	for i := range rows.requests {
		switch req := &rows.requests[i]; req.Status {
		case store.RequestPending:
			data.Pending = req
		case store.RequestGranted, store.RequestRefused:
			data.Answered = req
		}
	}
	switch {
	case data.Draft != nil:
		data.Keep = data.Draft.Files
	case data.Previous != nil:
		files, err := s.store.SubmittedFiles(r.Context(), data.Previous.ID)
		if err != nil {
			return reportData{}, err
		}
		data.Previous.Files, data.Keep = files, files
	}
	return data, nil
}

// kept reads the files a report form keeps (its "keep" boxes) among those
// it offered, under the names it showed.
func kept(r *http.Request, offered []store.SubmittedFile) []store.KeptFile {
	var out []store.KeptFile
	for _, raw := range r.PostForm["keep"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			continue
		}
		if i := slices.IndexFunc(offered, func(f store.SubmittedFile) bool { return f.FileID == id }); i >= 0 {
			out = append(out, store.KeptFile{FileID: id, Name: offered[i].Name})
		}
	}
	return out
}

// showVersion shows one version the country sent, whole: its texts, files,
// number and time. It is the confirmation a focal point sees after
// sending, and stays readable for as long as the link is.
func (s *server) showVersion(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookupLink(w, r, store.PurposeReport)
	if !ok {
		return
	}
	rows, ok := s.reportTask(w, r, &v, true)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("version"))
	i := slices.IndexFunc(rows.subs, func(sub store.Submission) bool { return sub.Version == n })
	if err != nil || i < 0 {
		s.failIn(w, r, http.StatusNotFound, "err_not_found", v.lang)
		return
	}
	data, err := s.newReportData(r, v, rows)
	if err != nil {
		s.internal(w, r, "load files", err)
		return
	}
	done := rows.subs[i]
	if done.Files, err = s.store.SubmittedFiles(r.Context(), done.ID); err != nil {
		s.internal(w, r, "load files", err)
		return
	}
	data.Done, data.Sent = &done, r.URL.Query().Get("sent") == "1"
	s.render(w, r, http.StatusOK, "task_done", page{Lang: v.lang, TitleKey: "task_version_title",
		Path: versionPath(v.token, n), Data: data, Zone: v.zone})
}

func versionPath(token string, version int) string {
	return linkPath(token) + "/versions/" + strconv.Itoa(version)
}
