package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/cooperation/evidencetest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

var evidenceTask = cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid", Code: "A1", Country: "CL"}

func checked(t *testing.T, lim cooperation.EvidenceLimits, pairs ...any) []cooperation.EvidenceFile {
	t.Helper()
	var names []string
	var data [][]byte
	for i := 0; i < len(pairs); i += 2 {
		names = append(names, pairs[i].(string))
		data = append(data, pairs[i+1].([]byte))
	}
	files, err := cooperation.CheckEvidence(names, data, lim)
	require.NoError(t, err)
	return files
}

func report(files []cooperation.EvidenceFile, o store.EvidenceOptions) store.NewSubmission {
	return store.NewSubmission{Task: evidenceTask, Status: "on_track", Progress: "Two workshops.",
		SubmittedBy: "fp.cl@example.org", At: time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC), Files: files, Evidence: o}
}

func rows(t *testing.T, pool *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

func read(t *testing.T, s *store.Store, f store.EvidenceFile) []byte {
	t.Helper()
	rc, err := s.OpenEvidence(context.Background(), store.PostgresBlobs{}, f)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func TestEvidenceIsStoredWithItsSubmissionOncePerTask(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	ctx := context.Background()
	lim := cooperation.DefaultEvidenceLimits()
	agenda := evidencetest.PDF("agenda")

	first, err := s.CreateSubmission(ctx, report(checked(t, lim, "agenda.pdf", agenda, "scan", evidencetest.PNG()),
		store.EvidenceOptions{}), nil)
	require.NoError(t, err)
	require.Len(t, first.Files, 2)
	require.Equal(t, "agenda.pdf", first.Files[0].Name)
	require.Equal(t, cooperation.EvidencePDF, first.Files[0].Type)
	require.Equal(t, "scan.png", first.Files[1].Name, "a name without extension gets its kind's")
	require.Equal(t, cooperation.EvidencePNG, first.Files[1].Type)
	require.Equal(t, "fp.cl@example.org", first.Files[0].UploadedBy)
	require.Equal(t, first.SubmittedAt, first.Files[0].UploadedAt)

	// The agenda again, and another document under the same name as the
	// picture's: the agenda is kept once.
	second, err := s.CreateSubmission(ctx, report(checked(t, lim, "agenda-final.pdf", agenda, "scan.jpeg", evidencetest.JPEG(),
		"participantes.csv", evidencetest.CSV()), store.EvidenceOptions{}), nil)
	require.NoError(t, err)
	require.Len(t, second.Files, 3)
	require.Equal(t, first.Files[0].FileID, second.Files[0].FileID, "same content, same file")
	require.Equal(t, "scan.jpeg", second.Files[1].Name)
	require.Equal(t, 4, rows(t, pool, "evidence_file"), "agenda, png, jpeg, csv")
	require.Equal(t, 4, rows(t, pool, "evidence_blob"))
	require.Equal(t, 5, rows(t, pool, "attachment"))

	again, err := s.GetSubmission(ctx, second.ID)
	require.NoError(t, err)
	require.Equal(t, second.Files, again.Files)

	files, err := s.TaskEvidence(ctx, evidenceTask)
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, f.Path())
		require.Equal(t, f.Size, int64(len(read(t, s, f))))
	}
	require.Equal(t, []string{"goal-1/A1/CL/scan.png", "goal-1/A1/CL/agenda-final.pdf", "goal-1/A1/CL/scan.jpeg",
		"goal-1/A1/CL/participantes.csv"}, names, "by the latest version that carried each, under its latest name")
	require.Equal(t, 2, files[1].Version)
	require.Equal(t, agenda, read(t, s, files[1]))

	got, err := s.GetEvidence(ctx, "2017-2018", "mid", files[1].ID)
	require.NoError(t, err)
	require.Equal(t, files[1], got)
	_, err = s.GetEvidence(ctx, "2017-2018", "final", files[1].ID)
	require.ErrorIs(t, err, store.ErrNotFound, "a file is reached only through its own cycle")
}

