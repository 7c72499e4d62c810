package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// Statuses of a scheduled replacement.
const (
	ScheduledWaiting   = "scheduled"
	ScheduledApplied   = "applied"
	ScheduledCancelled = "cancelled"
	ScheduledFailed    = "failed"
)

// ScheduledReplacement is a replacement announced ahead of its effective
// day, waiting to be made on it.
type ScheduledReplacement struct {
	ID        int64                    `json:"id"`
	Biennium  string                   `json:"biennium"`
	Country   string                   `json:"country"`
	Role      string                   `json:"role"`
	From      string                   `json:"from"`
	To        cooperation.PersonFields `json:"to"`
	Effective time.Time                `json:"effective"`
	Reference string                   `json:"reference"`
	By        string                   `json:"by"`
	CreatedAt time.Time                `json:"created_at"`
	Status    string                   `json:"status"`
	DoneAt    *time.Time               `json:"done_at,omitempty"`
	Outcome   string                   `json:"outcome,omitempty"`
}

// Replacement is the change the scheduled one makes on its day.
func (sr ScheduledReplacement) Replacement(now time.Time) Replacement {
	return Replacement{Biennium: sr.Biennium, Country: sr.Country, Role: sr.Role, From: sr.From, To: sr.To,
		Effective: sr.Effective, Reference: sr.Reference, By: sr.By, Now: now}
}

const scheduledCols = `id, biennium, country, role, from_email, to_email, to_name, to_language, to_time_zone,
	effective, reference, created_by, created_at, status, done_at, outcome`

func scanScheduled(row pgx.CollectableRow) (ScheduledReplacement, error) {
	var sr ScheduledReplacement
	err := row.Scan(&sr.ID, &sr.Biennium, &sr.Country, &sr.Role, &sr.From, &sr.To.Email, &sr.To.Name, &sr.To.Language,
		&sr.To.TimeZone, &sr.Effective, &sr.Reference, &sr.By, &sr.CreatedAt, &sr.Status, &sr.DoneAt, &sr.Outcome)
	return sr, err
}

// errTrial ends the trial run of a replacement, undoing what it wrote.
var errTrial = errors.New("trial replacement")

// ScheduleReplacement keeps r to be made on its effective day (after today).
// It is first tried as if made now, and undone, so that what would refuse it
// today (the same address, another role, a country without anyone in the
// role) refuses it now, as a *cooperation.FieldError, with nothing kept; the
// same checks run again on the day. One change waits at a time per person
// in a role.
func (s *Store) ScheduleReplacement(ctx context.Context, r Replacement, compose HandoverMailFunc) (ScheduledReplacement, error) {
	var out ScheduledReplacement
	err := s.InTx(ctx, func(tx *Store) error {
		var from string
		err := tx.InTx(ctx, func(trial *Store) error {
			done, err := trial.replace(ctx, r, compose)
			if err != nil {
				return err
			}
			from = done.From.Email
			return errTrial
		})
		if !errors.Is(err, errTrial) {
			return err
		}
		to := r.To.Normalized()
		rows, err := tx.db.Query(ctx, `INSERT INTO scheduled_replacement (biennium, country, role, from_email, to_email, to_name,
				to_language, to_time_zone, effective, reference, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING `+scheduledCols,
			r.Biennium, r.Country, r.Role, from, to.Email, to.Name, to.Language, to.TimeZone, r.Effective, r.Reference, r.By)
		if err == nil {
			out, err = pgx.CollectExactlyOneRow(rows, scanScheduled)
		}
		if IsUniqueViolation(err) {
			return fieldErr("effective", cooperation.ErrExists, "a replacement of the %s is already scheduled: cancel it first",
				roleWords(r.Role, r.Country))
		}
		if err != nil {
			return fmt.Errorf("schedule the replacement of %s: %w", from, err)
		}
		return tx.Audit(ctx, fmt.Sprintf("replacement-scheduled/%d", out.ID), r.By, "country/"+r.Country, "replacement_scheduled",
			map[string]any{"id": out.ID, "biennium": r.Biennium, "role": r.Role, "from": from, "to": to.Email,
				"effective": r.Effective.Format(time.DateOnly), "reference": r.Reference})
	})
	return out, err
}

// ScheduledReplacements lists the replacements of biennium still waiting
// for their day, soonest first.
func (s *Store) ScheduledReplacements(ctx context.Context, biennium string) ([]ScheduledReplacement, error) {
	return s.scheduled(ctx, `biennium = $1 AND status = 'scheduled'`, biennium)
}

// scheduledToShow lists what the directory shows of scheduled changes: those
// waiting, and those refused on their day in the last 30 days before day,
// so that the secretariat sees them and makes the change again.
func (s *Store) scheduledToShow(ctx context.Context, biennium string, day time.Time) ([]ScheduledReplacement, error) {
	return s.scheduled(ctx, `biennium = $1 AND (status = 'scheduled' OR (status = 'failed' AND done_at > $2::timestamptz - interval '30 days'))`,
		biennium, day)
}

