package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// handover composes a plain message, as mail.HandoverMail does in full.
func handover(h store.Handover) (store.Email, error) {
	var refs []string
	for _, it := range h.Items {
		refs = append(refs, it.Subject+" "+it.Ref)
	}
	return store.Email{Language: h.To.Language, Kind: "handover", Subject: "handover", Text: strings.Join(refs, "\n")}, nil
}

// A re-import whose file names another focal point for Argentina and another
// principal, with an alternate, for its seat applies the file and hands the
// open items over as a replacement does, and says what it changed; a file
// that drops a seat with open votes is refused, changing nothing.
func TestImportHandsOverWhatItChanges(t *testing.T) {
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := s.ImportProgramme(ctx, exampleFile(t, nil))
	require.NoError(t, err)
	now := time.Date(2018, 3, 1, 12, 0, 0, 0, time.UTC)
	_, err = pool.Exec(ctx, `
		INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status) VALUES ('2017-2018', 'mid', '2018-04-01', '2018-05-01', 'open');
		INSERT INTO report_task (biennium, cycle, code, country, due_on, status) VALUES ('2017-2018', 'mid', 'G1A1', 'AR', '2018-04-01', 'open');
		UPDATE activity SET status = 'under_review', round = 1 WHERE code = 'G3A3';
		INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at) VALUES ('2017-2018', 'G3A3', 1, 1, '2018-02-25', '2018-03-10');
		INSERT INTO round_seat (biennium, code, round, country, role) VALUES ('2017-2018', 'G3A3', 1, 'AR', 'member'), ('2017-2018', 'G3A3', 1, 'CR', 'chair')`)
	require.NoError(t, err)
	oldTask, err := s.CreateLink(ctx, store.PurposeReport, "task/2017-2018/mid/G1A1/AR", "focal.ar@example.org", now.AddDate(0, 3, 0))
	require.NoError(t, err)
	oldVote, err := s.CreateLink(ctx, store.PurposeVote, "activity/2017-2018/G3A3", "committee.ar@example.org", now.AddDate(0, 0, 9))
	require.NoError(t, err)

	res, err := s.ImportProgrammeWith(ctx, exampleFile(t, func(src string) string {
		src = strings.Replace(src, "name: Lucía Fernández, email: focal.ar@example.org", "name: Ana Paz, email: paz.ar@example.org", 1)
		src = strings.ReplaceAll(src, "proposed_by: focal.ar@example.org", "proposed_by: paz.ar@example.org")
		return strings.Replace(src, "name: Diego Martínez, email: committee.ar@example.org, language: es, time_zone: America/Argentina/Buenos_Aires, term_start: 2016-09-13, term_end: 2018-12-31}",
			"name: Eva Luna, email: luna.ar@example.org, language: es, time_zone: America/Argentina/Buenos_Aires, term_start: 2016-09-13, term_end: 2018-12-31, "+
				"alternates: [{name: Diego Martínez, email: committee.ar@example.org, language: es, time_zone: America/Argentina/Buenos_Aires}]}", 1)
	}), store.ImportOptions{Handover: handover, Now: now})
	require.NoError(t, err)
	require.Contains(t, res.People, "focal point of AR: paz.ar@example.org added in the place of focal.ar@example.org (1 open items handed over)")
	require.Contains(t, res.People, "committee seat of AR: luna.ar@example.org is its principal (1 open votes handed over)")
	require.Contains(t, res.People, "committee seat of AR: committee.ar@example.org is its alternate")
	_, err = s.LookupLink(ctx, oldTask, now)
	require.ErrorIs(t, err, store.ErrLinkInvalid, "the old focal point's link stopped")
	_, err = s.LookupLink(ctx, oldVote, now)
	require.NoError(t, err, "the former principal stays on the seat as its alternate, link and all")
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM email WHERE kind = 'handover'
		AND recipient IN ('paz.ar@example.org', 'luna.ar@example.org')`).Scan(&n))
	require.Equal(t, 2, n, "the new focal point and the new principal; the former principal, now alternate, keeps their links")
	seat, who, err := s.RoundVoter(ctx, "2017-2018", "G3A3", 1, "committee.ar@example.org", "", now)
	require.NoError(t, err)
	require.Equal(t, "AR", seat.Country)
	require.Equal(t, "alternate", who.Kind)

	before := tableCounts(t, pool)
	_, err = s.ImportProgrammeWith(ctx, exampleFile(t, func(src string) string {
		i := strings.Index(src, "  - {role: member, country: AR")
		j := i + strings.Index(src[i:], "\n") + 1
		return src[:i] + src[j:]
	}), store.ImportOptions{Handover: handover, Now: now})
	require.ErrorContains(t, err, "the seat of AR has open votes (activity/2017-2018/G3A3)")
	require.Equal(t, before, tableCounts(t, pool), "nothing changed")
}
