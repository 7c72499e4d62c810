package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/cooperation/evidencetest"
	"github.com/bienal/bienal/store/storetest"
	"github.com/bienal/bienal/workflows"
)

// signalsOnly is a Temporal client that records the signals it is given.
type signalsOnly struct {
	client.Client
	mu      sync.Mutex
	signals []workflows.SubmitSignal
}

func (s *signalsOnly) SignalWorkflow(_ context.Context, _, _, _ string, arg any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signals = append(s.signals, arg.(workflows.SubmitSignal))
	return nil
}

func (s *signalsOnly) Close() {}

const reportFile = `status: on_track
progress: Two workshops held.
submitted_by: fp.cl@example.org
`

// TestTaskSubmitAttachAndFiles runs `bienal task submit --attach` and
// `bienal task files` in process against a real database: files are checked
// from their bytes as the portal checks them, a refused one stores nothing
// of the report, and the files come back out byte for byte.
func TestTaskSubmitAttachAndFiles(t *testing.T) {
	ctx := context.Background()
	tc := &signalsOnly{}
	a := &app{cfg: config.Config{DatabaseURL: storetest.NewDatabase(t), EvidenceFileMB: 1}, logger: slog.New(slog.DiscardHandler), tc: tc}
	t.Cleanup(a.close)
	_, err := a.store(ctx)
	require.NoError(t, err)
	storetest.SmallProgramme(t, a.pool)
	// The command submits now: the cycle is open until a month from today.
	_, err = a.pool.Exec(ctx, `UPDATE reporting_cycle SET due_on = current_date + 20, closes_on = current_date + 30`)
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	yaml := write("report.yaml", []byte(reportFile))
	agenda := evidencetest.PDF("agenda")
	scan := evidencetest.PNG()
	submit := func(attach ...string) (string, error) {
		return printed(t, func() error {
			return (&taskSubmitCmd{Task: "2017-2018/mid/A1/CL", File: yaml, Attach: attach}).Run(ctx, a)
		})
	}
	count := func(table string) int {
		var n int
		require.NoError(t, a.pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n))
		return n
	}

	_, err = submit(write("agenda.pdf", agenda), write("setup.pdf", evidencetest.EXE()))
	require.ErrorContains(t, err, `report.yaml: nothing submitted: file "setup.pdf": holds a Windows program, which is not one of the accepted kinds (PDF, DOCX, XLSX, ODT, PNG, JPEG, CSV, TXT)`)
	_, err = submit(write("big.pdf", append(evidencetest.PDF(""), make([]byte, 1<<20)...)))
	require.ErrorContains(t, err, `file "big.pdf": is larger than 1 MB, the limit per file (EVIDENCE_FILE_MB)`)
	require.Zero(t, count("submission"), "a refused file stores nothing of the report")
	require.Empty(t, tc.signals)

	_, err = submit(write("foto.pdf", scan))
	require.ErrorContains(t, err, `file "foto.pdf": holds a PNG file, not the PDF its name says: rename it to end in .png`)
	require.Zero(t, count("submission"), "a picture named .pdf stores nothing")
	out, err := submit(write("agenda.pdf", agenda), write("scan", scan))
	require.NoError(t, err)
	require.Contains(t, out, "submitted version 1 of 2017-2018/mid/A1/CL")
	require.Contains(t, out, "  attached agenda.pdf (PDF, ")
	require.Contains(t, out, "  attached scan.png (PNG, ", "a name without extension gets its kind's")
	require.Len(t, tc.signals, 1)
	require.Equal(t, 2, count("attachment"))

	into := filepath.Join(dir, "out")
	files := func() (string, error) {
		return printed(t, func() error { return (&taskFilesCmd{Task: "2017-2018/mid/A1/CL", Out: into}).Run(ctx, a) })
	}
	out, err = files()
	require.NoError(t, err)
	require.Contains(t, out, "wrote "+filepath.Join(into, "agenda.pdf")+" (PDF, ")
	for name, want := range map[string][]byte{"agenda.pdf": agenda, "scan.png": scan} {
		got, err := os.ReadFile(filepath.Join(into, name))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), name)
	}
	out, err = files()
	require.NoError(t, err)
	require.Contains(t, out, "kept "+filepath.Join(into, "scan.png"), "the same file again is left as it is")
	require.NoError(t, os.WriteFile(filepath.Join(into, "scan.png"), []byte("mine"), 0o600))
	_, err = files()
	require.ErrorContains(t, err, "scan.png: a different file is there already: nothing overwritten")

	out, err = printed(t, func() error { return (&taskFilesCmd{Task: "2017-2018/mid/A1/MX", Out: into}).Run(ctx, a) })
	require.NoError(t, err)
	require.Equal(t, "2017-2018/mid/A1/MX holds no evidence files\n", out)
	_, err = printed(t, func() error { return (&taskFilesCmd{Task: "2017-2018/mid/A9/MX", Out: into}).Run(ctx, a) })
	require.ErrorContains(t, err, "task 2017-2018/mid/A9/MX not found")
}
