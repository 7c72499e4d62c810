package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// SubmissionStatuses are what a country may say of its part of an activity.
var SubmissionStatuses = cooperation.Words(cooperation.ExecutionStatuses)

// MaxReportText bounds each narrative field of a submission, in characters.
const MaxReportText = 20000

func validateSubmission(in NewSubmission) error {
	valid := false
	for _, st := range SubmissionStatuses {
		valid = valid || in.Status == st
	}
	if !valid {
		return fmt.Errorf("status %q: want one of %s", in.Status, strings.Join(SubmissionStatuses, ", "))
	}
	fields := []struct{ name, text string }{
		{"progress", in.Progress}, {"results", in.Results}, {"difficulties", in.Difficulties}, {"next_steps", in.NextSteps},
	}
	for _, f := range fields {
		if !utf8.ValidString(f.text) {
			return fmt.Errorf("%s: not valid UTF-8", f.name)
		}
		if n := utf8.RuneCountInString(f.text); n > MaxReportText {
			return fmt.Errorf("%s: %d characters, at most %d", f.name, n, MaxReportText)
		}
	}
	if strings.TrimSpace(in.SubmittedBy) == "" {
		return fmt.Errorf("submitted_by: empty")
	}
	if err := cooperation.TextLanguage("language", in.Language); err != nil {
		return err
	}
	return validateFiles(in.Files, in.Evidence.Bounds())
}

// Submission is one version of a country's report on one activity.
type Submission struct {
	ID           int64     `json:"id" db:"id"`
	Biennium     string    `json:"biennium" db:"biennium"`
	Cycle        string    `json:"cycle" db:"cycle"`
	Code         string    `json:"code" db:"code"`
	Country      string    `json:"country" db:"country"`
	Version      int       `json:"version" db:"version"`
	Status       string    `json:"status" db:"status"`
	Progress     string    `json:"progress" db:"progress"`
	Results      string    `json:"results" db:"results"`
	Difficulties string    `json:"difficulties" db:"difficulties"`
	NextSteps    string    `json:"next_steps" db:"next_steps"`
	SubmittedBy  string    `json:"submitted_by" db:"submitted_by"`
	Late         bool      `json:"late" db:"late"`
	Counted      bool      `json:"counted" db:"counted"`
	SubmittedAt  time.Time `json:"submitted_at" db:"submitted_at"`
	// Language is the language its texts were written in, "" when the
	// focal point was not asked (versions sent before the question existed).
	Language string `json:"language,omitempty" db:"language"`
	// Files are the evidence this version carried, where the call that
	// returned it says so.
	Files []SubmittedFile `json:"files,omitempty" db:"-"`
}

// NewSubmission is what the portal or `bienal task submit` hands in.
type NewSubmission struct {
	Task         cooperation.TaskKey `json:"task"`
	Status       string              `json:"status" yaml:"status"`
	Progress     string              `json:"progress" yaml:"progress"`
	Results      string              `json:"results" yaml:"results"`
	Difficulties string              `json:"difficulties" yaml:"difficulties"`
	NextSteps    string              `json:"next_steps" yaml:"next_steps"`
	SubmittedBy  string              `json:"submitted_by" yaml:"submitted_by"`
	// Language is the language the texts are written in: one of
	// cooperation.Languages, or "" when not said.
	Language string    `json:"language,omitempty" yaml:"language"`
	At       time.Time `json:"at"`
	// Files are the evidence attached to this version, each checked by
	// cooperation.CheckFile; Evidence says where their bytes go and how
	// much the task may hold. Neither travels: a workflow hears of a
	// submission by its ID.
	Files    []cooperation.EvidenceFile `json:"-" yaml:"-"`
	Evidence EvidenceOptions            `json:"-" yaml:"-"`
	// Keep are files the task holds already (from its draft or an earlier
	// version) that this version carries too, before the new ones.
	Keep []KeptFile `json:"-" yaml:"-"`
}

