package store_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// TestImportTextsInSeveralLanguages keeps each text of the file in every
// language it gives, beside the original the tables hold; the same file
// again changes nothing, and a translation left out of the file is removed.
func TestImportTextsInSeveralLanguages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	b, err := os.ReadFile("../report/testdata/programme-multilingual.yaml")
	require.NoError(t, err)
	parse := func(src string) *programme.File {
		f, err := programme.Parse([]byte(src))
		require.NoError(t, err)
		return f
	}
	res, err := s.ImportProgramme(ctx, parse(string(b)))
	require.NoError(t, err)
	require.Equal(t, store.ImportCount{Created: 11}, res.Counts[store.KindText])
	var title, en string
	require.NoError(t, pool.QueryRow(ctx, `SELECT a.title, t.body FROM activity a JOIN programme_text t
		ON t.biennium = a.biennium AND t.subject = 'activity/' || a.code AND t.field = 'title' AND t.language = 'en'
		WHERE a.code = 'A1'`).Scan(&title, &en))
	require.Equal(t, "Red de parques científicos", title, "the table holds the original")
	require.Equal(t, "Network of science parks", en)

	res, err = s.ImportProgramme(ctx, parse(string(b)))
	require.NoError(t, err)
	require.Equal(t, store.ImportCount{Unchanged: 11}, res.Counts[store.KindText])

	changed := strings.Replace(string(b), "pt: Rede de parques científicos, ", "", 1)
	changed = strings.Replace(changed, "en: Network charter", "en: The network's charter", 1)
	res, err = s.ImportProgramme(ctx, parse(changed))
	require.NoError(t, err)
	require.Equal(t, store.ImportCount{Updated: 1, Unchanged: 9, Removed: 1}, res.Counts[store.KindText])

	// A proposed activity's texts are not the file's to remove.
	require.NoError(t, s.SaveActivityTexts(ctx, "2017-2018", "G1P1", programme.Texts{
		"title": {Original: "pt", In: map[string]string{"pt": "Rede de dados", "es": "Red de datos"}}}))
	res, err = s.ImportProgramme(ctx, parse(changed))
	require.NoError(t, err)
	require.Equal(t, store.ImportCount{Unchanged: 10}, res.Counts[store.KindText])
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM programme_text WHERE subject = 'activity/G1P1'`).Scan(&n))
	require.Equal(t, 2, n)

	// Raw SQL cannot store a language outside the four.
	_, err = pool.Exec(ctx, `INSERT INTO programme_text VALUES ('2017-2018', 'programme', 'title', 'es', 'de', 'Programm')`)
	require.Error(t, err)
}

// textsOf reads an activity's rows of programme_text back, by field.
func textsOf(ctx context.Context, pool *pgxpool.Pool, biennium, code string) (programme.Texts, error) {
	rows, err := pool.Query(ctx, `SELECT field, original_language, language, body FROM programme_text
		WHERE biennium = $1 AND subject = 'activity/' || $2`, biennium, code)
	if err != nil {
		return nil, err
	}
	out := programme.Texts{}
	var field, original, lang, body string
	_, err = pgx.ForEachRow(rows, []any{&field, &original, &lang, &body}, func() error {
		t := out[field]
		if t.In == nil {
			t = programme.Text{Original: original, In: map[string]string{}}
		}
		t.In[lang] = body
		out[field] = t
		return nil
	})
	return out, err
}

// ReplaceActivityTexts leaves an activity exactly the texts it is given: a
// translation left out is removed, another activity's texts stay.
func TestReplaceActivityTexts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	storetest.SmallProgramme(t, pool)
	first := programme.Texts{
		"title":              {Original: "pt", In: map[string]string{"pt": "Dados abertos", "en": "Open data", "es": "Datos abiertos"}},
		"expected_outputs/0": {Original: "pt", In: map[string]string{"pt": "Guia", "en": "Guide"}},
	}
	require.NoError(t, s.SaveActivityTexts(ctx, "2017-2018", "A1", first))
	other := programme.Texts{"title": {Original: "es", In: map[string]string{"es": "Otra", "en": "Other"}}}
	require.NoError(t, s.SaveActivityTexts(ctx, "2017-2018", "A2", other))
	got, err := textsOf(ctx, pool, "2017-2018", "A1")
	require.NoError(t, err)
	require.Equal(t, first, got)

	second := programme.Texts{"title": {Original: "en", In: map[string]string{"en": "Open data", "fr": "Données ouvertes"}}}
	require.NoError(t, s.ReplaceActivityTexts(ctx, "2017-2018", "A1", second))
	got, err = textsOf(ctx, pool, "2017-2018", "A1")
	require.NoError(t, err)
	require.Equal(t, second, got, "the Spanish and Portuguese titles and the output are removed")
	got, err = textsOf(ctx, pool, "2017-2018", "A2")
	require.NoError(t, err)
	require.Equal(t, other, got, "another activity's texts stay")

	// A text the table refuses (empty) leaves the ones there.
	err = s.ReplaceActivityTexts(ctx, "2017-2018", "A1", programme.Texts{"title": {Original: "en", In: map[string]string{"en": ""}}})
	require.Error(t, err)
	got, err = textsOf(ctx, pool, "2017-2018", "A1")
	require.NoError(t, err)
	require.Equal(t, second, got)

	got, err = textsOf(ctx, pool, "2017-2018", "A9")
	require.NoError(t, err)
	require.Empty(t, got)
}
