package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// CycleDocument is the front matter a cycle's consolidated report is
// issued under, as an ECLAC document: "Distr. LIMITED · LC/L.4221(...) ·
// date · ENGLISH · ORIGINAL: SPANISH".
type CycleDocument struct {
	Symbol       string                   `json:"symbol"`
	Distribution cooperation.Distribution `json:"distribution"`
	// Revision is 0 as first issued; n adds /Rev.n to the symbol.
	Revision  int        `json:"revision"`
	RevisedAt *time.Time `json:"revised_at"`
	// OriginalLanguage is the language the report is written in: the
	// cycle's own when set (OwnLanguage), else the secretariat's.
	OriginalLanguage string `json:"original_language"`
	OwnLanguage      bool   `json:"own_language"`
}

// RevisedSymbol is the symbol the document carries, with /Rev.n once revised.
func (d CycleDocument) RevisedSymbol() string {
	return cooperation.RevisedSymbol(d.Symbol, d.Revision)
}

// CycleDocumentChange changes a cycle's front matter; a nil field is kept.
type CycleDocumentChange struct {
	Symbol       *string
	Distribution *cooperation.Distribution
	Revision     *int
	// OriginalLanguage "" goes back to the secretariat's language.
	OriginalLanguage *string
}

// secretariatLanguageSQL is the language most secretariat users read,
// Spanish first on a tie (ECLAC's first working language) and when there
// is no user yet.
const secretariatLanguageSQL = `COALESCE((SELECT p.language FROM secretariat_user u JOIN person p ON p.email = u.email
		GROUP BY p.language ORDER BY count(*) DESC, array_position(ARRAY['es', 'en', 'pt', 'fr'], p.language) LIMIT 1), 'es')`

// documentColumns reads a CycleDocument from reporting_cycle c.
const documentColumns = `c.symbol, c.distribution, c.revision, c.revised_at,
		COALESCE(c.original_language, ` + secretariatLanguageSQL + `), c.original_language IS NOT NULL`

func scanDocument(row pgx.Row, extra ...any) (CycleDocument, error) {
	var d CycleDocument
	err := row.Scan(append([]any{&d.Symbol, &d.Distribution, &d.Revision, &d.RevisedAt, &d.OriginalLanguage, &d.OwnLanguage}, extra...)...)
	return d, err
}

// SecretariatLanguage is the language the secretariat reads: the one most
// of its users chose, Spanish on a tie or when there is none. A report is
// written in it unless its cycle names another.
func (s *Store) SecretariatLanguage(ctx context.Context) (string, error) {
	var lang string
	if err := s.db.QueryRow(ctx, `SELECT `+secretariatLanguageSQL).Scan(&lang); err != nil {
		return "", fmt.Errorf("read the secretariat's language: %w", err)
	}
	return lang, nil
}

// GetCycleDocument returns a cycle's front matter, or ErrNotFound.
func (s *Store) GetCycleDocument(ctx context.Context, biennium, name string) (CycleDocument, error) {
	d, err := scanDocument(s.db.QueryRow(ctx, `SELECT `+documentColumns+`
		FROM reporting_cycle c WHERE c.biennium = $1 AND c.name = $2`, biennium, name))
	if err != nil {
		return CycleDocument{}, fmt.Errorf("read the front matter of cycle %s/%s: %w", biennium, name, notFound(err))
	}
	return d, nil
}

