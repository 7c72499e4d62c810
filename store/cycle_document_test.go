package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// TestReportSnapshot keeps a closed cycle's report as it closed, under
// whatever front matter it is given later; a revision takes the rows again.
func TestReportSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	b, n := reporttest.Biennium, reporttest.Cycle
	progress := func(d store.ReportData) string { return d.Goals[0].Activities[0].Tasks[0].Submission.Progress }

	kept, err := s.HasReportSnapshot(ctx, b, n)
	require.NoError(t, err)
	require.False(t, kept)
	d, err := s.ReportDocument(ctx, b, n)
	require.NoError(t, err, "with no snapshot, the rows as they stand")
	require.Equal(t, "Charter signed by four parks", progress(d))
	require.Equal(t, "es", d.Cycle.OriginalLanguage, "ana (es) and bob (en) tie: Spanish first")
	require.False(t, d.Cycle.OwnLanguage)
	require.Equal(t, cooperation.DistributionLimited, d.Cycle.Distribution)

	require.NoError(t, s.SaveReportSnapshot(ctx, b, n))
	_, err = pool.Exec(ctx, `UPDATE submission SET progress = 'Corrected after closing' WHERE code = 'A1.2' AND country = 'BR' AND version = 2`)
	require.NoError(t, err)
	d, err = s.ReportDocument(ctx, b, n)
	require.NoError(t, err)
	require.Equal(t, "Charter signed by four parks", progress(d), "the report stays as the cycle closed")

	doc, changed, err := s.SetCycleDocument(ctx, b, n, store.CycleDocumentChange{Symbol: ptr("LC/L.4221(CCITIC.2/4)"),
		Distribution: ptr(cooperation.DistributionGeneral), OriginalLanguage: ptr("en")})
	require.NoError(t, err)
	require.True(t, changed)
	require.Equal(t, "LC/L.4221(CCITIC.2/4)", doc.RevisedSymbol())
	d, err = s.ReportDocument(ctx, b, n)
	require.NoError(t, err)
	require.Equal(t, "Charter signed by four parks", progress(d), "a new symbol leaves the rows as they were")
	require.Equal(t, "LC/L.4221(CCITIC.2/4)", d.Cycle.Symbol, "the front matter is the current one")
	require.Equal(t, cooperation.DistributionGeneral, d.Cycle.Distribution)
	require.Equal(t, "en", d.Cycle.OriginalLanguage)
	require.True(t, d.Cycle.OwnLanguage)
	require.Nil(t, d.Cycle.RevisedAt)

	_, changed, err = s.SetCycleDocument(ctx, b, n, store.CycleDocumentChange{Symbol: ptr("LC/L.4221(CCITIC.2/4)")})
	require.NoError(t, err)
	require.False(t, changed, "the same change twice changes nothing")

	doc, changed, err = s.SetCycleDocument(ctx, b, n, store.CycleDocumentChange{Revision: ptr(1)})
	require.NoError(t, err)
	require.True(t, changed)
	require.Equal(t, "LC/L.4221(CCITIC.2/4)/Rev.1", doc.RevisedSymbol())
	require.NotNil(t, doc.RevisedAt)
	d, err = s.ReportDocument(ctx, b, n)
	require.NoError(t, err)
	require.Equal(t, "Corrected after closing", progress(d), "a revision carries what was corrected")
	require.Equal(t, 1, d.Cycle.Revision)

	// Back to the secretariat's language.
	doc, _, err = s.SetCycleDocument(ctx, b, n, store.CycleDocumentChange{OriginalLanguage: ptr("")})
	require.NoError(t, err)
	require.Equal(t, "es", doc.OriginalLanguage)
	require.False(t, doc.OwnLanguage)
}

// TestCycleDocumentRefusals: a lower revision is refused whole, and the
// database refuses what the document rules refuse, even from raw SQL.
func TestCycleDocumentRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	b, n := reporttest.Biennium, reporttest.Cycle

	_, _, err := s.SetCycleDocument(ctx, b, n, store.CycleDocumentChange{Revision: ptr(2), Symbol: ptr("LC/L.1")})
	require.NoError(t, err)
	_, _, err = s.SetCycleDocument(ctx, b, n, store.CycleDocumentChange{Revision: ptr(1), Symbol: ptr("LC/L.2")})
	require.ErrorIs(t, err, store.ErrInvalid)
	require.ErrorContains(t, err, "revision: 1 is lower than the revision already issued, 2")
	doc, err := s.GetCycleDocument(ctx, b, n)
	require.NoError(t, err)
	require.Equal(t, "LC/L.1/Rev.2", doc.RevisedSymbol(), "nothing of a refused change is kept")

	_, _, err = s.SetCycleDocument(ctx, b, "midterm", store.CycleDocumentChange{Revision: ptr(1)})
	require.ErrorIs(t, err, store.ErrNotFound)

	for _, q := range []string{
		`UPDATE reporting_cycle SET symbol = 'LC/L 4221' WHERE name = 'final'`,
		`UPDATE reporting_cycle SET distribution = 'secret' WHERE name = 'final'`,
		`UPDATE reporting_cycle SET revision = 100, revised_at = now() WHERE name = 'final'`,
		`UPDATE reporting_cycle SET revision = 0 WHERE name = 'final'`, // revised, so revised_at is set
		`UPDATE reporting_cycle SET original_language = 'de' WHERE name = 'final'`,
	} {
		_, err := pool.Exec(ctx, q)
		require.Error(t, err, q)
	}
}

func TestSecretariatLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	lang, err := s.SecretariatLanguage(ctx)
	require.NoError(t, err)
	require.Equal(t, "es", lang, "no secretariat yet: ECLAC's first language")
	reporttest.Seed(t, pool)
	_, err = pool.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ('carol@cepal.org', 'Carol', 'en');
		INSERT INTO secretariat_user (email) VALUES ('carol@cepal.org')`)
	require.NoError(t, err)
	lang, err = s.SecretariatLanguage(ctx)
	require.NoError(t, err)
	require.Equal(t, "en", lang, "two of three read English")
}
