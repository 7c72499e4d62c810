package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

func (f *fixture) openRound(closes time.Time) string {
	f.t.Helper()
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `UPDATE activity SET status = 'under_review', round = 1 WHERE code = 'A1'`)
	require.NoError(f.t, err)
	_, err = f.pool.Exec(ctx, `INSERT INTO review_round (biennium, code, round, version, opened_at, closes_at)
		VALUES ('2017-2018', 'A1', 1, 1, $1, $2)`, now.Add(-24*time.Hour), closes)
	require.NoError(f.t, err)
	// Mexico's focal point also holds Mexico's committee seat.
	_, err = f.pool.Exec(ctx, `INSERT INTO committee_seat (biennium, country, role) VALUES ('2017-2018', 'MX', 'member');
		INSERT INTO seat_delegate (biennium, country, email, kind) VALUES ('2017-2018', 'MX', 'fp.mx@example.org', 'principal');
		INSERT INTO round_seat (biennium, code, round, country, role) VALUES ('2017-2018', 'A1', 1, 'MX', 'member')`)
	require.NoError(f.t, err)
	return f.link(store.PurposeVote, store.ActivityRef("2017-2018", "A1"), "fp.mx@example.org", closes)
}

func TestVoteSentOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.openRound(now.Add(7 * 24 * time.Hour))
	r := f.get("/vote/" + token)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Votação do Comitê", "the member reads Portuguese")
	csrf := f.formToken("/l/" + token)
	form := url.Values{"csrf": {csrf}, "decision": {"approve"}, "comment": {"Sound plan."}}
	for range 2 {
		r = f.post("/l/"+token+"/vote", form)
		require.Equal(t, http.StatusOK, r.status, r.body)
		require.Contains(t, r.body, "Votos até agora")
	}
	sent := f.temporal.sent()
	require.Len(t, sent, 1, "a double click is one vote")
	v := sent[0].Arg.(workflows.VoteSignal)
	require.Equal(t, workflows.ActivityID("2017-2018", "A1"), sent[0].WorkflowID)
	require.Equal(t, workflows.UpdateVote, sent[0].Name)
	require.Equal(t, f.personID("fp.mx@example.org"), v.Member, "the voter by ID, not by address")
	require.Equal(t, "MX", v.Seat, "the vote is the seat's")
	require.Equal(t, "approve", v.Decision)
	require.True(t, strings.HasPrefix(v.VoteID, "web-"))
}

func TestVoteAfterRoundClosedRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.openRound(now.Add(time.Hour))
	csrf := f.formToken("/l/" + token)
	f.temporal.refusal = workflows.RefusalError("round_closed", "", true)
	r := f.post("/l/"+token+"/vote?lang=en", url.Values{"csrf": {csrf}, "decision": {"approve"}})
	require.Equal(t, http.StatusConflict, r.status)
	require.Contains(t, r.body, "This voting round is closed; your vote was not counted.", "the workflow's reason, in the member's language")
	r = f.post("/l/"+token+"/vote?lang=fr", url.Values{"csrf": {csrf}, "decision": {"approve"}})
	require.Contains(t, r.body, "Ce tour de vote est clos")
	r = f.post("/l/"+token+"/vote", url.Values{"csrf": {csrf}, "decision": {"abstain"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "a decision not offered is refused beside its field")
	require.Len(t, f.temporal.sent(), 1, "one vote, sent once")
	require.Zero(t, f.count("vote"))
}

// A refusal the workflow's validator makes is written to the audit log by
// the operation, since the workflow keeps no trace of it.
func TestVoteRefusedBeforeAdmissionIsAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.openRound(now.Add(time.Hour))
	csrf := f.formToken("/l/" + token)
	f.temporal.refusal = workflows.RefusalError("recused", "", false)
	r := f.post("/l/"+token+"/vote?lang=pt", url.Values{"csrf": {csrf}, "decision": {"approve"}})
	require.Equal(t, http.StatusConflict, r.status)
	require.Contains(t, r.body, "seu voto não foi contado")
	require.Equal(t, 1, f.count("audit_log WHERE action = 'vote_refused' AND subject = 'activity/2017-2018/A1' AND actor = 'fp.mx@example.org'"))
}

// The Chair's country leads the activity, so the Chair was recused from the
// round; when the period ends without a majority, the Chair's link still
// opens and sends the casting vote.
func TestRecusedChairCastsTheDecidingVote(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	token := f.openRound(now.Add(time.Hour))
	_, err := f.pool.Exec(ctx, `UPDATE round_seat SET role = 'chair', recused = true`)
	require.NoError(t, err)
	r := f.get("/vote/" + token)
	require.Equal(t, http.StatusNotFound, r.status, "a recused member has no vote while the round is open")

	_, err = f.pool.Exec(ctx, `UPDATE review_round SET closes_at = $1, awaiting_casting = true`, now.Add(-time.Minute))
	require.NoError(t, err)
	r = f.get("/vote/" + token)
	require.Equal(t, http.StatusOK, r.status, r.body)
	csrf := f.formToken("/l/" + token)
	r = f.post("/l/"+token+"/vote", url.Values{"csrf": {csrf}, "decision": {"approve"}, "comment": {"Casting vote."}})
	require.Equal(t, http.StatusOK, r.status, r.body)
	sent := f.temporal.sent()
	require.Len(t, sent, 1)
	require.Equal(t, workflows.UpdateCastingVote, sent[0].Name)
	require.Equal(t, f.personID("fp.mx@example.org"), sent[0].Arg.(workflows.VoteSignal).Member)
}

func (f *fixture) personID(email string) string {
	f.t.Helper()
	var id string
	require.NoError(f.t, f.pool.QueryRow(context.Background(), `SELECT id FROM person WHERE email = $1`, email).Scan(&id))
	return id
}
