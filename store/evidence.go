package store

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Blobs keeps the bytes of evidence files; the rows that describe them stay
// in Postgres whatever keeps the bytes. PostgresBlobs, the default, writes
// them in the submission's own transaction. A store of objects elsewhere
// (S3-compatible) would write outside it, under BlobKey's task and hash,
// before the rows that name them commit: a submission that then fails
// leaves an object no row names, which is harmless, where the other order
// could leave a row naming nothing.
type Blobs interface {
	// Put keeps data under key. db is the submission's transaction.
	Put(ctx context.Context, db DB, key BlobKey, data []byte) error
	// Open returns the bytes kept under key.
	Open(ctx context.Context, db DB, key BlobKey) (io.ReadCloser, error)
}

// BlobKey names the bytes of one evidence file: the row that describes it
// and, for a store that names objects itself, the task and the content's
// SHA-256, which never change.
type BlobKey struct {
	FileID int64
	Task   cooperation.TaskKey
	SHA256 string
}

// PostgresBlobs keeps evidence bytes in the evidence_blob table.
type PostgresBlobs struct{}

// Put stores data as the blob of key.FileID.
func (PostgresBlobs) Put(ctx context.Context, db DB, key BlobKey, data []byte) error {
	if _, err := db.Exec(ctx, `INSERT INTO evidence_blob (file_id, data) VALUES ($1, $2)
		ON CONFLICT (file_id) DO NOTHING`, key.FileID, data); err != nil {
		return fmt.Errorf("store bytes of file %d: %w", key.FileID, err)
	}
	return nil
}