// ReceiptFunc composes the receipt of a submission for one focal point.
type ReceiptFunc func(t TaskDetail, sub Submission, to Recipient) (Email, error)

const submissionColumns = `id, biennium, cycle, code, country, version, status, progress, results,
	difficulties, next_steps, submitted_by, late, counted, submitted_at, coalesce(language, '') AS language`

// CreateSubmission validates and stores the next version of a task's report
// in one transaction: the version counts and earlier ones no longer do, the
// task becomes submitted (late when At is past its due date), its evidence
// files are attached, and a receipt for every focal point of the country is
// queued. It refuses a task that is waived or missing or whose cycle is
// closed, and files that would take the task past its limit (a
// *cooperation.FileError); nothing is written then.
//
// Without files it costs two round trips inside a caller's transaction: one
// batch that locks and reads the task, and one statement that writes
// everything; files add one statement each that the task lacks, and one
// for them all. So it needs no savepoint there: every refusal comes before
// the first write.
func (s *Store) CreateSubmission(ctx context.Context, in NewSubmission, receipt ReceiptFunc) (Submission, error) {
	k := in.Task
	if err := validateSubmission(in); err != nil {
		return Submission{}, fmt.Errorf("submission to %s: %w", k, err)
	}
	var sub Submission
	err := s.inTxOnce(ctx, func(tx pgx.Tx) (err error) {
		sub, err = submit(ctx, tx, in, receipt)
		return err
	})
	if err != nil {
		return Submission{}, fmt.Errorf("submission to %s: %w", k, err)
	}
	return sub, nil
}

// inTxOnce runs fn in the Store's transaction, or in a new one when the
// Store runs on a pool.
func (s *Store) inTxOnce(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if tx, ok := s.db.(pgx.Tx); ok {
		return fn(tx)
	}
	return pgx.BeginFunc(ctx, s.db, fn)
}

func submit(ctx context.Context, tx pgx.Tx, in NewSubmission, receipt ReceiptFunc) (Submission, error) {
	p, err := lockTask(ctx, tx, in.Task, receipt != nil, len(in.Files)+len(in.Keep) > 0)
	if err != nil {
		return Submission{}, err
	}
	d := p.task
	if err := takesReport(d, in.At); err != nil {
		return Submission{}, err
	}
	if err := checkTaskTotal(p.evidence, in.Files, in.Evidence.Bounds().TaskBytes); err != nil {
		return Submission{}, err
	}
	keep, err := keptFiles(p.evidence, in.Keep)
	if err != nil {
		return Submission{}, err
	}
	k := in.Task
	// The row the write will return, known beforehand so that receipts are
	// composed before anything is written.
	next := Submission{ID: p.id, Biennium: k.Biennium, Cycle: k.Cycle, Code: k.Code, Country: k.Country,
		Version: p.version, Status: in.Status, Progress: in.Progress, Results: in.Results,
		Difficulties: in.Difficulties, NextSteps: in.NextSteps, SubmittedBy: in.SubmittedBy, Language: in.Language,
		Late: !in.At.Before(DayEnd(d.DueOn)), Counted: true, SubmittedAt: in.At.Truncate(time.Microsecond),
		Files: receiptFiles(p.evidence, keep, in.Files)}
	var emails []Email
	for _, fp := range p.focalPoints {
		e, err := receipt(d, next, fp)
		if err != nil {
			return Submission{}, fmt.Errorf("compose receipt for %s: %w", fp.Email, err)
		}
		emails = append(emails, e)
	}
	sub, err := writeSubmission(ctx, tx, next, emails)
	if err != nil || len(in.Files)+len(keep) == 0 {
		return sub, err
	}
	sub.Files, err = writeEvidence(ctx, tx, in.Evidence.BlobStore(), sub, in.Files, keep, p.evidence)
	return sub, err
}

