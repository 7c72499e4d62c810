package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation/evidencetest"
	"github.com/bienal/bienal/workflows"
)

// A report as a focal point and the secretariat work on it, in Chromium:
// the focal point saves a draft with two files, comes back to it, asks for
// more time (granted from the task's page) and sends it; the secretariat
// asks for clarification; the focal point gets the
// e-mail, opens its link and sends a second version with one more file;
// the secretariat accepts it. The consolidated report lists the three files
// in its evidence annex and the cycle's archive holds them in the task's
// folder.
func TestBrowserReportDraftClarifyAccept(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.importAndExecute()
	out, errOut, err := s.run("s3cret-passw0rd-long\n", "user", "add", "--email", "sec@example.org")
	require.NoError(t, err, "user add: %s %s", out, errOut)
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final",
		"--due", futureDay(40), "--closes", futureDay(70))
	invitation, link := s.waitForLink(0, "/tasks/")
	focal := invitation.To[0]

	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	agenda := write("Agenda del taller.pdf", evidencetest.PDF("agenda"))
	photo := write("foto.png", evidencetest.PNG())
	list := write("participantes.txt", evidencetest.TXT())

	// A draft with two files, and the link opened again.
	b.open("1-task", link, "#save-draft")
	b.do("write half the report and choose two files", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{agenda, photo})},
		typeIn("#progress", "Taller realizado con 40 participantes.")...)...)
	b.submit("2-draft-saved", "#save-draft", "#draft-saved")
	require.Zero(t, s.count("SELECT count(*) FROM submission"), "a draft sends nothing")
	var code, country string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT code, country FROM task_draft`).Scan(&code, &country))
	b.open("3-draft-reopened", link, "#draft-note")
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	progress, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#progress")))
	cancel()
	require.NoError(t, err)
	require.Equal(t, "Taller realizado con 40 participantes.", progress, "the draft's text is back in its field")
	require.Contains(t, b.text("#kept-files"), "Agenda del taller.pdf")
	require.Contains(t, b.text("#kept-files"), "foto.png")

	// More time, asked from the link and granted from the task's page.
	asked := futureDay(45)
	b.do("ask for more time", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#until"), asked)}, typeIn("#request_reason", "Cambio de autoridades.")...)...)
	b.submit("3b-more-time-asked", "#request-extension", "#asked")
	b.open("3c-login", s.baseURL+"/login", "#login")
	b.do("fill in the login", typeIn("#email", "sec@example.org", "#password", "s3cret-passw0rd-long")...)
	b.submit("3d-dashboard", "#login", "#needs-attention")
	taskPage := s.baseURL + "/cycles/2017-2018/final/tasks/" + code + "/" + country
	b.open("3e-request", taskPage, "#pending-request")
	b.submit("3f-granted", "#grant", "#done")
	require.Contains(t, b.text("#request-list"), "concedida")
	b.open("3g-task-again", link, "#draft-note")
	require.Equal(t, spanishDay(t, asked), b.text("#due"), "the new due date, as granted")

	b.do("choose the status", chromedp.Click(chromedp.CSS("#status-on_track")))
	b.submit("4-sent", "#submit", "#confirmation")
	require.Contains(t, b.text("#attached"), "Agenda del taller.pdf")
	require.Contains(t, b.text("#copy-progress"), "Taller realizado con 40 participantes.")
	eventually(t, "the task's workflow records the first version", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM audit_log WHERE action = 'task_submitted'") == 1
	})

	// The secretariat sends it back from the task's page.
	b.open("7-task-page", taskPage, "#clarify")
	reason := "Añadan los resultados del producto 2, por favor."
	b.do("ask for clarification", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#clarify_due"), futureDay(50))}, typeIn("#clarify_reason", reason)...)...)
	b.submit("8-clarification-asked", "#clarify", "#done")
	require.Contains(t, b.text("#task-status"), "aclaración")

	// The focal point reads why in their e-mail and sends a second version.
	msg := s.waitForMailTo(focal, "clarification_request")
	parts, err := msg.Parts()
	require.NoError(t, err)
	require.Contains(t, parts.Text, reason)
	second := regexp.MustCompile(regexp.QuoteMeta(s.baseURL+"/tasks/") + `[A-Za-z0-9_-]+`).FindString(parts.Text)
	require.NotEmpty(t, second, "the e-mail carries a working link")
	b.open("9-clarification", second, "#clarification")
	require.Contains(t, b.text("#clarification-reason"), reason)
	b.do("add the results and one more file", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{list})},
		typeIn("#results", " Producto 2: guía publicada.")...)...)
	b.submit("10-second-version", "#submit", "#confirmation")
	require.Contains(t, b.text("#version"), "2")
	attached := b.text("#attached")
	for _, name := range []string{"Agenda del taller.pdf", "foto.png", "participantes.txt"} {
		require.Contains(t, attached, name)
	}
	eventually(t, "the task submitted again", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM audit_log WHERE action = 'task_submitted'") == 2
	})

	// The secretariat accepts it.
	b.open("11-task-page-again", taskPage, "#accept")
	b.submit("12-accepted", "#accept", "#done")
	require.Contains(t, b.text("#review-list"), "aceptado")
	s.waitForMailTo(focal, "report_accepted")
	b.open("13-link-read-only", second, "#read-only")

	s.bienal("cycle", "close", "2017-2018/final")
	eventually(t, "the consolidated report stored", 60*time.Second, func() bool {
		return s.count("SELECT count(*) FROM report_snapshot WHERE biennium = '2017-2018' AND cycle = 'final'") > 0
	})
	md := s.bienal("report", "2017-2018/final", "--format", "md")
	for _, name := range []string{"Agenda del taller.pdf", "foto.png", "participantes.txt"} {
		require.Contains(t, md, name, "the evidence annex lists every file")
	}

	// The cycle's archive holds the three files in the task's folder.
	zipped := s.secretariatGet("/cycles/2017-2018/final/evidence.zip", "sec@example.org", "s3cret-passw0rd-long")
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	require.NoError(t, err)
	var inTask []string
	for _, f := range zr.File {
		if strings.Contains(f.Name, code) && strings.Contains(f.Name, country) {
			inTask = append(inTask, filepath.Base(f.Name))
		}
	}
	slices.Sort(inTask)
	require.Equal(t, []string{"Agenda del taller.pdf", "foto.png", "participantes.txt"}, inTask, "archive: %v", zipNames(zr))

	require.Equal(t, 2, s.count("SELECT count(*) FROM submission WHERE code = $1 AND country = $2", code, country))
	require.Equal(t, 2, s.count("SELECT count(*) FROM task_review WHERE code = $1 AND country = $2", code, country))
	s.saveHistory("task-extension-clarified-accepted", workflows.TaskID("2017-2018", "final", code, country))
	eventually(t, "the cycle's workflow finished", 60*time.Second, func() bool {
		d, err := s.client.DescribeWorkflowExecution(context.Background(), workflows.CycleID("2017-2018", "final"), "")
		return err == nil && d.WorkflowExecutionInfo.CloseTime != nil
	})
	s.saveHistory("cycle-reviewed-closed-by-signal", workflows.CycleID("2017-2018", "final"))
}

func zipNames(zr *zip.Reader) []string {
	var out []string
	for _, f := range zr.File {
		out = append(out, f.Name)
	}
	return out
}

// secretariatGet logs in over plain HTTP, as a script of the secretariat
// would, and returns the body of a page behind the login.
func (s *stack) secretariatGet(path, email, password string) []byte {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(s.t, err)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	res, err := c.Get(s.baseURL + "/login")
	require.NoError(s.t, err)
	page, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	require.NotNil(s.t, csrf, "the login page has a form token")
	req, err := http.NewRequest(http.MethodPost, s.baseURL+"/login", strings.NewReader(url.Values{
		"csrf": {string(csrf[1])}, "email": {email}, "password": {password}}.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = c.Do(req)
	require.NoError(s.t, err)
	_ = res.Body.Close()
	res, err = c.Get(s.baseURL + path)
	require.NoError(s.t, err)
	defer func() { _ = res.Body.Close() }()
	require.Equal(s.t, http.StatusOK, res.StatusCode, path)
	body, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	return body
}
