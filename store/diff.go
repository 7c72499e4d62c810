package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bienal/bienal/cooperation"
)

// ProposalFields is the text of a proposal that committee members review; a
// revision replaces it as a new version, and reviewers see the difference.
type ProposalFields struct {
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	ExpectedOutputs []string `json:"expected_outputs"`
	StartsOn        string   `json:"starts_on,omitempty"` // YYYY-MM-DD
	EndsOn          string   `json:"ends_on,omitempty"`   // YYYY-MM-DD
}

// Validate names the first field that cannot be stored.
func (f ProposalFields) Validate() error {
	// Characters, not bytes: the database's CHECK counts characters too.
	if strings.TrimSpace(f.Title) == "" || utf8.RuneCountInString(f.Title) > 500 {
		return errors.New("title: must have 1 to 500 characters")
	}
	var starts, ends time.Time
	var err error
	if f.StartsOn != "" {
		if starts, err = time.Parse(time.DateOnly, f.StartsOn); err != nil {
			return fmt.Errorf("starts_on: %q is not a date YYYY-MM-DD", f.StartsOn)
		}
	}
	if f.EndsOn != "" {
		if ends, err = time.Parse(time.DateOnly, f.EndsOn); err != nil {
			return fmt.Errorf("ends_on: %q is not a date YYYY-MM-DD", f.EndsOn)
		}
	}
	if !starts.IsZero() && !ends.IsZero() && ends.Before(starts) {
		return errors.New("ends_on: before starts_on")
	}
	return nil
}