// receiptFiles lists the files a version carries, as its receipt names
// them, before they are written.
func receiptFiles(held map[string]storedFile, keep []KeptFile, files []cooperation.EvidenceFile) []SubmittedFile {
	kinds := map[int64]storedFile{}
	for _, f := range held {
		kinds[f.id] = f
	}
	var out []SubmittedFile
	for _, f := range keep {
		out = append(out, SubmittedFile{FileID: f.FileID, Name: f.Name, Type: kinds[f.FileID].kind, Size: kinds[f.FileID].size})
	}
	for _, f := range files {
		out = append(out, SubmittedFile{Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256})
	}
	return out
}

// pendingSubmission is what lockTask learns: the task as it stands, the
// version and ID the next submission takes, who gets its receipt, and the
// evidence files the task holds, by SHA-256.
type pendingSubmission struct {
	task        TaskDetail
	version     int
	id          int64
	focalPoints []Recipient
	evidence    map[string]storedFile
}

// lockTask locks the task's row, so that two submissions at once get
// consecutive versions, and reads what a submission needs. The reads follow
// the lock in the same batch (one round trip) rather than in the locking
// statement: each takes its snapshot after the lock is held, so the version
// counted is never one a concurrent submission has just taken.
func lockTask(ctx context.Context, tx pgx.Tx, k cooperation.TaskKey, receipts, evidence bool) (pendingSubmission, error) {
	args := []any{k.Biennium, k.Cycle, k.Code, k.Country}
	b := &pgx.Batch{}
	// The cycle is held too, so that it cannot close between the check that
	// it is open and the submission's commit.
	b.Queue(`SELECT 1 FROM reporting_cycle WHERE biennium = $1 AND name = $2 FOR SHARE`, k.Biennium, k.Cycle)
	b.Queue(`SELECT 1 FROM report_task`+taskWhere+` FOR UPDATE`, args...)
	b.Queue(taskDetailSQL, args...)
	b.Queue(`SELECT coalesce(max(version), 0) + 1, nextval(pg_get_serial_sequence('submission', 'id'))
		FROM submission`+taskWhere, args...)
	if receipts {
		b.Queue(focalPointsSQL, k.Biennium, k.Country)
	}
	if evidence {
		b.Queue(evidenceSQL, args...)
	}
	br := tx.SendBatch(ctx, b)
	defer func() { _ = br.Close() }() // on an early return; the last line returns Close's error
	var p pendingSubmission
	var one int
	if err := br.QueryRow().Scan(&one); err != nil {
		return p, fmt.Errorf("lock cycle %s/%s: %w", k.Biennium, k.Cycle, notFound(err))
	}
	if err := br.QueryRow().Scan(&one); err != nil {
		return p, fmt.Errorf("lock task: %w", notFound(err))
	}
	var err error
	if p.task, err = scanTaskDetail(br.QueryRow()); err != nil {
		return p, fmt.Errorf("get task %s: %w", k, notFound(err))
	}
	if err := br.QueryRow().Scan(&p.version, &p.id); err != nil {
		return p, fmt.Errorf("number submission: %w", err)
	}
	if receipts {
		rows, err := br.Query()
		if err == nil {
			p.focalPoints, err = pgx.CollectRows(rows, pgx.RowToStructByName[Recipient])
		}
		if err != nil {
			return p, fmt.Errorf("list focal points of %s in %s: %w", k.Country, k.Biennium, err)
		}
	}
	if evidence {
		rows, err := br.Query()
		if err == nil {
			p.evidence, err = scanStored(rows)
			rows.Close()
		}
		if err != nil {
			return p, fmt.Errorf("list evidence files of %s: %w", k, err)
		}
	}
	return p, br.Close()
}

