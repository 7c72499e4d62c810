package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation/evidencetest"
)

// A focal point attaches two files to the report in Chromium, with the
// page's plain form: the confirmation lists them (the picture sent without
// an extension named as what it is), the task is submitted, and the operator's
// `bienal task files` writes them back byte for byte.
func TestBrowserFocalPointAttachesEvidence(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.importAndExecute()
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final",
		"--due", futureDay(40), "--closes", futureDay(70))
	_, link := s.waitForLink(0, "/tasks/")

	dir := t.TempDir()
	agenda, photo := evidencetest.PDF("agenda"), evidencetest.PNG()
	paths := []string{filepath.Join(dir, "Agenda del taller.pdf"), filepath.Join(dir, "foto")}
	require.NoError(t, os.WriteFile(paths[0], agenda, 0o600))
	require.NoError(t, os.WriteFile(paths[1], photo, 0o600))

	b.open("1-task", link, "#files")
	b.do("fill in the report and choose the files", append([]chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS("#status-on_track")),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), paths)},
		typeIn("#progress", "Taller realizado con 40 participantes.")...)...)
	b.submit("2-confirmation", "#submit", "#confirmation")
	attached := b.text("#attached")
	require.Contains(t, attached, "Agenda del taller.pdf (PDF,")
	require.Contains(t, attached, "foto.png (PNG,")

	var code, country string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT code, country FROM report_task
		WHERE biennium = '2017-2018' AND cycle = 'final' AND status = 'submitted'`).Scan(&code, &country))
	require.Equal(t, 2, s.count("SELECT count(*) FROM attachment"))
	eventually(t, "the task's workflow records the submission", 30*time.Second, func() bool {
		return s.count("SELECT count(*) FROM audit_log WHERE action = 'task_submitted'") == 1
	})

	out := filepath.Join(dir, "out")
	s.bienal("task", "files", "2017-2018/final/"+code+"/"+country, "-o", out)
	for name, want := range map[string][]byte{"Agenda del taller.pdf": agenda, "foto.png": photo} {
		got, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), name)
	}
}
