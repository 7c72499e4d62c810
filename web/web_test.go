package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
)

var now = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

const taskSubject = "task/2017-2018/mid/A1/CL"

type fixture struct {
	t        *testing.T
	store    *store.Store
	pool     *pgxpool.Pool
	temporal *recordingTemporal
	handler  http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, pool := storetest.New(t)
	return newFixtureOn(t, s, pool, nil)
}

// newFixtureOn seeds the database behind pool and builds the portal over s,
// with options adjusted by tune when it is not nil.
func newFixtureOn(t *testing.T, s *store.Store, pool *pgxpool.Pool, tune func(*web.Options)) *fixture {
	t.Helper()
	storetest.SmallProgramme(t, pool)
	f := &fixture{t: t, store: s, pool: pool, temporal: &recordingTemporal{}}
	o := web.Options{Store: s, Temporal: f.temporal, Logger: slog.New(slog.DiscardHandler),
		Now:     func() time.Time { return now },
		BaseURL: "http://portal.example.org", LookupLimit: web.RateLimit{PerMinute: 1000, Burst: 1000},
		SubmitLimit: web.RateLimit{PerMinute: 1000, Burst: 1000}}
	if tune != nil {
		tune(&o)
	}
	var err error
	f.handler, err = web.New(o)
	require.NoError(t, err)
	return f
}

func (f *fixture) link(purpose, subject, recipient string, expires time.Time) string {
	f.t.Helper()
	token, err := f.store.CreateLink(context.Background(), purpose, subject, recipient, expires)
	require.NoError(f.t, err)
	return token
}

type response struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) do(req *http.Request) response {
	f.t.Helper()
	if req.RemoteAddr == "" {
		req.RemoteAddr = "192.0.2.1:1234"
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return response{status: rec.Code, header: rec.Header(), body: string(b)}
}

// sent follows a form's answer to the page it redirects to (POST, then
// redirect, then GET): the confirmation a person sees.
func (f *fixture) sent(r response) response {
	f.t.Helper()
	if r.status != http.StatusSeeOther {
		f.t.Fatalf("want 303 See Other after the form, got %d: %s", r.status, r.body)
	}
	return f.get(r.header.Get("Location"))
}

func (f *fixture) get(path string, cookies ...*http.Cookie) response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return f.do(req)
}

func postRequest(path string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

func (f *fixture) post(path string, form url.Values, cookies ...*http.Cookie) response {
	req := postRequest(path, form)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return f.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formToken opens a page and returns the token of its form.
func (f *fixture) formToken(path string, cookies ...*http.Cookie) string {
	f.t.Helper()
	r := f.get(path, cookies...)
	require.Equal(f.t, http.StatusOK, r.status, r.body)
	m := csrfField.FindStringSubmatch(r.body)
	require.NotNil(f.t, m, "page %s has a form token", path)
	return m[1]
}

// count returns the rows of a table, to show that a refusal changed nothing.
func (f *fixture) count(table string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

func (f *fixture) requireUnchanged() {
	f.t.Helper()
	require.Zero(f.t, f.count("submission"), "no submission stored")
	require.Zero(f.t, f.count("form_use"), "no form claimed")
	require.Empty(f.t, f.temporal.sent(), "no signal sent")
	var status string
	require.NoError(f.t, f.pool.QueryRow(context.Background(),
		`SELECT status FROM report_task WHERE cycle = 'mid' AND code = 'A1' AND country = 'CL'`).Scan(&status))
	require.Equal(f.t, "open", status)
}

func TestHealthAndHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.get("/healthz")
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "ok\n", r.body)

	r = f.get("/readyz")
	require.Equal(t, http.StatusOK, r.status, r.body)

	f.temporal.unhealthy = true
	r = f.get("/readyz")
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	require.Contains(t, r.body, "temporal: not reachable")
	require.NotContains(t, r.body, "connection refused", "internal error text stays in the log")

	r = f.get("/login")
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		r.header.Get("Content-Security-Policy"))
	require.Equal(t, "no-referrer", r.header.Get("Referrer-Policy"))
	require.Equal(t, "DENY", r.header.Get("X-Frame-Options"))
	require.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
	require.Contains(t, r.body, `<main id="main">`)

	r = f.get("/static/style.css")
	require.Equal(t, http.StatusOK, r.status)
	require.Contains(t, r.header.Get("Content-Type"), "text/css")
}
