package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Draft is what a focal point has written for a task but not sent: the
// texts and the files, kept until the next submission.
type Draft struct {
	Biennium     string          `json:"biennium" db:"biennium"`
	Cycle        string          `json:"cycle" db:"cycle"`
	Code         string          `json:"code" db:"code"`
	Country      string          `json:"country" db:"country"`
	Status       string          `json:"status" db:"status"` // "" or one of SubmissionStatuses
	Progress     string          `json:"progress" db:"progress"`
	Results      string          `json:"results" db:"results"`
	Difficulties string          `json:"difficulties" db:"difficulties"`
	NextSteps    string          `json:"next_steps" db:"next_steps"`
	SavedBy      string          `json:"saved_by" db:"saved_by"`
	SavedAt      time.Time       `json:"saved_at" db:"saved_at"`
	Language     string          `json:"language,omitempty" db:"language"` // "" or one of cooperation.Languages
	Files        []SubmittedFile `json:"files,omitempty" db:"-"`
}

// KeptFile is a file the task holds already, carried into a draft or a new
// version under a name.
type KeptFile struct {
	FileID int64
	Name   string
}

// NewDraft is a draft as the report form saves it. Status may be empty;
// texts are bounded as a submission's are but none is required.
type NewDraft struct {
	Task         cooperation.TaskKey
	Status       string
	Progress     string
	Results      string
	Difficulties string
	NextSteps    string
	SavedBy      string
	Language     string // "" or one of cooperation.Languages
	At           time.Time
	// Files are new uploads, Keep the task's files the draft still holds.
	Files    []cooperation.EvidenceFile
	Keep     []KeptFile
	Evidence EvidenceOptions
}

const draftColumns = `biennium, cycle, code, country, status, progress, results, difficulties, next_steps, saved_by, saved_at, language`

// draftRow reads a draft's row, a language not said as "".
const draftRow = `biennium, cycle, code, country, status, progress, results, difficulties, next_steps, saved_by, saved_at,
	coalesce(language, '') AS language`

// SaveDraft stores the task's draft, replacing the one before, with its
// files, in one transaction. It refuses what a submission would refuse: a
// task that takes no report (waived, missing, accepted, or its cycle
// closed), texts over the limits, files over the task's limit.
func (s *Store) SaveDraft(ctx context.Context, in NewDraft) (Draft, error) {
	k := in.Task
	probe := NewSubmission{Task: k, Status: in.Status, Progress: in.Progress, Results: in.Results,
		Difficulties: in.Difficulties, NextSteps: in.NextSteps, SubmittedBy: in.SavedBy, Language: in.Language,
		Files: in.Files, Evidence: in.Evidence}
	if probe.Status == "" {
		probe.Status = SubmissionStatuses[0]
	}
	if err := validateSubmission(probe); err != nil {
		return Draft{}, fmt.Errorf("draft of %s: %w", k, err)
	}
	var d Draft
	err := s.inTxOnce(ctx, func(tx pgx.Tx) error {
		p, err := lockTask(ctx, tx, k, false, true)
		if err != nil {
			return err
		}
		if err := takesReport(p.task, in.At); err != nil {
			return err
		}
		if err := checkTaskTotal(p.evidence, in.Files, in.Evidence.Bounds().TaskBytes); err != nil {
			return err
		}
		keep, err := keptFiles(p.evidence, in.Keep)
		if err != nil {
			return err
		}
		uploaded, err := storeFiles(ctx, tx, in.Evidence.BlobStore(), k, in.Files, p.evidence)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `INSERT INTO task_draft (`+draftColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULLIF($12, ''))
			ON CONFLICT (biennium, cycle, code, country) DO UPDATE SET status = $5, progress = $6, results = $7,
				difficulties = $8, next_steps = $9, saved_by = $10, saved_at = $11, language = NULLIF($12, '')
			RETURNING `+draftRow, k.Biennium, k.Cycle, k.Code, k.Country, in.Status, in.Progress, in.Results,
			in.Difficulties, in.NextSteps, in.SavedBy, in.At, in.Language)
		if err != nil {
			return err
		}
		if d, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Draft]); err != nil {
			return err
		}
		names := make([]string, 0, len(keep)+len(in.Files))
		for _, f := range keep {
			names = append(names, f.Name)
		}
		for _, f := range in.Files {
			names = append(names, f.Name)
		}
		ids := orderKept(keep, uploaded)
		if _, err := tx.Exec(ctx, `DELETE FROM draft_attachment`+taskWhere, k.Biennium, k.Cycle, k.Code, k.Country); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO draft_attachment (biennium, cycle, code, country, file_id, name, uploaded_by, uploaded_at)
			SELECT DISTINCT ON (f.file_id) $1, $2, $3, $4, f.file_id, f.name, $5, $6
			FROM unnest($7::bigint[], $8::text[]) WITH ORDINALITY AS f (file_id, name, n) ORDER BY f.file_id, f.n`,
			k.Biennium, k.Cycle, k.Code, k.Country, in.SavedBy, in.At, ids, cooperation.UniqueNames(names))
		return err
	})
	if err != nil {
		return Draft{}, fmt.Errorf("draft of %s: %w", k, err)
	}
	d.Files, err = s.draftFiles(ctx, k)
	return d, err
}