func (s *Store) scheduled(ctx context.Context, cond string, args ...any) ([]ScheduledReplacement, error) {
	rows, err := s.db.Query(ctx, `SELECT `+scheduledCols+` FROM scheduled_replacement
		WHERE `+cond+` ORDER BY effective, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list scheduled replacements: %w", err)
	}
	return pgx.CollectRows(rows, scanScheduled)
}

// CancelReplacement cancels a replacement still waiting; one already made,
// failed or cancelled is ErrNotFound.
func (s *Store) CancelReplacement(ctx context.Context, id int64, by string, now time.Time) (ScheduledReplacement, error) {
	var out ScheduledReplacement
	err := s.InTx(ctx, func(tx *Store) error {
		rows, err := tx.db.Query(ctx, `UPDATE scheduled_replacement SET status = 'cancelled', done_at = $2, outcome = 'cancelled by ' || $3
			WHERE id = $1 AND status = 'scheduled' RETURNING `+scheduledCols, id, now, by)
		if err == nil {
			out, err = pgx.CollectExactlyOneRow(rows, scanScheduled)
		}
		if err != nil {
			return notFound(err)
		}
		return tx.Audit(ctx, "", by, "country/"+out.Country, "replacement_cancelled",
			map[string]any{"id": id, "role": out.Role, "from": out.From, "to": out.To.Email, "effective": out.Effective.Format(time.DateOnly)})
	})
	return out, err
}

// ApplyDueReplacements makes each scheduled replacement whose effective day
// has begun where the new person is, each in its own transaction: made, it
// is marked applied; refused by the rules as they then stand (the new person
// took another role meanwhile, say), it is marked failed with the reason,
// audited, and the others go on. It returns what it made and what failed.
func (s *Store) ApplyDueReplacements(ctx context.Context, now time.Time, compose HandoverMailFunc) (applied, failed []ScheduledReplacement, err error) {
	rows, err := s.db.Query(ctx, `SELECT id FROM scheduled_replacement
		WHERE status = 'scheduled' AND effective <= ($1::timestamptz AT TIME ZONE to_time_zone)::date ORDER BY effective, id`, now)
	if err != nil {
		return nil, nil, fmt.Errorf("list due replacements: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, nil, fmt.Errorf("list due replacements: %w", err)
	}
	var errs []error
	for _, id := range ids {
		sr, made, err := s.applyScheduled(ctx, id, now, compose)
		switch {
		case err != nil:
			errs = append(errs, err)
		case sr.ID == 0: // another scheduler took it
		case made:
			applied = append(applied, sr)
		default:
			failed = append(failed, sr)
		}
	}
	return applied, failed, errors.Join(errs...)
}

func (s *Store) applyScheduled(ctx context.Context, id int64, now time.Time, compose HandoverMailFunc) (ScheduledReplacement, bool, error) {
	var sr ScheduledReplacement
	made := false
	err := s.InTx(ctx, func(tx *Store) error {
		rows, err := tx.db.Query(ctx, `SELECT `+scheduledCols+` FROM scheduled_replacement
			WHERE id = $1 AND status = 'scheduled' FOR UPDATE SKIP LOCKED`, id)
		if err != nil {
			return fmt.Errorf("load scheduled replacement %d: %w", id, err)
		}
		sr, err = pgx.CollectExactlyOneRow(rows, scanScheduled)
		if errors.Is(err, pgx.ErrNoRows) {
			sr = ScheduledReplacement{}
			return nil
		} else if err != nil {
			return fmt.Errorf("load scheduled replacement %d: %w", id, err)
		}
		var fe *cooperation.FieldError
		err = tx.InTx(ctx, func(sp *Store) error {
			_, err := sp.replace(ctx, sr.Replacement(now), compose)
			return err
		})
		switch {
		case errors.As(err, &fe):
			sr.Status, sr.Outcome = ScheduledFailed, fe.Field+": "+fe.Detail
		case err != nil:
			return err
		default:
			sr.Status, made = ScheduledApplied, true
		}
		sr.DoneAt = &now
		if _, err := tx.db.Exec(ctx, `UPDATE scheduled_replacement SET status = $2, done_at = $3, outcome = $4 WHERE id = $1`,
			id, sr.Status, now, cooperation.Excerpt(sr.Outcome, 2000)); err != nil {
			return fmt.Errorf("mark scheduled replacement %d %s: %w", id, sr.Status, err)
		}
		if made {
			return nil
		}
		return tx.Audit(ctx, fmt.Sprintf("replacement-failed/%d", id), "system", "country/"+sr.Country, "replacement_failed",
			map[string]any{"id": id, "role": sr.Role, "from": sr.From, "to": sr.To.Email,
				"effective": sr.Effective.Format(time.DateOnly), "reason": sr.Outcome})
	})
	return sr, made, err
}
