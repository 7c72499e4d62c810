package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCommitteeReadsTheTitleInItsLanguage: the proposal's title was
// written in English and translated into French. Each member's vote request
// and the proposer's decision give it in their language where it was
// given, else as written, said to be the original.
func TestCommitteeReadsTheTitleInItsLanguage(t *testing.T) {
	h := newHarness(t, "proposed", "EC")
	_, err := h.pool.Exec(h.ctx, `INSERT INTO programme_text (biennium, subject, field, original_language, language, body) VALUES
		('2017-2018', 'activity/G1A1', 'title', 'en', 'en', 'Regional digital agenda'),
		('2017-2018', 'activity/G1A1', 'title', 'en', 'fr', 'Agenda numérique régional')`)
	require.NoError(t, err)
	for i, m := range []string{chair, "mx@mx.gob", "br@br.gov", "ar@ar.gob"} {
		h.vote(time.Duration(i+1)*time.Hour, m, DecisionApprove, "v-"+m)
	}
	h.signal(6*time.Hour, SignalComplete, CompleteSignal{By: "fp@ec.gob", Statement: "Done."})
	h.run()

	fr := h.mailText("vote_request/2017-2018/G1A1/1/ht@ht.gouv")
	require.Contains(t, fr, "Agenda numérique régional")
	require.NotContains(t, fr, "Regional digital agenda")
	require.Contains(t, h.mailText("vote_request/2017-2018/G1A1/1/jm@jm.gov"), `"Regional digital agenda"`)
	require.NotContains(t, h.mailText("vote_request/2017-2018/G1A1/1/jm@jm.gov"), "(original")
	require.Contains(t, h.mailText("vote_request/2017-2018/G1A1/1/br@br.gov"), "Regional digital agenda (original em inglês)")
	var decision string
	require.NoError(t, h.pool.QueryRow(h.ctx, `SELECT body_text FROM email WHERE kind = 'decision' AND recipient = 'fp@ec.gob'`).Scan(&decision))
	require.Contains(t, decision, "Regional digital agenda (original en inglés)")
}