// Open reads the blob of key.FileID whole: a file is at most the per-file
// limit, and one is read at a time.
func (PostgresBlobs) Open(ctx context.Context, db DB, key BlobKey) (io.ReadCloser, error) {
	var data []byte
	if err := db.QueryRow(ctx, `SELECT data FROM evidence_blob WHERE file_id = $1`, key.FileID).Scan(&data); err != nil {
		return nil, fmt.Errorf("read bytes of file %d: %w", key.FileID, notFound(err))
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// EvidenceOptions say where evidence bytes go and how much they may weigh.
// The zero value keeps them in Postgres under the default limits.
type EvidenceOptions struct {
	Blobs  Blobs
	Limits cooperation.EvidenceLimits
}

// BlobStore is the store of bytes the options name.
func (o EvidenceOptions) BlobStore() Blobs {
	if o.Blobs == nil {
		return PostgresBlobs{}
	}
	return o.Blobs
}

// Bounds are the limits the options name, each default where unset.
func (o EvidenceOptions) Bounds() cooperation.EvidenceLimits {
	l, def := o.Limits, cooperation.DefaultEvidenceLimits()
	if l.FileBytes <= 0 {
		l.FileBytes = def.FileBytes
	}
	if l.TaskBytes <= 0 {
		l.TaskBytes = def.TaskBytes
	}
	return l
}

// SubmittedFile is one file as one version of a report carried it.
type SubmittedFile struct {
	ID           int64                    `json:"id" db:"id"`
	SubmissionID int64                    `json:"submission_id" db:"submission_id"`
	FileID       int64                    `json:"file_id" db:"file_id"`
	Name         string                   `json:"name" db:"name"`
	Type         cooperation.EvidenceType `json:"content_type" db:"content_type"`
	Size         int64                    `json:"size" db:"size"`
	SHA256       string                   `json:"sha256" db:"sha256"`
	UploadedBy   string                   `json:"uploaded_by" db:"uploaded_by"`
	UploadedAt   time.Time                `json:"uploaded_at" db:"uploaded_at"`
}

// storedFile is a file a task holds already.
type storedFile struct {
	id   int64
	size int64
	kind cooperation.EvidenceType
}

// evidenceSQL reads what a task holds, for the per-task limit and for
// de-duplication; it runs in lockTask's batch, under the task's lock.
const evidenceSQL = `SELECT sha256, id, size, content_type FROM evidence_file` + taskWhere

func scanStored(rows pgx.Rows) (map[string]storedFile, error) {
	held := map[string]storedFile{}
	for rows.Next() {
		var sum string
		var f storedFile
		if err := rows.Scan(&sum, &f.id, &f.size, &f.kind); err != nil {
			return nil, err
		}
		held[sum] = f
	}
	return held, rows.Err()
}

// checkTaskTotal refuses files that would take the task past its limit.
// Content the task holds already counts once: sending a file again with a
// later version costs nothing.
func checkTaskTotal(held map[string]storedFile, files []cooperation.EvidenceFile, limit int64) error {
	var total int64
	for _, f := range held {
		total += f.size
	}
	for _, f := range files {
		if _, ok := held[f.SHA256]; ok {
			continue
		}
		if total += f.Size; total > limit {
			return &cooperation.FileError{File: f.Name, Key: cooperation.ErrTaskTooLarge, Limit: limit,
				Detail: fmt.Sprintf("would take this report's files to %s, over the limit of %s per task",
					cooperation.Over(total, limit), cooperation.Bytes(limit))}
		}
	}
	return nil
}

func validateFiles(files []cooperation.EvidenceFile, lim cooperation.EvidenceLimits) error {
	if len(files) > cooperation.MaxEvidenceFiles {
		return fmt.Errorf("files: %d, at most %d", len(files), cooperation.MaxEvidenceFiles)
	}
	for _, f := range files {
		if f.Size != int64(len(f.Data)) || f.Size == 0 || f.Size > lim.FileBytes || len(f.SHA256) != 64 || f.Name == "" {
			return fmt.Errorf("file %q: not checked by cooperation.CheckFile under these limits", f.Name)
		}
	}
	return nil
}

// storeFiles stores each content of files the task lacks once, its bytes
// through blobs, and returns the files' IDs in order.
func storeFiles(ctx context.Context, tx pgx.Tx, blobs Blobs, k cooperation.TaskKey, files []cooperation.EvidenceFile,
	held map[string]storedFile) ([]int64, error) {
	ids := make([]int64, len(files))
	for i, f := range files {
		if h, ok := held[f.SHA256]; ok {
			ids[i] = h.id
			continue
		}
		err := tx.QueryRow(ctx, `INSERT INTO evidence_file (biennium, cycle, code, country, sha256, content_type, size)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			k.Biennium, k.Cycle, k.Code, k.Country, f.SHA256, f.Type, f.Size).Scan(&ids[i])
		if err != nil {
			return nil, fmt.Errorf("store file %q: %w", f.Name, err)
		}
		if err := blobs.Put(ctx, tx, BlobKey{FileID: ids[i], Task: k, SHA256: f.SHA256}, f.Data); err != nil {
			return nil, fmt.Errorf("store file %q: %w", f.Name, err)
		}
		// Two uploads of one content in one form store it once.
		held[f.SHA256] = storedFile{id: ids[i], size: f.Size, kind: f.Type}
	}
	return ids, nil
}

// writeEvidence attaches files to a submission: the task's files it keeps,
// then the new ones, each stored once per task, under names made unique.
func writeEvidence(ctx context.Context, tx pgx.Tx, blobs Blobs, sub Submission, files []cooperation.EvidenceFile,
	keep []KeptFile, held map[string]storedFile) ([]SubmittedFile, error) {
	k := cooperation.TaskKey{Biennium: sub.Biennium, Cycle: sub.Cycle, Code: sub.Code, Country: sub.Country}
	uploaded, err := storeFiles(ctx, tx, blobs, k, files, held)
	if err != nil {
		return nil, err
	}
	ids := orderKept(keep, uploaded)
	names := make([]string, 0, len(ids))
	for _, f := range keep {
		names = append(names, f.Name)
	}
	for _, f := range files {
		names = append(names, f.Name)
	}
	rows, err := tx.Query(ctx, `WITH a AS (
			INSERT INTO attachment (submission_id, file_id, name, uploaded_by, uploaded_at)
			SELECT $1, f.file_id, f.name, $2, $3 FROM (
				SELECT DISTINCT ON (u.file_id) u.file_id, u.name, u.n
				FROM unnest($4::bigint[], $5::text[]) WITH ORDINALITY AS u (file_id, name, n) ORDER BY u.file_id, u.n
			) f ORDER BY f.n
			RETURNING *
		)
		SELECT `+attachmentColumns+` FROM a JOIN evidence_file e ON e.id = a.file_id ORDER BY a.id`,
		sub.ID, sub.SubmittedBy, sub.SubmittedAt, ids, cooperation.UniqueNames(names))
	if err != nil {
		return nil, fmt.Errorf("attach files: %w", err)
	}
	atts, err := pgx.CollectRows(rows, pgx.RowToStructByName[SubmittedFile])
	if err != nil {
		return nil, fmt.Errorf("attach files: %w", err)
	}
	return atts, nil
}

const attachmentColumns = `a.id, a.submission_id, a.file_id, a.name, e.content_type, e.size, e.sha256, a.uploaded_by, a.uploaded_at`

// SubmittedFiles returns the files of one submission, in the order they were given.
func (s *Store) SubmittedFiles(ctx context.Context, submissionID int64) ([]SubmittedFile, error) {
	rows, err := s.db.Query(ctx, `SELECT `+attachmentColumns+`
		FROM attachment a JOIN evidence_file e ON e.id = a.file_id
		WHERE a.submission_id = $1 ORDER BY a.id`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("list files of submission %d: %w", submissionID, err)
	}
	atts, err := pgx.CollectRows(rows, pgx.RowToStructByName[SubmittedFile])
	if err != nil {
		return nil, fmt.Errorf("list files of submission %d: %w", submissionID, err)
	}
	return atts, nil
}

// EvidenceFile is one distinct file a task holds, as the cycle page, the
// cycle's archive, `bienal task files` and the report's annex list it:
// under the name the latest version that carried it gave it, made unique
// in its task's folder.
type EvidenceFile struct {
	ID         int64                    `json:"id"`
	Biennium   string                   `json:"biennium"`
	Cycle      string                   `json:"cycle"`
	Goal       int                      `json:"goal"`
	Code       string                   `json:"code"`
	Country    string                   `json:"country"`
	Name       string                   `json:"name"`
	Type       cooperation.EvidenceType `json:"content_type"`
	Size       int64                    `json:"size"`
	SHA256     string                   `json:"sha256"`
	Version    int                      `json:"version"` // the latest version that carried it
	UploadedBy string                   `json:"uploaded_by"`
	UploadedAt time.Time                `json:"uploaded_at"`
}

// Task is the task that holds the file.
func (f EvidenceFile) Task() cooperation.TaskKey {
	return cooperation.TaskKey{Biennium: f.Biennium, Cycle: f.Cycle, Code: f.Code, Country: f.Country}
}

// Path is where the file sits in the cycle's archive: goal/activity/country/name.
func (f EvidenceFile) Path() string {
	return fmt.Sprintf("goal-%d/%s/%s/%s", f.Goal, f.Code, f.Country, f.Name)
}

// CycleEvidence lists every file of a cycle's tasks by goal, activity (in
// the order people number them), country and version.
func (s *Store) CycleEvidence(ctx context.Context, biennium, cycle string) ([]EvidenceFile, error) {
	return s.listEvidence(ctx, `f.biennium = $1 AND f.cycle = $2`, biennium, cycle)
}

// TaskEvidence lists the files of one task.
func (s *Store) TaskEvidence(ctx context.Context, k cooperation.TaskKey) ([]EvidenceFile, error) {
	return s.listEvidence(ctx, `f.biennium = $1 AND f.cycle = $2 AND f.code = $3 AND f.country = $4`,
		k.Biennium, k.Cycle, k.Code, k.Country)
}

func (s *Store) listEvidence(ctx context.Context, where string, args ...any) ([]EvidenceFile, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT ON (f.id) f.id, f.biennium, f.cycle, ac.goal, f.code, f.country, a.name, f.content_type,
			f.size, f.sha256, s.version, a.uploaded_by, a.uploaded_at
		FROM evidence_file f
		JOIN attachment a ON a.file_id = f.id
		JOIN submission s ON s.id = a.submission_id
		JOIN activity ac ON ac.biennium = f.biennium AND ac.code = f.code
		WHERE `+where+`
		ORDER BY f.id, s.version DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("list evidence files: %w", err)
	}
	files, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EvidenceFile, error) {
		var f EvidenceFile
		err := r.Scan(&f.ID, &f.Biennium, &f.Cycle, &f.Goal, &f.Code, &f.Country, &f.Name, &f.Type, &f.Size, &f.SHA256,
			&f.Version, &f.UploadedBy, &f.UploadedAt)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("list evidence files: %w", err)
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i], files[j]
		switch {
		case a.Goal != b.Goal:
			return a.Goal < b.Goal
		case a.Code != b.Code:
			return naturalLess(a.Code, b.Code)
		case a.Country != b.Country:
			return a.Country < b.Country
		case a.Version != b.Version:
			return a.Version < b.Version
		}
		return a.ID < b.ID
	})
	for start := 0; start < len(files); {
		end := start + 1
		for end < len(files) && files[end].Code == files[start].Code && files[end].Country == files[start].Country {
			end++
		}
		names := make([]string, end-start)
		for i := range names {
			names[i] = files[start+i].Name
		}
		for i, n := range cooperation.UniqueNames(names) {
			files[start+i].Name = n
		}
		start = end
	}
	return files, nil
}

// GetEvidence returns one file of a cycle, or ErrNotFound when the cycle
// holds no file of that ID.
func (s *Store) GetEvidence(ctx context.Context, biennium, cycle string, id int64) (EvidenceFile, error) {
	var k cooperation.TaskKey
	err := s.db.QueryRow(ctx, `SELECT biennium, cycle, code, country FROM evidence_file
		WHERE id = $1 AND biennium = $2 AND cycle = $3`, id, biennium, cycle).Scan(&k.Biennium, &k.Cycle, &k.Code, &k.Country)
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("get evidence file %d: %w", id, notFound(err))
	}
	files, err := s.TaskEvidence(ctx, k)
	if err != nil {
		return EvidenceFile{}, err
	}
	for _, f := range files {
		if f.ID == id {
			return f, nil
		}
	}
	return EvidenceFile{}, fmt.Errorf("get evidence file %d: %w", id, ErrNotFound)
}

// OpenEvidence returns the bytes of a file.
func (s *Store) OpenEvidence(ctx context.Context, blobs Blobs, f EvidenceFile) (io.ReadCloser, error) {
	return blobs.Open(ctx, s.db, BlobKey{FileID: f.ID, Task: f.Task(), SHA256: f.SHA256})
}