// orderKept lays out the file IDs of a draft or version: the kept files
// first, in the order given, then the new uploads.
func orderKept(keep []KeptFile, uploaded []int64) []int64 {
	ids := make([]int64, 0, len(keep)+len(uploaded))
	for _, f := range keep {
		ids = append(ids, f.FileID)
	}
	return append(ids, uploaded...)
}

// takesReport refuses a draft or submission at `at` on a task that takes
// none: waived, missing or accepted, or its cycle closed or past its closing day.
func takesReport(d TaskDetail, at time.Time) error {
	if !d.Status.Answerable() || d.CycleStatus == cooperation.CycleClosed || !at.Before(DayEnd(d.ClosesOn)) {
		return fmt.Errorf("task is %s in a cycle %s: %w", d.Status, d.CycleStatus, ErrTaskClosed)
	}
	return nil
}

// keptFiles checks that each kept file is one the task holds, and makes its name safe.
func keptFiles(held map[string]storedFile, keep []KeptFile) ([]KeptFile, error) {
	ids := map[int64]bool{}
	for _, f := range held {
		ids[f.id] = true
	}
	out := make([]KeptFile, 0, len(keep))
	seen := map[int64]bool{}
	for _, f := range keep {
		if !ids[f.FileID] {
			return nil, fmt.Errorf("%w: file %d is not one of this task's files", ErrInvalid, f.FileID)
		}
		if seen[f.FileID] {
			continue
		}
		seen[f.FileID] = true
		name := strings.TrimSpace(f.Name)
		if name == "" {
			return nil, fmt.Errorf("%w: file %d: empty name", ErrInvalid, f.FileID)
		}
		out = append(out, KeptFile{FileID: f.FileID, Name: name})
	}
	return out, nil
}

// GetDraft returns the task's draft with its files, or ErrNotFound.
func (s *Store) GetDraft(ctx context.Context, k cooperation.TaskKey) (Draft, error) {
	rows, err := s.db.Query(ctx, `SELECT `+draftRow+` FROM task_draft`+taskWhere, k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return Draft{}, fmt.Errorf("get draft of %s: %w", k, err)
	}
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Draft])
	if err != nil {
		return Draft{}, fmt.Errorf("get draft of %s: %w", k, notFound(err))
	}
	d.Files, err = s.draftFiles(ctx, k)
	return d, err
}

// DraftsSaved returns, for a cycle, when each task with a draft last saved
// it, by "code/country".
func (s *Store) DraftsSaved(ctx context.Context, biennium, cycle string) (map[string]time.Time, error) {
	rows, err := s.db.Query(ctx, `SELECT code || '/' || country, saved_at FROM task_draft WHERE biennium = $1 AND cycle = $2`, biennium, cycle)
	if err != nil {
		return nil, fmt.Errorf("list drafts of %s/%s: %w", biennium, cycle, err)
	}
	out := map[string]time.Time{}
	var name string
	var at time.Time
	_, err = pgx.ForEachRow(rows, []any{&name, &at}, func() error {
		out[name] = at
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list drafts of %s/%s: %w", biennium, cycle, err)
	}
	return out, nil
}

func (s *Store) draftFiles(ctx context.Context, k cooperation.TaskKey) ([]SubmittedFile, error) {
	rows, err := s.db.Query(ctx, `SELECT 0::bigint AS id, 0::bigint AS submission_id, a.file_id, a.name, e.content_type, e.size,
			e.sha256, a.uploaded_by, a.uploaded_at
		FROM draft_attachment a JOIN evidence_file e ON e.id = a.file_id
		WHERE a.biennium = $1 AND a.cycle = $2 AND a.code = $3 AND a.country = $4 ORDER BY a.uploaded_at, a.name`,
		k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return nil, fmt.Errorf("list files of draft of %s: %w", k, err)
	}
	fs, err := pgx.CollectRows(rows, pgx.RowToStructByName[SubmittedFile])
	if err != nil {
		return nil, fmt.Errorf("list files of draft of %s: %w", k, err)
	}
	return fs, nil
}