// ReviseActivity stores a revised proposal as a new version of an activity
// whose review asked for changes, and returns the version number. The
// workflow is then told with signal "revise". On error nothing is changed.
func (s *Store) ReviseActivity(ctx context.Context, biennium, code string, fields ProposalFields, by string) (int, error) {
	if err := fields.Validate(); err != nil {
		return 0, fmt.Errorf("revise %s/%s: %w", biennium, code, err)
	}
	var version int
	err := s.InTx(ctx, func(tx *Store) error {
		var status cooperation.ActivityStatus
		err := tx.db.QueryRow(ctx, `SELECT status, version FROM activity
			WHERE biennium = $1 AND code = $2 FOR UPDATE`, biennium, code).Scan(&status, &version)
		if err != nil {
			return fmt.Errorf("revise %s/%s: %w", biennium, code, notFound(err))
		}
		if status != cooperation.ActivityChangesRequested {
			return fmt.Errorf("revise %s/%s in status %s: %w", biennium, code, status, ErrWrongStatus)
		}
		if err := tx.snapshotVersion(ctx, biennium, code, version); err != nil {
			return err
		}
		version++
		return tx.writeVersion(ctx, biennium, code, version, fields, by)
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// snapshotVersion keeps the activity's current text as its version when no
// row holds it yet (an imported activity), so a diff always has a base.
func (s *Store) snapshotVersion(ctx context.Context, biennium, code string, version int) error {
	_, err := s.db.Exec(ctx, `INSERT INTO activity_version (biennium, code, version, fields, author)
		SELECT biennium, code, version, jsonb_build_object(
			'title', title, 'description', description, 'expected_outputs', to_jsonb(expected_outputs),
			'starts_on', COALESCE(starts_on::text, ''), 'ends_on', COALESCE(ends_on::text, '')), proposed_by
		FROM activity WHERE biennium = $1 AND code = $2 AND version = $3
		ON CONFLICT DO NOTHING`, biennium, code, version)
	if err != nil {
		return fmt.Errorf("keep version %d of %s/%s: %w", version, biennium, code, err)
	}
	return nil
}

func (s *Store) writeVersion(ctx context.Context, biennium, code string, version int, f ProposalFields, by string) error {
	outputs := f.ExpectedOutputs
	if outputs == nil {
		outputs = []string{}
	}
	f.ExpectedOutputs = outputs
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode version %d of %s/%s: %w", version, biennium, code, err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO activity_version (biennium, code, version, fields, author)
		VALUES ($1, $2, $3, $4, $5)`, biennium, code, version, b, by); err != nil {
		return fmt.Errorf("store version %d of %s/%s: %w", version, biennium, code, err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE activity SET title = $3, description = $4, expected_outputs = $5,
			starts_on = NULLIF($6, '')::date, ends_on = NULLIF($7, '')::date, version = $8, updated_at = now()
		WHERE biennium = $1 AND code = $2`,
		biennium, code, f.Title, f.Description, outputs, f.StartsOn, f.EndsOn, version); err != nil {
		return fmt.Errorf("revise %s/%s: %w", biennium, code, err)
	}
	return s.Audit(ctx, fmt.Sprintf("revised/%s/%s/%d", biennium, code, version), by,
		ActivityRef(biennium, code), "revised", map[string]any{"version": version})
}

// DiffLine is one line of a difference: Op is " " (kept), "-" or "+".
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// FieldDiff is the difference of one field between two versions.
type FieldDiff struct {
	Field string     `json:"field"`
	Lines []DiffLine `json:"lines"`
}

// fieldOrder puts the fields a reader looks at first at the top.
var fieldOrder = []string{"title", "description", "expected_outputs", "starts_on", "ends_on"}

// ActivityDiff returns, for each field that changed between two versions of
// a proposal, a line diff; the e-mail to reviewers and the portal show it.
func (s *Store) ActivityDiff(ctx context.Context, biennium, code string, fromVersion, toVersion int) ([]FieldDiff, error) {
	from, err := s.versionFields(ctx, biennium, code, fromVersion)
	if err != nil {
		return nil, err
	}
	to, err := s.versionFields(ctx, biennium, code, toVersion)
	if err != nil {
		return nil, err
	}
	names := slices.Clone(fieldOrder)
	for _, m := range []map[string]any{from, to} {
		for k := range m {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	slices.SortStableFunc(names[len(fieldOrder):], strings.Compare)
	var diffs []FieldDiff
	for _, name := range names {
		a, b := fieldText(from[name]), fieldText(to[name])
		if a == b {
			continue
		}
		diffs = append(diffs, FieldDiff{Field: name, Lines: DiffLines(a, b)})
	}
	return diffs, nil
}

func (s *Store) versionFields(ctx context.Context, biennium, code string, version int) (map[string]any, error) {
	var fields map[string]any
	err := s.db.QueryRow(ctx, `SELECT fields FROM activity_version
		WHERE biennium = $1 AND code = $2 AND version = $3`, biennium, code, version).Scan(&fields)
	if err != nil {
		return nil, fmt.Errorf("load version %d of %s/%s: %w", version, biennium, code, notFound(err))
	}
	return fields, nil
}

// fieldText turns a stored field into lines: a list gives one line per item.
func fieldText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []any:
		lines := make([]string, len(v))
		for i, item := range v {
			lines[i] = fieldText(item)
		}
		return strings.Join(lines, "\n")
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// DiffLines compares two texts line by line through their longest common
// subsequence: proposals are short, so the quadratic table is cheap.
func DiffLines(a, b string) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			out = append(out, DiffLine{" ", x[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{"-", x[i]})
			i++
		default:
			out = append(out, DiffLine{"+", y[j]})
			j++
		}
	}
	for ; i < len(x); i++ {
		out = append(out, DiffLine{"-", x[i]})
	}
	for ; j < len(y); j++ {
		out = append(out, DiffLine{"+", y[j]})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}

// DiffWord is one word of a changed line, or the spaces between words: Op
// is " " (in both versions), "-" (only in the older) or "+" (only in the
// newer).
type DiffWord struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// maxWordCells bounds the table of a word diff: two paragraphs of about
// a thousand words each. Longer texts are compared line by line only.
const maxWordCells = 1 << 21

// DiffWords compares two lines word by word, so that a reader sees the
// phrase that changed rather than a whole paragraph removed and added.
// It returns nil when the lines are too long to compare this way.
func DiffWords(a, b string) []DiffWord {
	x, y := splitWords(a), splitWords(b)
	if (len(x)+1)*(len(y)+1) > maxWordCells {
		return nil
	}
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffWord
	add := func(op, text string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, DiffWord{op, text})
	}
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			add(" ", x[i])
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			add("-", x[i])
			i++
		default:
			add("+", y[j])
			j++
		}
	}
	for ; i < len(x); i++ {
		add("-", x[i])
	}
	for ; j < len(y); j++ {
		add("+", y[j])
	}
	return out
}

// splitWords cuts a line into words and the runs of spaces between them.
func splitWords(s string) []string {
	var out []string
	start, space := 0, false
	for i, r := range s {
		if i == 0 {
			space = unicode.IsSpace(r)
			continue
		}
		if unicode.IsSpace(r) != space {
			out = append(out, s[start:i])
			start, space = i, !space
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
