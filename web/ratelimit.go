package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limiter is an in-process token bucket per client address. Each replica
// counts on its own, so N replicas allow up to N times the rate: enough to
// stop a single client guessing tokens or flooding forms, not a global quota.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(r RateLimit, now func() time.Time) *limiter {
	return &limiter{rate: r.PerMinute / 60, burst: float64(r.Burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from key's bucket, or reports false when it is empty.
func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep forgets full buckets once a minute, so the map does not grow with
// every address ever seen.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// clientAddress is the peer's IP. The portal is expected behind a proxy that
// sets RemoteAddr correctly (or none); forwarded headers are not trusted,
// since a client could forge them to dodge the limits.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limited wraps h so that requests over l's rate get 429.
func (s *server) limited(l *limiter, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !l.allow(clientAddress(r)) {
			w.Header().Set("Retry-After", "60")
			s.fail(w, r, http.StatusTooManyRequests, "err_rate")
			return
		}
		h(w, r)
	}
}
