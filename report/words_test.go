package report

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
	portal "github.com/bienal/bienal/web/messages"
)

// usedKeys are the keys of every word the report prints: its own
// catalogue, the portal's words its templates and code name, and the
// portal's status words it prints by prefix.
func usedKeys(t *testing.T) []string {
	t.Helper()
	keys := map[string]bool{}
	for k := range messages["en"] {
		keys[k] = true
	}
	named := regexp.MustCompile(`\b(?:T|Cap)[ (]+"([a-z_]+)"`)
	var sources []string
	for _, pattern := range []string{"*.go", "templates/*.tmpl", "templates/docx/*.xml"} {
		files, err := filepath.Glob(pattern)
		require.NoError(t, err)
		sources = append(sources, files...)
	}
	for _, f := range sources {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range named.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], "_") { // a prefix, as "rs_" + status: its words are added below
				keys[m[1]] = true
			}
		}
	}
	for k := range portal.All()["en"] {
		for _, prefix := range []string{"rs_", "ts_", "st_", "cs_"} {
			if strings.HasPrefix(k, prefix) {
				keys[k] = true
			}
		}
	}
	require.Greater(t, len(keys), 80)
	return slices.Sorted(maps.Keys(keys))
}

// TestEveryLabelInEveryLanguage fails for a word the report prints that a
// language lacks: the reader would see [[key]].
func TestEveryLabelInEveryLanguage(t *testing.T) {
	for _, k := range usedKeys(t) {
		for _, lang := range Languages {
			_, own := messages[lang][k]
			_, shared := portal.Text(lang, k)
			if !own && !shared {
				t.Errorf("key %q has no %s text (report/messages/%s.json, or web/messages/%s.json for a word the portal owns)", k, lang, lang, lang)
			}
		}
	}
}

// TestOneOwnerPerWord: a word is either the report's or the portal's, never
// both, so that a correction made once shows everywhere.
func TestOneOwnerPerWord(t *testing.T) {
	portalTexts := map[string]string{}
	for k, v := range portal.All()["en"] {
		portalTexts[v] = k
	}
	for k, v := range messages["en"] {
		_, dup := portal.Text("en", k)
		require.False(t, dup, "key %q is both the report's and the portal's", k)
		if owner, ok := portalTexts[v]; ok {
			t.Errorf("report key %q repeats the portal's %q (%q): use the portal's", k, owner, v)
		}
	}
}

// TestCatalogueFiles keeps the report's catalogues as the portal's are
// kept: the same keys in every language, sorted, each once.
func TestCatalogueFiles(t *testing.T) {
	names, err := fs.Glob(messageFiles, "messages/*.json")
	require.NoError(t, err)
	require.Len(t, names, len(Languages))
	for _, n := range names {
		b, err := fs.ReadFile(messageFiles, n)
		require.NoError(t, err)
		dec := json.NewDecoder(bytes.NewReader(b))
		_, err = dec.Token()
		require.NoError(t, err)
		var keys []string
		for dec.More() {
			k, err := dec.Token()
			require.NoError(t, err)
			keys = append(keys, k.(string))
			_, err = dec.Token()
			require.NoError(t, err)
		}
		require.True(t, slices.IsSorted(keys), "%s: keys sorted", n)
		require.Equal(t, len(keys), len(slices.Compact(slices.Clone(keys))), "%s: each key once", n)
		require.ElementsMatch(t, slices.Collect(maps.Keys(messages["en"])), keys, "%s: the same keys as en.json", n)
	}
}

// TestNoEnglishInOtherLanguages renders the report in each language and
// format and finds none of the English words that language writes
// otherwise, nor a key without its text.
func TestNoEnglishInOtherLanguages(t *testing.T) {
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	reporttest.SeedEvidence(t, pool)
	d, err := s.LoadReportData(context.Background(), reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	r := Build(d)
	keys := usedKeys(t)
	w := words{Lang: "en"}
	for _, lang := range Languages {
		for _, format := range []string{"html", "md", "csv"} {
			var b bytes.Buffer
			require.NoError(t, Write(context.Background(), &b, r, lang, format))
			out := b.String()
			require.NotContains(t, out, "[[", "%s %s: a key without its text", lang, format)
			if format == "html" {
				// What a reader sees: no style sheet, no class names.
				out = regexp.MustCompile(`(?s)<style>.*</style>|<[^>]*>`).ReplaceAllString(out, " ")
			}
			if lang == "en" {
				continue
			}
			for _, k := range keys {
				translated, english := words{Lang: lang}.T(k), w.T(k)
				if translated == english || len(english) < 4 {
					continue // the same in both languages, or too short to tell (No, Sí)
				}
				if regexp.MustCompile(`\b` + regexp.QuoteMeta(english) + `\b`).MatchString(out) {
					t.Errorf("%s %s: English %q (%s) where %s writes %q", lang, format, english, k, lang, translated)
				}
			}
		}
	}
}
