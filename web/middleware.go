package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/bienal/bienal/store"
)

const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// guard wraps every response: security headers, a bounded body, protection
// of every non-safe method against cross-origin requests, and a recovered
// panic shown as a plain error page.
func (s *server) guard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "path", redactPath(r.URL.Path), "origin", r.Header.Get("Origin"),
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "client", clientAddress(r))
		s.fail(w, r, http.StatusForbidden, "err_cross_origin")
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		s.keepLanguage(w, r)
		raw := r.Body
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), rawBodyKey{}, raw), s.timeout)
		defer cancel()
		r = r.WithContext(ctx)
		start := time.Now()
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("handler panicked", "path", redactPath(r.URL.Path), "panic", v)
				s.fail(w, r, http.StatusInternalServerError, "err_internal")
			}
			s.log.Debug("request", "method", r.Method, "path", redactPath(r.URL.Path), "duration", time.Since(start))
		}()
		protected.ServeHTTP(w, r)
	})
}

// rawBodyKey holds a request's body as it came in, before guard bounded it.
type rawBodyKey struct{}

// largeBody lets one route's body reach limit instead of MaxBodyBytes: the
// report form, which carries files. The rest of the portal keeps the small
// limit, so no other form can be made to hold a hundred megabytes.
func largeBody(limit int64, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if raw, ok := r.Context().Value(rawBodyKey{}).(io.ReadCloser); ok {
			r.Body = http.MaxBytesReader(w, raw, limit)
		}
		next(w, r)
	}
}

// freshDeadline gives the work that follows a large body, or each step of a
// large answer, a deadline of its own. guard's deadline runs from the first
// byte, and twenty megabytes from a slow connection can take longer than
// that to arrive; what the deadline guards against, a request queueing for
// a database connection, starts after.
func (s *server) freshDeadline(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(r.Context()), s.timeout)
}

// redactPath keeps link tokens out of the logs: whoever reads a log line
// must not be able to act with it.
func redactPath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		// Every link path carries its token as one segment of this length.
		if len(part) == store.TokenLength {
			parts[i] = "…"
		}
	}
	return strings.Join(parts, "/")
}

// noStore marks a page that shows personal data or a form token: no cache
// may keep it.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
}