func TestEvidenceNamesOneFolderCanHold(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	ctx := context.Background()
	lim := cooperation.DefaultEvidenceLimits()
	_, err := s.CreateSubmission(ctx, report(checked(t, lim, "informe.pdf", evidencetest.PDF("v1")), store.EvidenceOptions{}), nil)
	require.NoError(t, err)
	_, err = s.CreateSubmission(ctx, report(checked(t, lim, "informe.pdf", evidencetest.PDF("v2"), "INFORME.pdf", evidencetest.PDF("v2b")),
		store.EvidenceOptions{}), nil)
	require.NoError(t, err)
	files, err := s.CycleEvidence(ctx, "2017-2018", "mid")
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"informe.pdf", "informe (2).pdf", "INFORME (2) (2).pdf"}, names, "the second version's own pair was made unique first")

	// The database holds the line too.
	_, err = pool.Exec(ctx, `INSERT INTO attachment (submission_id, file_id, name, uploaded_by, uploaded_at)
		SELECT submission_id, file_id, '../x.pdf', 'x', now() FROM attachment LIMIT 1`)
	require.ErrorContains(t, err, "attachment_name_check")
}

func TestEvidenceOverTheTaskLimitStoresNothing(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	ctx := context.Background()
	base := evidencetest.PDF("")
	pad := func(n int, c byte) []byte {
		return append(append([]byte{}, base...), bytes.Repeat([]byte{c}, n-len(base))...)
	}
	lim := cooperation.EvidenceLimits{FileBytes: 1000, TaskBytes: 2500}
	o := store.EvidenceOptions{Limits: lim}
	a, b, c := pad(1000, 'a'), pad(1000, 'b'), pad(600, 'c')

	_, err := s.CreateSubmission(ctx, report(checked(t, lim, "a.pdf", a, "b.pdf", b), o), nil)
	require.NoError(t, err)
	_, err = s.CreateSubmission(ctx, report(checked(t, lim, "a.pdf", a, "c.pdf", c), o), nil)
	var fe *cooperation.FileError
	require.True(t, errors.As(err, &fe), "%v", err)
	require.Equal(t, cooperation.ErrTaskTooLarge, fe.Key)
	require.Equal(t, "c.pdf", fe.File)
	require.ErrorContains(t, err, `file "c.pdf": would take this report's files to 2.5 KB, over the limit of 2.4 KB per task`)
	require.Equal(t, 1, rows(t, pool, "submission"), "nothing of the refused version is stored")
	require.Equal(t, 2, rows(t, pool, "evidence_file"))
	require.Equal(t, 2, rows(t, pool, "attachment"))

	// What the task holds already costs nothing when sent again.
	sub, err := s.CreateSubmission(ctx, report(checked(t, lim, "a.pdf", a, "b.pdf", b), o), nil)
	require.NoError(t, err)
	require.Equal(t, 2, sub.Version)
	require.Len(t, sub.Files, 2)

	// A file the checks did not see is refused before anything is read.
	unchecked := cooperation.EvidenceFile{Name: "x.pdf", Type: cooperation.EvidencePDF, Size: 5, SHA256: "00", Data: []byte("%PDF-")}
	_, err = s.CreateSubmission(ctx, report([]cooperation.EvidenceFile{unchecked}, o), nil)
	require.ErrorContains(t, err, "not checked")
}

// failingBlobs stands for a store of objects that is away.
type failingBlobs struct{ store.PostgresBlobs }

func (failingBlobs) Put(context.Context, store.DB, store.BlobKey, []byte) error {
	return errors.New("object store unreachable")
}

func TestEvidenceBlobFailureStoresNothing(t *testing.T) {
	t.Parallel()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	lim := cooperation.DefaultEvidenceLimits()
	_, err := s.CreateSubmission(context.Background(), report(checked(t, lim, "a.png", evidencetest.PNG()),
		store.EvidenceOptions{Blobs: failingBlobs{}}), nil)
	require.ErrorContains(t, err, "object store unreachable")
	require.Zero(t, rows(t, pool, "submission"))
	require.Zero(t, rows(t, pool, "evidence_file"))
	var status string
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT status FROM report_task WHERE code = 'A1' AND country = 'CL'`).Scan(&status))
	require.Equal(t, "open", status)
}
