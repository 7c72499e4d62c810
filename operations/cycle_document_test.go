package operations_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/programme"
)

func ptr(s string) *string { return &s }

// TestOpenCycleWithDocument opens a cycle with its front matter, and
// refuses a bad symbol, distribution or language before anything is
// stored or started.
func TestOpenCycleWithDocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ops, pool, tc := service(t)

	_, err := ops.OpenCycle(ctx, operations.CycleRequest{Biennium: "2017-2018", Name: "final", Due: "2026-06-30",
		Symbol: ptr("LC/L 4221"), Distribution: ptr("secret"), OriginalLanguage: ptr("de")})
	require.Equal(t, map[string]string{"symbol": "err_symbol", "distribution": "err_choice", "original_language": "err_choice"}, fields(t, err))
	require.Zero(t, count(t, pool, "reporting_cycle WHERE name = 'final'"), "nothing stored")
	require.Empty(t, tc.Started(), "nothing started")

	c, err := ops.OpenCycle(ctx, operations.CycleRequest{Biennium: "2017-2018", Name: "final", Due: "2026-06-30",
		Symbol: ptr("LC/L.4221(CCITIC.2/4)"), Distribution: ptr("GENERAL"), OriginalLanguage: ptr("en")})
	require.NoError(t, err)
	require.Equal(t, "final", c.Name)
	require.Equal(t, 1, count(t, pool, `reporting_cycle WHERE name = 'final' AND symbol = 'LC/L.4221(CCITIC.2/4)'
		AND distribution = 'general' AND original_language = 'en' AND revision = 0`))
	require.Len(t, tc.Started(), 1)

	// Opened without one, the front matter keeps its defaults.
	_, err = ops.OpenCycle(ctx, operations.CycleRequest{Biennium: "2017-2018", Name: "extra", Due: "2026-06-30"})
	require.NoError(t, err)
	require.Equal(t, 1, count(t, pool, `reporting_cycle WHERE name = 'extra' AND symbol = '' AND distribution = 'limited'
		AND original_language IS NULL`))
}

// TestSetCycleDocument changes the front matter, audited once; every bad
// field is named, and a refused request changes nothing, a lower revision
// included.
func TestSetCycleDocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ops, pool, _ := service(t)
	set := func(r operations.CycleDocumentRequest) (operations.CycleDocumentSet, error) {
		r.Biennium, r.Name, r.By = "2017-2018", "mid", "ana@cepal.org"
		return ops.SetCycleDocument(ctx, r)
	}
	stored := func() string {
		var s string
		require.NoError(t, pool.QueryRow(ctx, `SELECT symbol || '|' || distribution || '|' || revision || '|' ||
			coalesce(original_language, '-') FROM reporting_cycle WHERE name = 'mid'`).Scan(&s))
		return s
	}

	_, err := set(operations.CycleDocumentRequest{Symbol: ptr("LC/L.4221/Rev.1"), Distribution: ptr("public"),
		Revision: ptr("-1"), OriginalLanguage: ptr("xx")})
	require.Equal(t, map[string]string{"symbol": "err_symbol", "distribution": "err_choice", "revision": "err_revision",
		"original_language": "err_choice"}, fields(t, err))
	require.Equal(t, "|limited|0|-", stored())

	doc, err := set(operations.CycleDocumentRequest{Symbol: ptr("LC/L.4221(CCITIC.2/4)"), Revision: ptr("2")})
	require.NoError(t, err)
	require.True(t, doc.Changed)
	require.Equal(t, "LC/L.4221(CCITIC.2/4)/Rev.2", doc.RevisedSymbol())
	require.Equal(t, "LC/L.4221(CCITIC.2/4)|limited|2|-", stored())
	again, err := set(operations.CycleDocumentRequest{Symbol: ptr("LC/L.4221(CCITIC.2/4)"), Revision: ptr("2")})
	require.NoError(t, err)
	require.False(t, again.Changed, "the same request twice changes nothing")
	require.Equal(t, 1, count(t, pool, `audit_log WHERE subject = 'cycle/2017-2018/mid' AND action = 'cycle_document_set'
		AND actor = 'ana@cepal.org' AND detail->>'symbol' = 'LC/L.4221(CCITIC.2/4)' AND (detail->>'revision')::int = 2`))

	_, err = set(operations.CycleDocumentRequest{Revision: ptr("1"), Distribution: ptr("general")})
	require.Equal(t, map[string]string{"revision": "err_revision_lower"}, fields(t, err))
	require.ErrorContains(t, err, "revision: 1 is lower than the revision already issued, 2")
	require.Equal(t, "LC/L.4221(CCITIC.2/4)|limited|2|-", stored(), "nothing of a refused request is kept")

	_, err = ops.SetCycleDocument(ctx, operations.CycleDocumentRequest{Biennium: "2017-2018", Name: "nope", Revision: ptr("1")})
	require.ErrorContains(t, err, "not found")
}

// TestReportRequest refuses a language or a format the report is not
// written in, before reading anything.
func TestReportRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ops, _, _ := service(t)
	_, err := ops.Report(ctx, operations.ReportRequest{Biennium: "2017-2018", Name: "mid", Lang: "de", Format: "rtf"})
	require.Equal(t, map[string]string{"lang": "err_choice", "format": "err_choice"}, fields(t, err))

	r, err := ops.Report(ctx, operations.ReportRequest{Biennium: "2017-2018", Name: "mid", Format: "md"})
	require.NoError(t, err)
	require.Equal(t, "es", r.Lang, "no secretariat user yet: Spanish")
	require.Equal(t, "report-2017-2018-mid-es.md", r.FileName)
	require.Contains(t, string(r.Body), "5 de marzo de 2026", "an open cycle's report is dated today")
	require.Contains(t, string(r.Body), "Provisional")
}

// TestProposalTexts keeps a proposal's texts in other languages, and
// refuses those that do not translate what the proposal says.
func TestProposalTexts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ops, pool, _ := service(t)
	req := proposal()
	req.Texts = programme.Texts{"title": {Original: "en", In: map[string]string{"en": req.Title, "es": "Red de datos abiertos"}}}
	_, err := ops.Propose(ctx, req)
	require.NoError(t, err)
	require.Equal(t, 1, count(t, pool, `programme_text WHERE field = 'title' AND language = 'es' AND body = 'Red de datos abiertos'
		AND original_language = 'en'`))

	bad := proposal()
	bad.Texts = programme.Texts{
		"title":              {Original: "de", In: map[string]string{"de": "Offene Daten"}},
		"expected_outputs/9": {Original: "en", In: map[string]string{"en": "x"}},
	}
	_, err = ops.Propose(ctx, bad)
	require.ErrorContains(t, err, `title: unknown language "de" (expected es, en, pt or fr)`)
	require.ErrorContains(t, err, `"expected_outputs/9" is not a field with a text`)
	require.Equal(t, 2, count(t, pool, "programme_text"), "nothing more stored than the first proposal's two")
}
