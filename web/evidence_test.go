package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/cooperation/evidencetest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/web"
)

// upload is one file of a report form.
type upload struct {
	name string
	data []byte
}

// portal serves a fixture over real HTTP, as a browser reaches it.
type portal struct {
	*fixture
	srv *httptest.Server
}

func newPortal(t *testing.T, lim cooperation.EvidenceLimits) *portal {
	t.Helper()
	s, pool := storetest.New(t)
	f := newFixtureOn(t, s, pool, func(o *web.Options) { o.Evidence = store.EvidenceOptions{Limits: lim} })
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	return &portal{fixture: f, srv: srv}
}

// multipartForm is what a browser sends for the report form: the page's
// fields in their order (the form token first), then the file input's
// files; an upload with no name is the part of an input left empty.
func multipartForm(t *testing.T, fields [][2]string, files ...upload) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		require.NoError(t, mw.WriteField(f[0], f[1]))
	}
	for _, u := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="%s"`, u.name))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = w.Write(u.data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return &b, mw.FormDataContentType()
}

func reportFields(csrf string) [][2]string {
	return [][2]string{{"csrf", csrf}, {"page_lang", "en"}, {"status", "on_track"}, {"progress", "Two workshops held."},
		{"results", "A draft agenda."}, {"difficulties", ""}, {"next_steps", "Publish it."}}
}

func (p *portal) send(t *testing.T, method, path string, body io.Reader, contentType string, cookies ...*http.Cookie) response {
	t.Helper()
	req, err := http.NewRequest(method, p.srv.URL+path, body)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// submit posts the report form of the link token with files.
func (p *portal) submit(t *testing.T, token string, files ...upload) response {
	t.Helper()
	body, ct := multipartForm(t, reportFields(p.formToken("/l/"+token)), files...)
	return p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct)
}

func (p *portal) reportLink(country string) string {
	return p.link(store.PurposeReport, "task/2017-2018/mid/A1/"+country, "fp."+strings.ToLower(country)+"@example.org", now.Add(30*24*time.Hour))
}

func TestReportUploadStoresItsFilesWithTheReport(t *testing.T) {
	t.Parallel()
	p := newPortal(t, cooperation.DefaultEvidenceLimits())
	token := p.reportLink("CL")

	page := p.get("/l/" + token)
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, page.body, `enctype="multipart/form-data"`)
	require.Contains(t, page.body, `<input type="file" id="files" name="files" multiple`)
	require.Contains(t, page.body, "at most 20 MB per file and 100 MB for all the files of this report")
	require.NotContains(t, page.body, "<script", "the form needs no JavaScript")

	agenda := evidencetest.PDF("agenda")
	csrf := p.formToken("/l/" + token)
	body, ct := multipartForm(t, reportFields(csrf), upload{"agenda.pdf", agenda}, upload{"scan.png", evidencetest.PNG()}, upload{"", nil})
	form := body.Bytes()
	r := p.sent(p.send(t, http.MethodPost, "/l/"+token+"/report", bytes.NewReader(form), ct))
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `id="confirmation"`)
	require.Regexp(t, `<ul id="attached"><li>agenda\.pdf \(PDF, [0-9]+ B\)</li><li>scan\.png \(PNG, [0-9]+ B\)</li></ul>`, r.body,
		"the confirmation lists what was attached")
	require.Equal(t, 1, p.count("submission"))
	require.Equal(t, 2, p.count("attachment"))
	require.Len(t, p.temporal.sent(), 1)

	// The same form again, as a double click sends it: one report, the same answer.
	again := p.sent(p.send(t, http.MethodPost, "/l/"+token+"/report", bytes.NewReader(form), ct))
	require.Equal(t, http.StatusOK, again.status, again.body)
	require.Contains(t, again.body, `<ul id="attached"><li>agenda.pdf`)
	require.Equal(t, 1, p.count("submission"))
	require.Equal(t, 2, p.count("attachment"))

	// The next visit offers what the version carried, kept unless unticked.
	page = p.get("/l/" + token)
	require.Regexp(t, `<input type="checkbox" id="keep-[0-9]+" name="keep" value="[0-9]+" checked>\s*<label for="keep-[0-9]+">agenda\.pdf \(PDF,`, page.body)

	// A page rendered before files existed posts URL-encoded, and still counts.
	mx := p.reportLink("MX")
	r = p.sent(p.post("/l/"+mx+"/report", goodReport(p.formToken("/l/"+mx))))
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Nenhum", "no file attached, said in the recipient's language")
}

func TestReportUploadRefusesBadFilesAndStoresNothing(t *testing.T) {
	t.Parallel()
	lim := cooperation.EvidenceLimits{FileBytes: 1000, TaskBytes: 2500}
	p := newPortal(t, lim)
	token := p.reportLink("CL")
	pad := func(n int, c byte) []byte {
		b := evidencetest.PDF(string(c))
		return append(b, bytes.Repeat([]byte{c}, n-len(b))...)
	}
	many := make([]upload, cooperation.MaxEvidenceFiles+1)
	for i := range many {
		many[i] = upload{fmt.Sprintf("note-%02d.txt", i), []byte(fmt.Sprintf("note %d\n", i))}
	}
	cases := []struct {
		name  string
		files []upload
		want  string
	}{
		{"a program renamed .pdf", []upload{{"agenda.pdf", evidencetest.PDF("ok")}, {"setup.pdf", evidencetest.EXE()}},
			"“setup.pdf” was not attached: its content is not a PDF, DOCX, XLSX, ODT, PNG, JPEG, CSV or TXT file, whatever its name says."},
		{"a picture named .pdf", []upload{{"scan.pdf", evidencetest.PNG()}},
			"“scan.pdf” is a PNG file, not what its name says: rename it to end in .png, or choose the file you meant."},
		{"a web page renamed .txt", []upload{{"page.txt", evidencetest.HTML()}}, "“page.txt” was not attached: its content is not"},
		{"a document with macros", []upload{{"informe.docx", evidencetest.DOCM()}}, "“informe.docx” was not attached: its content is not"},
		{"an empty file", []upload{{"vacío.csv", []byte{}}}, "“vacío.csv” was not attached: the file is empty."},
		{"a file over the limit", []upload{{"big.pdf", pad(1001, 'x')}},
			"“big.pdf” was not attached: it is larger than 1000 B, the most one file may be."},
		{"too many files", many, "“note-20.txt” was not attached: one report takes at most 20 files."},
		{"the task's files over its limit", []upload{{"a.pdf", pad(1000, 'a')}, {"b.pdf", pad(1000, 'b')}, {"c.pdf", pad(600, 'c')}},
			"“c.pdf” was not attached: with it, this report's files would pass 2.4 KB, the most one report may hold."},
	}
	for _, c := range cases {
		r := p.submit(t, token, c.files...)
		require.Equal(t, http.StatusUnprocessableEntity, r.status, c.name)
		require.Contains(t, r.body, `<p class="error" id="files-error">`+htmlText(c.want), c.name)
		require.Contains(t, r.body, "Nothing was saved.", c.name)
		require.Contains(t, r.body, "please choose them again", c.name)
		require.Contains(t, r.body, "Two workshops held.", "%s: the texts come back", c.name)
		p.requireUnchanged()
		require.Zero(t, p.count("evidence_file"), c.name)
	}

	// A file before the form token is not the page's form: nothing is read on its word.
	body, ct := multipartForm(t, nil, upload{"agenda.pdf", evidencetest.PDF("x")})
	r := p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct)
	require.Equal(t, http.StatusForbidden, r.status)
	// A token from another link.
	other := p.reportLink("MX")
	body, ct = multipartForm(t, reportFields(p.formToken("/l/"+other)), upload{"agenda.pdf", evidencetest.PDF("x")})
	require.Equal(t, http.StatusForbidden, p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct).status)

	// A body past the route's limit: as many bytes as a task holds, and the texts' megabyte, and more.
	huge := upload{"huge.pdf", make([]byte, 2500+(1<<20)+(1<<20)+1)}
	r = p.submit(t, token, huge)
	require.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	require.Contains(t, r.body, "attach fewer or smaller files")
	// The texts keep the portal's one-megabyte limit inside a multipart body too.
	fields := reportFields(p.formToken("/l/" + token))
	fields[3][1] = strings.Repeat("a", 1<<20)
	body, ct = multipartForm(t, fields)
	require.Equal(t, http.StatusRequestEntityTooLarge, p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct).status)
	p.requireUnchanged()
}

// htmlText is s as html/template writes it in a page.
func htmlText(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;").Replace(s)
}

func TestEvidenceDownloadsAndCycleArchive(t *testing.T) {
	t.Parallel()
	p := newPortal(t, cooperation.DefaultEvidenceLimits())
	agenda, scan, notes := evidencetest.PDF("agenda"), evidencetest.PNG(), evidencetest.TXT()
	require.Equal(t, http.StatusSeeOther, p.submit(t, p.reportLink("CL"), upload{"Acta de la reunión.pdf", agenda}, upload{"scan", scan}).status)
	require.Equal(t, http.StatusSeeOther, p.submit(t, p.reportLink("MX"), upload{"notas", notes}).status)
	files, err := p.store.CycleEvidence(context.Background(), "2017-2018", "mid")
	require.NoError(t, err)
	require.Len(t, files, 3)
	base := "/cycles/2017-2018/mid"

	// Behind the login.
	r := p.send(t, http.MethodGet, fmt.Sprintf("%s/evidence/%d", base, files[0].ID), nil, "")
	require.Equal(t, http.StatusSeeOther, r.status)
	require.Equal(t, fmt.Sprintf("/login?next=%%2Fcycles%%2F2017-2018%%2Fmid%%2Fevidence%%2F%d", files[0].ID), r.header.Get("Location"),
		"to the login, then back to the file")
	require.Equal(t, http.StatusSeeOther, p.send(t, http.MethodGet, base+"/evidence.zip", nil, "").status)

	cookie := p.signIn()
	page := p.send(t, http.MethodGet, base+"?lang=en", nil, "", cookie)
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, page.body, `<a href="/cycles/2017-2018/mid/evidence.zip" id="evidence-zip">all evidence files (ZIP)</a>`)
	require.Contains(t, page.body, fmt.Sprintf(`<a href="/cycles/2017-2018/mid/evidence/%d" download>scan.png</a> (PNG,`, files[1].ID))

	want := map[string][]byte{"goal-1/A1/CL/Acta de la reunión.pdf": agenda, "goal-1/A1/CL/scan.png": scan, "goal-1/A1/MX/notas.txt": notes}
	types := map[string]string{"goal-1/A1/CL/Acta de la reunión.pdf": "application/pdf", "goal-1/A1/CL/scan.png": "image/png",
		"goal-1/A1/MX/notas.txt": "text/plain; charset=utf-8"}
	dispositions := map[string]string{"goal-1/A1/CL/Acta de la reunión.pdf": `attachment; filename*=utf-8''Acta%20de%20la%20reuni%C3%B3n.pdf`,
		"goal-1/A1/CL/scan.png": `attachment; filename=scan.png`, "goal-1/A1/MX/notas.txt": `attachment; filename=notas.txt`}
	for _, f := range files {
		r := p.send(t, http.MethodGet, fmt.Sprintf("%s/evidence/%d", base, f.ID), nil, "", cookie)
		require.Equal(t, http.StatusOK, r.status, f.Path())
		require.Equal(t, dispositions[f.Path()], r.header.Get("Content-Disposition"), "never shown inline")
		require.Equal(t, types[f.Path()], r.header.Get("Content-Type"))
		require.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
		require.Contains(t, r.header.Get("Content-Security-Policy"), "sandbox")
		require.Equal(t, "no-store", r.header.Get("Cache-Control"))
		require.Equal(t, want[f.Path()], []byte(r.body), f.Path())
	}
	require.Equal(t, http.StatusNotFound, p.send(t, http.MethodGet, fmt.Sprintf("/cycles/2017-2018/final/evidence/%d", files[0].ID), nil, "", cookie).status,
		"a file is reached only through its own cycle")
	require.Equal(t, http.StatusNotFound, p.send(t, http.MethodGet, base+"/evidence/x", nil, "", cookie).status)

	r = p.send(t, http.MethodGet, base+"/evidence.zip", nil, "", cookie)
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "application/zip", r.header.Get("Content-Type"))
	require.Equal(t, "attachment; filename=evidence-2017-2018-mid.zip", r.header.Get("Content-Disposition"))
	zr, err := zip.NewReader(strings.NewReader(r.body), int64(len(r.body)))
	require.NoError(t, err)
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		rc, err := zf.Open()
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		require.Equal(t, want[zf.Name], got, zf.Name)
		if strings.HasSuffix(zf.Name, ".txt") {
			require.Equal(t, zip.Deflate, zf.Method, "text is compressed")
		} else {
			require.Equal(t, zip.Store, zf.Method, "what is compressed already is stored as it is")
		}
	}
	require.Equal(t, []string{"goal-1/A1/CL/Acta de la reunión.pdf", "goal-1/A1/CL/scan.png", "goal-1/A1/MX/notas.txt"}, names,
		"laid out goal/activity/country/")
}

// TestReportUploadOfTwentyMegabytes sends one file of the per-file limit
// through real HTTP and says what it cost; one byte more is refused.
func TestReportUploadOfTwentyMegabytes(t *testing.T) {
	p := newPortal(t, cooperation.DefaultEvidenceLimits())
	token := p.reportLink("CL")
	big := append(evidencetest.PDF("big"), bytes.Repeat([]byte("x"), cooperation.DefaultEvidenceFileBytes-len(evidencetest.PDF("big")))...)

	over := p.submit(t, token, upload{"big.pdf", append(big, 'x')})
	require.Equal(t, http.StatusUnprocessableEntity, over.status)
	require.Contains(t, over.body, "“big.pdf” was not attached: it is larger than 20 MB")

	body, ct := multipartForm(t, reportFields(p.formToken("/l/"+token)), upload{"big.pdf", big})
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	r := p.send(t, http.MethodPost, "/l/"+token+"/report", body, ct)
	took := time.Since(start)
	close(stop)
	<-sampled
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	r = p.sent(r)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "big.pdf (PDF, 20 MB)")
	var stored int64
	require.NoError(t, p.pool.QueryRow(context.Background(), `SELECT length(data) FROM evidence_blob`).Scan(&stored))
	require.Equal(t, int64(len(big)), stored)
	t.Logf("20 MB upload: %v; %d MB allocated; the heap %d MB larger at its peak (the form's body was built before)",
		took.Round(time.Millisecond), (after.TotalAlloc-before.TotalAlloc)>>20, (peak.Load()-min(peak.Load(), before.HeapAlloc))>>20)
}

// With the pool drained, a report with files is answered 503 like any
// other form: the texts come back, the files are asked for again in a form
// that can send them, and sending it stores the report with its files once.
func TestBusyPortalAsksForTheFilesAgain(t *testing.T) {
	t.Parallel()
	f := smallPoolFixture(t)
	ctx := context.Background()
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	csrf := f.formToken("/l/" + token)
	agenda := upload{"agenda.pdf", evidencetest.PDF("agenda")}
	body, ct := multipartForm(t, reportFields(csrf), agenda)

	held, err := f.pool.Acquire(ctx)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/l/"+token+"/report", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	r := f.do(req)
	held.Release()
	require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
	require.Contains(t, r.body, `enctype="multipart/form-data"`)
	require.Contains(t, r.body, `<input type="file" id="busy-files" name="files" multiple>`)
	require.Contains(t, r.body, "please choose them again")
	require.Contains(t, r.body, "Two workshops held.")
	action, again := busyForm(t, r.body)

	fields := [][2]string{{"csrf", again.Get("csrf")}}
	for k, vs := range again {
		if k != "csrf" {
			fields = append(fields, [2]string{k, vs[0]})
		}
	}
	body, ct = multipartForm(t, fields, agenda)
	req = httptest.NewRequest(http.MethodPost, action, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	r = f.sent(f.do(req))
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<ul id="attached"><li>agenda.pdf (PDF,`)
	require.Equal(t, 1, f.count("submission"))
	require.Equal(t, 1, f.count("attachment"))
}
