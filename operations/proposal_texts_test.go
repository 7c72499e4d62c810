package operations_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/programme"
)

// A proposal whose texts come as the portal's form gives them - the
// language they are written in and a translation per language - keeps
// each text in its original and in every translation given.
func TestProposalTranslations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ops, pool, _ := service(t)
	req := proposal()
	req.TextsLanguage = "pt"
	req.Title, req.ExpectedOutputs = "Dados abertos", []string{"Portal", "Guia"}
	req.Translations = []operations.Translation{
		{Language: "en", Title: "Open data", Description: "A shared portal, in English.", ExpectedOutputs: []string{"Portal", "Guide"}},
		{Language: "es", Title: "Datos abiertos"},
		{Language: "fr"}, // empty: no translation
	}
	p, err := ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, 9, count(t, pool, "programme_text WHERE subject = $1 AND original_language = 'pt'", "activity/"+p.Code),
		"title in pt, en, es; description in pt, en; two outputs in pt, en")
	require.Equal(t, 1, count(t, pool, "programme_text WHERE field = 'expected_outputs/1' AND language = 'en' AND body = 'Guide'"))
	require.Zero(t, count(t, pool, "programme_text WHERE language = 'fr'"))

	bad := proposal()
	bad.TextsLanguage = "de"
	bad.Translations = []operations.Translation{
		{Language: "en", Description: "No title"},
		{Language: "fr", Title: "Données", ExpectedOutputs: []string{"Portail"}},
		{Language: "es", Title: strings.Repeat("x", cooperation.MaxTitle+1)},
	}
	_, err = ops.Propose(ctx, bad)
	require.Equal(t, map[string]string{"texts_language": cooperation.ErrOriginalLanguage,
		"expected_outputs_fr": cooperation.ErrOutputsCount, "title_es": cooperation.ErrTooLong}, fields(t, err))

	same := proposal()
	same.TextsLanguage = "en"
	same.Translations = []operations.Translation{{Language: "en", Title: "Open data"}}
	_, err = ops.Propose(ctx, same)
	require.Equal(t, map[string]string{"texts_language": cooperation.ErrTranslationOriginal}, fields(t, err))

	both := proposal()
	both.TextsLanguage = "en"
	both.Texts = programme.Texts{"title": {Original: "en", In: map[string]string{"en": both.Title}}}
	_, err = ops.Propose(ctx, both)
	require.Equal(t, map[string]string{"texts": cooperation.ErrChoice}, fields(t, err))
	require.Equal(t, 1, count(t, pool, "activity WHERE code LIKE 'G1P%'"), "no refused proposal stored")
}

// The programme file and the forms refuse a text's languages under one
// rule, programme's Text.Check.
func TestTextCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text       programme.Text
		field, key string
	}{
		{programme.Text{In: map[string]string{"es": "Datos"}}, "original_language", cooperation.ErrOriginalLanguage},
		{programme.Text{Original: "de", In: map[string]string{"de": "Daten"}}, "original_language", cooperation.ErrOriginalLanguage},
		{programme.Text{Original: "es", In: map[string]string{"en": "Data"}}, "original_language", cooperation.ErrRequired},
		{programme.Text{Original: "es", In: map[string]string{"es": "Datos", "de": "Daten"}}, "de", cooperation.ErrChoice},
	} {
		fe := c.text.Check()
		require.NotNil(t, fe, "%+v", c.text)
		require.Equal(t, c.field, fe.Field)
		require.Equal(t, c.key, fe.Key)
	}
	require.Nil(t, programme.Text{Original: "es", In: map[string]string{"es": "Datos", "en": "Data"}}.Check())
}

// A translation may give some fields and not others, as a programme file
// may: an empty title is no title in that language, never an empty text.
func TestTranslationOfSomeFields(t *testing.T) {
	ts, err := operations.TranslatedTexts("pt", "Dados abertos", "Portal compartilhado", nil,
		[]operations.Translation{{Language: "en", Description: "Shared portal"}})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"pt": "Dados abertos"}, ts["title"].In)
	require.Equal(t, map[string]string{"pt": "Portal compartilhado", "en": "Shared portal"}, ts["description"].In)
}
