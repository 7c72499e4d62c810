package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
)

// showHealth answers as long as the process serves requests.
func (s *server) showHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// showReadiness answers 200 only when Postgres answers with a current schema
// and Temporal answers; otherwise 503 with the reasons, one a line.
func (s *server) showReadiness(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var problems []string
	if err := s.store.Ping(ctx); err != nil {
		problems = append(problems, "postgres: not reachable")
		s.log.Warn("readiness: postgres", "error", err)
	} else if pending, err := s.store.PendingMigrations(ctx); err != nil {
		problems = append(problems, "postgres: cannot read schema version")
		s.log.Warn("readiness: schema", "error", err)
	} else if len(pending) > 0 {
		problems = append(problems, fmt.Sprintf("postgres: schema not current, pending migrations %s (run bienal migrate)", strings.Join(pending, ", ")))
	}
	if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		problems = append(problems, "temporal: not reachable")
		s.log.Warn("readiness: temporal", "error", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(problems) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(strings.Join(problems, "\n") + "\n"))
		return
	}
	// Ready all the same: a stopped workflow is work for the operator, not
	// a reason to take this portal out of service.
	out := "ready\n"
	if st := s.stopped(ctx); len(st) > 0 {
		out += fmt.Sprintf("workflows not running: %d (first: %s, %s; run bienal repair SUBJECT)\n", len(st), st[0].ID, st[0].Status)
	}
	_, _ = w.Write([]byte(out))
}

// showMetrics hands over to the Prometheus handler the process was given.
func (s *server) showMetrics(w http.ResponseWriter, r *http.Request) {
	if s.metrics == nil {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	s.metrics.ServeHTTP(w, r)
}
