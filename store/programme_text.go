package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
)

// KindText counts the texts an import wrote in each language
// (programme_text, migration 0151).
const KindText = "text"

// textKey names one text in one language.
type textKey struct{ subject, field, lang string }

type textRow struct{ original, body string }

// fileTexts are the file's texts in several languages, by subject, field
// and language, and the subjects the file describes.
func fileTexts(f *programme.File) (map[textKey]textRow, map[string]bool) {
	out := map[textKey]textRow{}
	subjects := map[string]bool{}
	add := func(subject string, ts programme.Texts) {
		subjects[subject] = true
		for field, t := range ts {
			for lang, body := range t.In {
				out[textKey{subject, field, lang}] = textRow{t.Original, body}
			}
		}
	}
	add("programme", f.Texts)
	for _, g := range f.Goals {
		add("goal/"+strconv.Itoa(g.Number), g.Texts)
	}
	for _, l := range f.LinesOfAction {
		add("line_of_action/"+strconv.Itoa(l.Number), l.Texts)
	}
	for _, a := range f.Activities {
		add("activity/"+a.Code, a.Texts)
	}
	return out, subjects
}

// texts makes the programme's texts in several languages those of the
// file: each new or changed one written, each the file no longer gives
// removed, the rest left alone, so importing the same file again changes
// nothing. The texts of an activity the file does not describe (one
// proposed since) are not the file's to remove.
func (im *importer) texts(ctx context.Context) error {
	want, subjects := fileTexts(im.f)
	rows, err := im.tx.db.Query(ctx, `SELECT subject, field, language, original_language, body FROM programme_text
		WHERE biennium = $1`, im.biennium)
	if err != nil {
		return fmt.Errorf("read texts: %w", err)
	}
	have := map[textKey]textRow{}
	var k textKey
	var r textRow
	_, err = pgx.ForEachRow(rows, []any{&k.subject, &k.field, &k.lang, &r.original, &r.body}, func() error {
		have[k] = r
		return nil
	})
	if err != nil {
		return fmt.Errorf("read texts: %w", err)
	}
	c := im.counts[KindText]
	for k := range have {
		if _, keep := want[k]; !keep && subjects[k.subject] {
			if _, err := im.tx.db.Exec(ctx, `DELETE FROM programme_text WHERE biennium = $1 AND subject = $2 AND field = $3
				AND language = $4`, im.biennium, k.subject, k.field, k.lang); err != nil {
				return fmt.Errorf("remove text %s %s (%s): %w", k.subject, k.field, k.lang, err)
			}
			c.Removed++
		}
	}
	for k, w := range want {
		old, ok := have[k]
		switch {
		case ok && old == w:
			c.Unchanged++
			continue
		case ok:
			c.Updated++
		default:
			c.Created++
		}
		_, err := im.tx.db.Exec(ctx, `INSERT INTO programme_text (biennium, subject, field, original_language, language, body)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (biennium, subject, field, language)
			DO UPDATE SET original_language = EXCLUDED.original_language, body = EXCLUDED.body`,
			im.biennium, k.subject, k.field, w.original, k.lang, w.body)
		if err != nil {
			return fmt.Errorf("write text %s %s (%s): %w", k.subject, k.field, k.lang, err)
		}
	}
	return nil
}

// Text is a text for readers in the languages the programme file gave it
// in: Original is the language it was first written in.
type Text = cooperation.TextSet

// loadTexts reads a programme's texts in several languages, by subject
// ("programme", "goal/1", "activity/A1.2") and field.
func (s *Store) loadTexts(ctx context.Context, biennium string) (map[string]map[string]Text, error) {
	rows, err := s.db.Query(ctx, `SELECT subject, field, original_language, language, body FROM programme_text
		WHERE biennium = $1`, biennium)
	if err != nil {
		return nil, fmt.Errorf("load the texts of %s: %w", biennium, err)
	}
	out := map[string]map[string]Text{}
	var subject, field, original, lang, body string
	_, err = pgx.ForEachRow(rows, []any{&subject, &field, &original, &lang, &body}, func() error {
		if out[subject] == nil {
			out[subject] = map[string]Text{}
		}
		t := out[subject][field]
		if t.In == nil {
			t = Text{Original: original, In: map[string]string{}}
		}
		t.In[lang] = body
		out[subject][field] = t
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load the texts of %s: %w", biennium, err)
	}
	return out, nil
}

// SaveActivityTexts keeps a proposed activity's texts in the languages its
// proposal file gave them in (the activity's row holds each in its original
// language).
func (s *Store) SaveActivityTexts(ctx context.Context, biennium, code string, ts programme.Texts) error {
	for field, t := range ts {
		for lang, body := range t.In {
			_, err := s.db.Exec(ctx, `INSERT INTO programme_text (biennium, subject, field, original_language, language, body)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (biennium, subject, field, language)
				DO UPDATE SET original_language = EXCLUDED.original_language, body = EXCLUDED.body`,
				biennium, "activity/"+code, field, t.Original, lang, body)
			if err != nil {
				return fmt.Errorf("write text %s %s (%s) of activity %s/%s: %w", field, lang, t.Original, biennium, code, err)
			}
		}
	}
	return nil
}

// ReplaceActivityTexts makes ts an activity's only texts in several
// languages: a revision from the portal gives them all again, so a
// translation it leaves out is removed. Run it in the transaction that
// stores the revision, so that a refused revision changes none of them.
func (s *Store) ReplaceActivityTexts(ctx context.Context, biennium, code string, ts programme.Texts) error {
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `DELETE FROM programme_text WHERE biennium = $1 AND subject = $2`,
			biennium, "activity/"+code); err != nil {
			return fmt.Errorf("remove the texts of activity %s/%s: %w", biennium, code, err)
		}
		return tx.SaveActivityTexts(ctx, biennium, code, ts)
	})
}
