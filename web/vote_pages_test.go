package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// roundTwo makes A1's review a second round on a revised text: its
// description changes one phrase, its outputs gain one.
func (f *fixture) roundTwo(closes time.Time) string {
	f.t.Helper()
	token := f.openRound(closes)
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `
		UPDATE activity SET starts_on = '2017-03-01', ends_on = '2018-06-30', expected_outputs = '{"One study","A workshop"}',
			description = 'A regional study of broadband prices in ten countries.', version = 2, round = 2;
		INSERT INTO activity_version (biennium, code, version, fields) VALUES
			('2017-2018', 'A1', 1, '{"title": "Digital agenda", "description": "A regional study of broadband prices in six countries.", "expected_outputs": ["One study"]}'),
			('2017-2018', 'A1', 2, '{"title": "Digital agenda", "description": "A regional study of broadband prices in ten countries.", "expected_outputs": ["One study", "A workshop"]}');
		INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at) SELECT biennium, code, 2, 2, opened_at, closes_at FROM review_round;
		INSERT INTO round_seat (biennium, code, round, country, role) VALUES ('2017-2018', 'A1', 2, 'MX', 'member');
		UPDATE person SET time_zone = 'America/Mexico_City' WHERE email = 'fp.mx@example.org'`)
	require.NoError(f.t, err)
	return token
}

// The vote page of a second round: the changed phrase marked within its
// paragraph, fields named in the member's language, the deadline with its
// hour and zone; a refused form keeps all of it.
func TestVotePageOfASecondRound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.roundTwo(time.Date(2026, 3, 12, 22, 43, 0, 0, time.UTC))
	r := f.get("/vote/" + token)
	require.Equal(t, http.StatusOK, r.status, r.body)
	for _, page := range []string{r.body, f.post("/l/"+token+"/vote", url.Values{"csrf": {f.formToken("/l/" + token)}, "decision": {"abstain"}}).body} {
		require.Contains(t, page, `<p class="changed">A regional study of broadband prices in <del>six</del><ins>ten</ins> countries.</p>`,
			"one phrase changed reads as that phrase, not a paragraph removed and added")
		require.Contains(t, page, "<h3>Produtos esperados</h3>", "the field named in Portuguese, not expected_outputs")
		require.NotContains(t, page, "<h3>description</h3>")
		require.NotContains(t, page, "<pre>", "the diff wraps")
		require.Contains(t, page, "12 de março de 2026, 16:43 (America/Mexico_City)", "the deadline's hour, in the member's zone")
		require.Contains(t, page, `<time datetime="2017-03-01">1 de março de 2017</time> – <time datetime="2018-06-30">30 de junho de 2018</time>`, "the period stays on a refused form")
		require.Contains(t, page, "<li>A workshop</li>", "and so do the outputs")
	}
}

// After voting, the tally lists seats by country and voters by name, under
// a heading that is not "Your decision".
func TestVoteTallyByNameAndCountry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.openRound(now.Add(7 * 24 * time.Hour))
	_, err := f.pool.Exec(context.Background(), `INSERT INTO vote (biennium, code, round, seat, member, vote_id, decision, cast_at)
		VALUES ('2017-2018', 'A1', 1, 'MX', 'fp.mx@example.org', 'v1', 'approve', now())`)
	require.NoError(t, err)
	r := f.post("/l/"+token+"/vote?lang=en", url.Values{"csrf": {f.formToken("/l/" + token)}, "decision": {"approve"}})
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<td data-label="Seat">Mexico</td><td data-label="Cast by">Focal Mexico</td>`)
	require.NotContains(t, r.body, "Your decision")
	require.NotContains(t, r.body, "fp.mx@example.org")
}

// Once the round is decided the member's link shows the outcome (410).
func TestDecidedRoundLinkShowsTheOutcome(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.openRound(now.Add(7 * 24 * time.Hour))
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `INSERT INTO vote (biennium, code, round, seat, member, vote_id, decision, cast_at)
		VALUES ('2017-2018', 'A1', 1, 'MX', 'fp.mx@example.org', 'v1', 'reject', now());
		UPDATE review_round SET outcome = 'reject', decided_by = 'majority', decided_at = now()`)
	require.NoError(t, err)
	_, err = f.store.RevokeLinks(ctx, store.ActivityRef("2017-2018", "A1"))
	require.NoError(t, err)
	r := f.get("/vote/" + token + "?lang=en")
	require.Equal(t, http.StatusGone, r.status, r.body)
	require.Contains(t, r.body, "<h1>The vote is over</h1>")
	require.Contains(t, r.body, "the proposal was rejected")
}
