package web_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
)

// smallPoolFixture is the portal over a pool of one connection, with a
// short request deadline: holding the connection drains the pool.
func smallPoolFixture(t *testing.T) *fixture {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(storetest.NewDatabase(t))
	require.NoError(t, err)
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return newFixtureOn(t, store.New(pool), pool, func(o *web.Options) { o.RequestTimeout = 300 * time.Millisecond })
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	hiddenRe   = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	textareaRe = regexp.MustCompile(`(?s)<textarea id="[^"]+" name="([^"]+)">(.*?)</textarea>`)
)

// busyForm reads back the form of a busy page, as a browser would send it.
func busyForm(t *testing.T, body string) (string, url.Values) {
	t.Helper()
	m := formAction.FindStringSubmatch(body)
	require.NotNil(t, m, body)
	v := url.Values{}
	for _, h := range hiddenRe.FindAllStringSubmatch(body, -1) {
		v.Add(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
	}
	for _, ta := range textareaRe.FindAllStringSubmatch(body, -1) {
		v.Add(html.UnescapeString(ta[1]), html.UnescapeString(ta[2]))
	}
	return html.UnescapeString(m[1]), v
}

// With every connection of the pool taken, a focal point's report is
// answered 503 with Retry-After, in the language the form was shown in, and
// the page gives back what they typed in a form that sends it again; once
// the pool has a connection, sending it again stores the report once.
func TestPoolExhaustedAnswers503WithTheFormKept(t *testing.T) {
	t.Parallel()
	f := smallPoolFixture(t)
	ctx := context.Background()
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	csrf := f.formToken("/l/" + token)
	form := goodReport(csrf)
	form.Set("page_lang", "en")
	form.Set("progress", "Two workshops held <in Santiago> & one online.")

	held, err := f.pool.Acquire(ctx)
	require.NoError(t, err)
	released := false
	release := func() {
		if !released {
			released = true
			held.Release()
		}
	}
	// The pool cannot close while a connection is out, even when the test fails.
	defer release()
	r := f.post("/l/"+token+"/report", form)
	require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	require.Equal(t, "30", r.header.Get("Retry-After"))
	require.Contains(t, r.body, `<html lang="en">`)
	require.Contains(t, r.body, "The portal is busy right now and your answer was not recorded yet.")
	require.Contains(t, r.body, "Two workshops held &lt;in Santiago&gt; &amp; one online.", "the typed text is kept")
	action, again := busyForm(t, r.body)
	require.Equal(t, "/l/"+token+"/report", action)
	for _, k := range []string{"csrf", "status", "progress", "results", "next_steps"} {
		require.Equal(t, form.Get(k), again.Get(k), k)
	}

	// A page load waits no longer than the deadline either; without a form
	// language it speaks the browser's.
	req := httptestRequest(http.MethodGet, "/l/"+token)
	req.Header.Set("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
	r = f.do(req)
	require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	require.Equal(t, "30", r.header.Get("Retry-After"))
	require.Contains(t, r.body, "Le portail est occupé")

	// The login page keeps the e-mail, never the password.
	lcsrf := csrfField.FindStringSubmatch(f.get("/login").body)
	require.NotNil(t, lcsrf)
	r = f.post("/login?lang=es", url.Values{"csrf": {lcsrf[1]}, "email": {"ana@example.org"}, "password": {"correct horse battery"}})
	require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	require.Contains(t, r.body, "El portal está ocupado")
	require.Contains(t, r.body, "ana@example.org")
	require.NotContains(t, r.body, "correct horse battery")
	require.Contains(t, r.body, `<input type="password" id="password" name="password"`)
	release()

	require.Zero(t, f.count("submission"), "nothing was stored while busy")
	r = f.sent(f.post(action, again))
	require.Equal(t, http.StatusOK, r.status, r.body)
	r = f.sent(f.post(action, again))
	require.Equal(t, http.StatusOK, r.status, "sent again once more, the same form still counts once")
	require.Equal(t, 1, f.count("submission"))
	require.Len(t, f.temporal.sent(), 1)
}

// A server refusing new connections (SQLSTATE 53300, too many clients) is
// the same 503, not an internal error.
func TestTooManyClientsAnswers503(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := storetest.NewDatabase(t)
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, nil)
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	csrf := f.formToken("/l/" + token)

	b := make([]byte, 4)
	_, _ = rand.Read(b)
	role := "bienal_full_" + hex.EncodeToString(b)
	_, err := pool.Exec(ctx, "CREATE ROLE "+role+" LOGIN CONNECTION LIMIT 0")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = pool.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) })
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	u.User = url.User(role)
	full, err := pgxpool.New(ctx, u.String())
	require.NoError(t, err)
	t.Cleanup(full.Close)
	h, err := web.New(web.Options{Store: store.New(full), Temporal: f.temporal, CSRFSecret: []byte("x"),
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	busy := &fixture{t: t, store: store.New(full), pool: pool, temporal: f.temporal, handler: h}
	// The form token was signed with the other portal's secret: the report
	// fails before it is checked, at the link lookup.
	r := busy.post("/l/"+token+"/report?lang=pt", goodReport(csrf))
	require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	require.Equal(t, "30", r.header.Get("Retry-After"))
	require.Contains(t, r.body, "O portal está ocupado")
	require.Contains(t, r.body, "Two workshops held.")
}