// SetCycleDocument changes a cycle's front matter in one transaction, the
// cycle's row locked: a revision lower than the one issued is refused
// (ErrInvalid with a cooperation.FieldError on "revision"), even against a
// concurrent change. Raising the revision of a closed cycle takes its
// report's rows again, so the revised document carries what was corrected
// since. It returns the front matter as stored, and whether anything changed.
func (s *Store) SetCycleDocument(ctx context.Context, biennium, name string, ch CycleDocumentChange) (CycleDocument, bool, error) {
	where := fmt.Sprintf("set the front matter of cycle %s/%s", biennium, name)
	var out CycleDocument
	changed := false
	err := s.InTx(ctx, func(tx *Store) error {
		var status cooperation.CycleStatus
		cur, err := scanDocument(tx.db.QueryRow(ctx, `SELECT `+documentColumns+`, c.status
			FROM reporting_cycle c WHERE c.biennium = $1 AND c.name = $2 FOR UPDATE`, biennium, name), &status)
		if err != nil {
			return fmt.Errorf("%s: %w", where, notFound(err))
		}
		next := cur
		curOwn := "" // the cycle's own language; empty: the secretariat's
		if cur.OwnLanguage {
			curOwn = cur.OriginalLanguage
		}
		own := curOwn
		if ch.Symbol != nil {
			next.Symbol = *ch.Symbol
		}
		if ch.Distribution != nil {
			next.Distribution = *ch.Distribution
		}
		if ch.OriginalLanguage != nil {
			own = *ch.OriginalLanguage
		}
		if ch.Revision != nil {
			if *ch.Revision < cur.Revision {
				return fmt.Errorf("%s: %w: %w", where, ErrInvalid, &cooperation.FieldError{Field: "revision", Key: cooperation.ErrRevisionLower,
					Detail: fmt.Sprintf("%d is lower than the revision already issued, %d (a revision is never withdrawn)", *ch.Revision, cur.Revision)})
			}
			next.Revision = *ch.Revision
		}
		raised := next.Revision > cur.Revision
		changed = raised || next.Symbol != cur.Symbol || next.Distribution != cur.Distribution || own != curOwn
		if !changed {
			out = cur
			return nil
		}
		var ownArg *string
		if own != "" {
			ownArg = &own
		}
		_, err = tx.db.Exec(ctx, `UPDATE reporting_cycle SET symbol = $3, distribution = $4, revision = $5,
				revised_at = CASE WHEN $6 THEN now() ELSE revised_at END, original_language = $7
			WHERE biennium = $1 AND name = $2`, biennium, name, next.Symbol, next.Distribution, next.Revision, raised, ownArg)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if raised && status == cooperation.CycleClosed {
			if err := tx.SaveReportSnapshot(ctx, biennium, name); err != nil {
				return err
			}
		}
		out, err = tx.GetCycleDocument(ctx, biennium, name)
		return err
	})
	if err != nil {
		return CycleDocument{}, false, err
	}
	return out, changed, nil
}

// SaveReportSnapshot keeps the rows of a cycle's report as they stand now,
// replacing an earlier snapshot: the cycle's workflow takes it when the
// cycle closes (a retry takes the same rows again), and a revision takes it
// again.
func (s *Store) SaveReportSnapshot(ctx context.Context, biennium, cycle string) error {
	d, err := s.LoadReportData(ctx, biennium, cycle)
	if err != nil {
		return err
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode the report of cycle %s/%s: %w", biennium, cycle, err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO report_snapshot (biennium, cycle, data, revision) VALUES ($1, $2, $3, $4)
		ON CONFLICT (biennium, cycle) DO UPDATE SET data = EXCLUDED.data, revision = EXCLUDED.revision, taken_at = now()`,
		biennium, cycle, b, d.Cycle.Revision)
	if err != nil {
		return fmt.Errorf("save the report of cycle %s/%s: %w", biennium, cycle, err)
	}
	return nil
}

// ReportDocument is what a cycle's report shows now: the snapshot taken
// when it closed (or was last revised), else - an open cycle, or one closed
// before snapshots were kept - its rows as they stand. The front matter is
// always the cycle's current one, so a symbol given after the cycle closed
// is on every rendering. ErrNotFound when the cycle does not exist.
func (s *Store) ReportDocument(ctx context.Context, biennium, cycle string) (ReportData, error) {
	var raw []byte
	err := s.db.QueryRow(ctx, `SELECT data FROM report_snapshot WHERE biennium = $1 AND cycle = $2`, biennium, cycle).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return s.LoadReportData(ctx, biennium, cycle)
	}
	if err != nil {
		return ReportData{}, fmt.Errorf("read the report of cycle %s/%s: %w", biennium, cycle, err)
	}
	var d ReportData
	if err := json.Unmarshal(raw, &d); err != nil {
		return ReportData{}, fmt.Errorf("decode the report of cycle %s/%s: %w", biennium, cycle, err)
	}
	head, err := s.loadReportHeader(ctx, biennium, cycle)
	if err != nil {
		return ReportData{}, err
	}
	d.Cycle = head.Cycle
	return d, nil
}

// HasReportSnapshot tells whether a cycle's report rows were kept.
func (s *Store) HasReportSnapshot(ctx context.Context, biennium, cycle string) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM report_snapshot WHERE biennium = $1 AND cycle = $2)`, biennium, cycle).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look for the report of cycle %s/%s: %w", biennium, cycle, err)
	}
	return ok, nil
}
