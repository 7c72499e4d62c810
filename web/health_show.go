package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/store"
)

// showHealth answers as long as the process serves requests.
func (s *server) showHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// NamespaceChecker is what the Temporal handle given to the portal may
// also offer: a check that the namespace its client uses is registered
// (config.CheckNamespace). /readyz calls it when it is there. A client
// dials a server, not a namespace, so without this a portal on a missing
// namespace was ready while every signal it sent failed.
type NamespaceChecker interface {
	CheckNamespace(ctx context.Context) error
}

// showReadiness answers 200 only when Postgres answers with this binary's
// schema and Temporal answers with the portal's namespace registered;
// otherwise 503 with what is wrong, one a line.
func (s *server) showReadiness(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var problems []string
	var schema *store.SchemaError
	if err := s.store.Ping(ctx); err != nil {
		problems = append(problems, "postgres: not reachable")
		s.log.Warn("readiness: postgres", "error", err)
	} else if err := s.store.CheckSchema(ctx); errors.As(err, &schema) {
		problems = append(problems, "postgres: "+schema.Error())
	} else if err != nil {
		problems = append(problems, "postgres: cannot read schema version")
		s.log.Warn("readiness: schema", "error", err)
	}
	if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		problems = append(problems, "temporal: not reachable")
		s.log.Warn("readiness: temporal", "error", err)
	} else if p := s.namespaceProblem(ctx); p != "" {
		problems = append(problems, p)
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

// namespaceProblem is /readyz's line about the namespace, empty when it is
// registered or the handle cannot tell. The line names the variable and the
// step; the server's address and its error stay in the log.
func (s *server) namespaceProblem(ctx context.Context) string {
	nc, ok := s.temporal.(NamespaceChecker)
	if !ok {
		return ""
	}
	err := nc.CheckNamespace(ctx)
	if err == nil {
		return ""
	}
	s.log.Warn("readiness: temporal namespace", "error", err)
	var ns *config.NamespaceError
	if errors.As(err, &ns) {
		return fmt.Sprintf("temporal: namespace %q is %s (TEMPORAL_NAMESPACE; register it with temporal operator namespace create --namespace %s --retention %s)",
			ns.Namespace, ns.State, ns.Namespace, config.NamespaceRetention)
	}
	var sa *config.SearchAttributeError
	if errors.As(err, &sa) && len(sa.Missing) == 0 {
		return fmt.Sprintf("temporal: namespace %q has bienal's search attributes with other types (TEMPORAL_NAMESPACE; the log says which)", sa.Namespace)
	}
	if errors.As(err, &sa) {
		return fmt.Sprintf("temporal: namespace %q lacks bienal's search attributes (TEMPORAL_NAMESPACE; register them with %s)", sa.Namespace, sa.CreateCommand())
	}
	return "temporal: cannot check the namespace (TEMPORAL_NAMESPACE)"
}

// showMetrics hands over to the Prometheus handler the process was given.
func (s *server) showMetrics(w http.ResponseWriter, r *http.Request) {
	if s.metrics == nil {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	s.metrics.ServeHTTP(w, r)
}
