package programme

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// multilingual is the small programme with its texts in several languages:
// the title and goal in a mapping, an activity's title, description and one
// expected output in mappings, another output a plain string.
func multilingual(t *testing.T) string {
	t.Helper()
	s := small(t)
	s = strings.Replace(s, "title: A small programme",
		"title: {es: Un programa pequeño, en: A small programme, original_language: es}", 1)
	s = strings.Replace(s, "    title: Goal one", "    title: {es: Objetivo uno, fr: Objectif un, original_language: es}", 1)
	s = strings.Replace(s, "    title: First activity\n", `    title: {es: Red de parques, en: Network of parks, pt: Rede de parques, fr: Réseau de parcs, original_language: es}
    description:
      en: "Parks that share\nwhat they learn."
      original_language: en
    expected_outputs:
      - {es: Carta de la red, en: Network charter, original_language: es}
      - Two workshops
`, 1)
	return s
}

func TestTextsInSeveralLanguages(t *testing.T) {
	f, err := Parse([]byte(multilingual(t)))
	require.NoError(t, err)
	require.Equal(t, "Un programa pequeño", f.Title, "the plain field holds the original")
	require.Equal(t, Texts{"title": {Original: "es", In: map[string]string{"es": "Un programa pequeño", "en": "A small programme"}}}, f.Texts)
	require.Equal(t, "Objetivo uno", f.Goals[0].Title)
	require.Equal(t, "Objectif un", f.Goals[0].Texts["title"].In["fr"])
	require.Nil(t, f.LinesOfAction[0].Texts, "a plain string has no texts")

	a := f.Activities[0]
	require.Equal(t, "Red de parques", a.Title)
	require.Equal(t, "Parks that share\nwhat they learn.", a.Description)
	require.Equal(t, []string{"Carta de la red", "Two workshops"}, a.ExpectedOutputs)
	require.Equal(t, "Réseau de parcs", a.Texts["title"].In["fr"])
	require.Equal(t, "en", a.Texts["description"].Original)
	require.Equal(t, "Network charter", a.Texts[OutputField(0)].In["en"])
	_, second := a.Texts[OutputField(1)]
	require.False(t, second, "the plain output has no texts")

	// A proposal file takes the same forms.
	p, err := ParseActivity([]byte("biennium: \"2017-2018\"\ngoal: 1\nline_of_action: 1\nlead: CL\n" +
		"title: {pt: Rede de dados, es: Red de datos, original_language: pt}\ndescription: Datos abiertos\n" +
		"starts_on: 2017-01-01\nends_on: 2017-12-31\n"))
	require.NoError(t, err)
	require.Equal(t, "Rede de dados", p.Title)
	require.Equal(t, "Red de datos", p.Texts["title"].In["es"])
}

// TestTextRefusals: a language outside the four, a mapping without its
// original language or without a text in it, and an empty text are
// refused with their line, and nothing is read.
func TestTextRefusals(t *testing.T) {
	for name, c := range map[string]struct{ title, want string }{
		"unknown language":        {"{es: Red, de: Netz, original_language: es}", "activities[0].title.de: unknown field (expected one of es, en, pt, fr, original_language)"},
		"no original language":    {"{es: Red, en: Network}", "activities[0].title.original_language: required: the language this text was first written in"},
		"original not a language": {"{es: Red, original_language: de}", `activities[0].title.original_language: unknown language "de"`},
		"original without text":   {"{es: Red, en: Network, original_language: pt}", "activities[0].title.original_language: pt: no text in pt here"},
		"empty text":              {"{es: '', en: Network, original_language: en}", "activities[0].title.es: required, and empty"},
		"empty mapping":           {"{}", "activities[0].title: a text in at least one of es, en, pt, fr"},
		"a list":                  {"[Red, Network]", "activities[0].title: expected a single value, found a list"},
	} {
		s := strings.Replace(small(t), "    title: First activity", "    title: "+c.title, 1)
		f, err := Parse([]byte(s))
		require.Nil(t, f, name)
		var errs Errors
		require.True(t, errors.As(err, &errs), name)
		require.Contains(t, err.Error(), c.want, name)
		require.Contains(t, err.Error(), "line 25:", name)
	}
}
