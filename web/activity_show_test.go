package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The activity page shows what the proposal plans, the lead apart from the
// participants, and a timeline in words, in the reader's time zone.
func TestActivityPageInWords(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `UPDATE person SET time_zone = 'America/Santiago' WHERE email = 'ana@example.org';
		UPDATE activity SET description = 'A shared agenda for the region.', expected_outputs = '{"A study","A workshop"}',
			starts_on = '2017-03-01', ends_on = '2018-06-30' WHERE code = 'A1';
		INSERT INTO activity_country (biennium, code, country, role) VALUES ('2017-2018', 'A1', 'MX', 'participant');
		INSERT INTO audit_log (at, actor, subject, action, detail) VALUES
			('2026-03-02 14:30Z', 'system', 'activity/2017-2018/A1', 'vote_counted', '{"round": 1, "decision": "approve", "member": "m@example.org"}'),
			('2026-03-03 12:00Z', 'system', 'activity/2017-2018/A1', 'approved', '{"round": 1, "outcome": "approve"}')`)
	require.NoError(t, err)
	r := f.get("/activities/2017-2018/A1?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<dd id="lead">Chile</dd>`)
	require.Contains(t, r.body, `<dd id="participants">Mexico</dd>`, "the participants apart from the lead")
	require.Contains(t, r.body, `<p class="text" id="description">A shared agenda for the region.</p>`)
	require.Contains(t, r.body, `<ul id="outputs"><li>A study</li><li>A workshop</li></ul>`)
	require.Contains(t, r.body, "2 March 2026, 11:30 (America/Santiago)</time> · vote counted (Round 1, Approve) · bienal (automatically)",
		"the timeline in words and in Ana's time zone")
	require.Contains(t, r.body, "3 March 2026, 09:00 (America/Santiago)</time> · approved (Round 1, approved)")
	require.NotContains(t, r.body, "vote_counted")
}
