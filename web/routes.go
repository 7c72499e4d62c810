package web

import (
	"io/fs"
	"net/http"
)

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	mux.HandleFunc("GET /healthz", s.showHealth)
	mux.HandleFunc("GET /readyz", s.showReadiness)
	mux.HandleFunc("GET /metrics", s.showMetrics)

	mux.HandleFunc("GET /login", s.newSession)
	mux.HandleFunc("POST /login", s.limited(s.lookups, s.createSession))
	mux.HandleFunc("POST /logout", s.deleteSession)
	mux.HandleFunc("GET /{$}", s.requireLogin(s.showDashboard))
	mux.HandleFunc("GET /emails", s.requireLogin(s.listEmails))
	mux.HandleFunc("GET /emails/{id}", s.requireLogin(s.showEmail))
	mux.HandleFunc("POST /emails/{id}/retry", s.limited(s.submits, s.requireLogin(s.retryEmail)))
	mux.HandleFunc("POST /emails/{id}/resend", s.limited(s.submits, s.requireLogin(s.resendEmail)))
	mux.HandleFunc("POST /calls", s.limited(s.submits, s.requireLogin(s.createCall)))
	mux.HandleFunc("POST /cycles", s.limited(s.submits, s.requireLogin(s.createCycle)))
	mux.HandleFunc("GET /cycles/{biennium}/{name}", s.requireLogin(s.showCycle))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/{file}", s.requireLogin(s.downloadReport))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/evidence.zip", s.requireLogin(s.downloadCycleEvidence))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/evidence/{id}", s.requireLogin(s.downloadEvidence))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/close", s.requireLogin(s.confirmCloseCycle))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/tasks/{code}/{country}/waive", s.requireLogin(s.confirmTaskChange("waive")))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/tasks/{code}/{country}/revoke", s.requireLogin(s.confirmTaskChange("revoke")))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/close", s.limited(s.submits, s.requireLogin(s.closeCycle)))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/document", s.limited(s.submits, s.requireLogin(s.setCycleDocument)))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/tasks/{code}/{country}/extend", s.limited(s.submits, s.requireLogin(s.extendTask)))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/tasks/{code}/{country}/waive", s.limited(s.submits, s.requireLogin(s.waiveTask)))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/tasks/{code}/{country}/revoke", s.limited(s.submits, s.requireLogin(s.revokeTaskLinks)))
	mux.HandleFunc("GET /cycles/{biennium}/{name}/tasks/{code}/{country}", s.requireLogin(s.showTaskReview))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/tasks/{code}/{country}/accept", s.limited(s.submits, s.requireLogin(s.acceptTask)))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/tasks/{code}/{country}/clarify", s.limited(s.submits, s.requireLogin(s.clarifyTask)))
	mux.HandleFunc("POST /cycles/{biennium}/{name}/tasks/{code}/{country}/refuse-extension", s.limited(s.submits, s.requireLogin(s.refuseExtension)))
	mux.HandleFunc("GET /goals/{biennium}/{goal}", s.requireLogin(s.listActivities))
	mux.HandleFunc("GET /activities/{biennium}/{code}", s.requireLogin(s.showActivity))
	mux.HandleFunc("GET /directory", s.requireLogin(s.showDirectory))
	mux.HandleFunc("POST /directory/{action}", s.limited(s.submits, s.requireLogin(s.changeDirectory)))

	mux.HandleFunc("GET /l/{token}", s.limited(s.lookups, s.showLink))
	// The addresses the e-mails of report tasks and committee votes carry.
	mux.HandleFunc("GET /tasks/{token}", s.limited(s.lookups, s.showLink))
	mux.HandleFunc("GET /vote/{token}", s.limited(s.lookups, s.showLink))
	mux.HandleFunc("GET /revise/{token}", s.limited(s.lookups, s.showLink))
	mux.HandleFunc("POST /l/{token}/report", s.limited(s.submits, largeBody(s.reportBodyLimit(), s.createReport)))
	mux.HandleFunc("GET /l/{token}/versions/{version}", s.limited(s.lookups, s.showVersion))
	mux.HandleFunc("POST /l/{token}/extension", s.limited(s.submits, s.requestExtension))
	mux.HandleFunc("POST /l/{token}/vote", s.limited(s.submits, s.createVote))
	mux.HandleFunc("POST /l/{token}/revise", s.limited(s.submits, s.createRevision))
	mux.HandleFunc("POST /l/{token}/complete", s.limited(s.submits, s.createCompletion))
	mux.HandleFunc("POST /l/{token}/propose", s.limited(s.submits, s.createProposal))
	mux.HandleFunc("GET /l/{token}/away", s.limited(s.lookups, s.showAway))
	mux.HandleFunc("POST /l/{token}/away", s.limited(s.submits, s.createAway))

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
	})
	return s.guard(mux)
}