// writeSubmission makes the version the counted one, marks the task
// submitted and queues the receipts, in one statement.
func writeSubmission(ctx context.Context, tx pgx.Tx, sub Submission, emails []Email) (Submission, error) {
	cols, err := emailColumns(emails)
	if err != nil {
		return Submission{}, err
	}
	args := []any{sub.Biennium, sub.Cycle, sub.Code, sub.Country, sub.ID, sub.Version, sub.Status, sub.Progress,
		sub.Results, sub.Difficulties, sub.NextSteps, sub.SubmittedBy, sub.Late, sub.SubmittedAt, sub.Language}
	for _, c := range cols {
		args = append(args, c)
	}
	rows, err := tx.Query(ctx, `WITH uncount AS (
			UPDATE submission SET counted = false`+taskWhere+` AND counted
		), draft AS (
			DELETE FROM task_draft`+taskWhere+`
		), task AS (
			UPDATE report_task SET status = 'submitted', late = $13, updated_at = now()`+taskWhere+`
		), receipt AS (
			INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text, body_html, attachments)
			SELECT e.dedup_key, e.recipient, e.language, e.kind, e.subject, e.body_text, e.body_html, e.attachments::jsonb
			FROM unnest($16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[])
				AS e (dedup_key, recipient, language, kind, subject, body_text, body_html, attachments)
			ON CONFLICT (dedup_key) DO NOTHING
		)
		INSERT INTO submission (id, biennium, cycle, code, country, version, status, progress, results,
			difficulties, next_steps, submitted_by, late, counted, submitted_at, language)
		VALUES ($5, $1, $2, $3, $4, $6, $7, $8, $9, $10, $11, $12, $13, true, $14, NULLIF($15, ''))
		RETURNING `+submissionColumns, args...)
	if err != nil {
		return Submission{}, fmt.Errorf("store submission: %w", err)
	}
	sub, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Submission])
	if err != nil {
		return Submission{}, fmt.Errorf("store submission: %w", err)
	}
	return sub, nil
}

// emailColumns lays messages out as one array per column of email, for a
// multi-row INSERT ... SELECT FROM unnest, in QueueEmail's encoding.
func emailColumns(emails []Email) ([8][]string, error) {
	var cols [8][]string
	for i := range cols {
		cols[i] = make([]string, 0, len(emails))
	}
	for _, e := range emails {
		atts := e.Attachments
		if atts == nil {
			atts = []Attachment{}
		}
		b, err := json.Marshal(atts)
		if err != nil {
			return cols, fmt.Errorf("encode attachments of %s: %w", e.DedupKey, err)
		}
		for i, v := range []string{e.DedupKey, e.Recipient, e.Language, e.Kind, e.Subject, e.Text, e.HTML, string(b)} {
			cols[i] = append(cols[i], v)
		}
	}
	return cols, nil
}

// GetSubmission returns one submission with its files, or ErrNotFound.
func (s *Store) GetSubmission(ctx context.Context, id int64) (Submission, error) {
	rows, err := s.db.Query(ctx, `SELECT `+submissionColumns+` FROM submission WHERE id = $1`, id)
	if err != nil {
		return Submission{}, fmt.Errorf("get submission %d: %w", id, err)
	}
	sub, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Submission])
	if err != nil {
		return Submission{}, fmt.Errorf("get submission %d: %w", id, notFound(err))
	}
	if sub.Files, err = s.SubmittedFiles(ctx, id); err != nil {
		return Submission{}, err
	}
	return sub, nil
}

// ListSubmissions returns every version submitted for a task, oldest first.
func (s *Store) ListSubmissions(ctx context.Context, k cooperation.TaskKey) ([]Submission, error) {
	rows, err := s.db.Query(ctx, `SELECT `+submissionColumns+` FROM submission`+taskWhere+` ORDER BY version`,
		k.Biennium, k.Cycle, k.Code, k.Country)
	if err != nil {
		return nil, fmt.Errorf("list submissions of %s: %w", k, err)
	}
	subs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Submission])
	if err != nil {
		return nil, fmt.Errorf("list submissions of %s: %w", k, err)
	}
	return subs, nil
}
