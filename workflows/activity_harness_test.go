package workflows

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

const testBiennium = "2017-2018"

// The committee of the fixtures: a Chair and six members, in four languages.
var (
	chair   = "chair@cl.gob"
	members = []string{"mx@mx.gob", "br@br.gov", "ar@ar.gob", "co@co.gov", "ht@ht.gouv", "jm@jm.gov"}
)

const seedSQL = `
INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programa bienal 2017-2018');
INSERT INTO goal VALUES ('2017-2018', 1, 'Goal one');
INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line one');
INSERT INTO country VALUES ('CL','Chile'),('MX','Mexico'),('BR','Brazil'),('AR','Argentina'),('CO','Colombia'),
	('HT','Haiti'),('JM','Jamaica'),('EC','Ecuador');
INSERT INTO person (email, name, language, country) VALUES
	('chair@cl.gob','Chair','es','CL'),('mx@mx.gob','Mexico member','es','MX'),('br@br.gov','Brazil member','pt','BR'),
	('ar@ar.gob','Argentina member','es','AR'),('co@co.gov','Colombia member','es','CO'),('ht@ht.gouv','Haiti member','fr','HT'),
	('jm@jm.gov','Jamaica member','en','JM'),('fp@ec.gob','Ecuador focal point','es','EC'),('fp@mx.gob','Mexico focal point','en','MX'),
	('stranger@example.org','Stranger','en',NULL);
INSERT INTO committee_member (biennium, email, country, role) VALUES
	('2017-2018','chair@cl.gob','CL','chair'),('2017-2018','mx@mx.gob','MX','member'),('2017-2018','br@br.gov','BR','member'),
	('2017-2018','ar@ar.gob','AR','member'),('2017-2018','co@co.gov','CO','member'),('2017-2018','ht@ht.gouv','HT','member'),
	('2017-2018','jm@jm.gov','JM','member');
INSERT INTO focal_point VALUES ('2017-2018','EC','fp@ec.gob'),('2017-2018','MX','fp@mx.gob');
`

// harness runs the activity workflow in the SDK's time-skipping test
// environment with the real activities over a fresh database.
type harness struct {
	t    *testing.T
	ctx  context.Context
	env  *testsuite.TestWorkflowEnvironment
	s    *store.Store
	pool *pgxpool.Pool
	code string
}

// newHarness seeds the committee and one activity led by lead, with the
// given participants, in status.
func newHarness(t *testing.T, status, lead string, participants ...string) *harness {
	t.Parallel()
	s, pool := storetest.New(t)
	h := &harness{t: t, ctx: context.Background(), s: s, pool: pool, code: "G1A1"}
	_, err := pool.Exec(h.ctx, seedSQL)
	require.NoError(t, err)
	proposer := map[string]string{"EC": "fp@ec.gob", "MX": "fp@mx.gob"}[lead]
	_, err = pool.Exec(h.ctx, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title,
			description, expected_outputs, proposed_by, status)
		VALUES ($1, $2, 1, 1, $3, 'Regional digital agenda', 'A workshop.', '{"One report"}', $4, $5)`,
		testBiennium, h.code, lead, proposer, status)
	require.NoError(t, err)
	for _, c := range append([]string{lead}, participants...) {
		role := "participant"
		if c == lead {
			role = "lead"
		}
		_, err = pool.Exec(h.ctx, `INSERT INTO activity_country VALUES ($1, $2, $3, $4)`, testBiennium, h.code, c, role)
		require.NoError(t, err)
	}
	h.newEnv()
	return h
}

// newEnv gives the harness a fresh test environment over the same database.
func (h *harness) newEnv() {
	var suite testsuite.WorkflowTestSuite
	h.env = suite.NewTestWorkflowEnvironment()
	h.env.SetTestTimeout(30 * time.Second)
	h.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{activities.Interceptor()}})
	h.env.RegisterWorkflowWithOptions(Activity, workflow.RegisterOptions{Name: ActivityWorkflowName})
	h.env.RegisterActivity(&activities.Activities{Store: h.s, BaseURL: "https://bienal.example"})
}

// at runs fn d after the workflow starts (on the skipped clock).
func (h *harness) at(d time.Duration, fn func()) { h.env.RegisterDelayedCallback(fn, d) }

func (h *harness) signal(d time.Duration, name string, payload any) {
	h.at(d, func() { h.env.SignalWorkflow(name, payload) })
}

// vote signals member's vote at d as the portal and the CLI send it: the
// seat member holds and member's ID.
func (h *harness) vote(d time.Duration, member, decision, voteID string) {
	h.signal(d, SignalVote, h.ballot(member, decision, voteID))
}

// ballot is member's vote (an address of the fixtures) as the front doors
// send it: their seat and their person's ID (with no seat for a person who
// holds none).
func (h *harness) ballot(member, decision, voteID string) VoteSignal {
	v := VoteSignal{VoteID: voteID, Member: member, Decision: decision, Comment: "comment of " + strings.Split(member, "@")[0]}
	var id, seat string
	err := h.pool.QueryRow(h.ctx, `SELECT p.id, COALESCE(d.country, '') FROM person p
		LEFT JOIN seat_delegate d ON d.email = p.email WHERE p.email = $1`, member).Scan(&id, &seat)
	if err == nil {
		v.Seat, v.Member = seat, id
	}
	return v
}

// run executes the workflow to its end and returns its result.
func (h *harness) run() ActivityResult {
	h.env.ExecuteWorkflow(Activity, ActivityInput{Biennium: testBiennium, Code: h.code})
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var res ActivityResult
	require.NoError(h.t, h.env.GetWorkflowResult(&res))
	return res
}

func (h *harness) state() ActivityState {
	v, err := h.env.QueryWorkflow(QueryState)
	require.NoError(h.t, err)
	var st ActivityState
	require.NoError(h.t, v.Get(&st))
	return st
}

// snapshotAt keeps the state query's answer at d.
func (h *harness) snapshotAt(d time.Duration) *ActivityState {
	st := &ActivityState{}
	h.at(d, func() { *st = h.state() })
	return st
}

func (h *harness) status() string {
	var s string
	require.NoError(h.t, h.pool.QueryRow(h.ctx, `SELECT status FROM activity WHERE code = $1`, h.code).Scan(&s))
	return s
}

// actions lists the audit log's actions about the activity, oldest first.
func (h *harness) actions() []string {
	entries, err := h.s.AuditLog(h.ctx, store.ActivityRef(testBiennium, h.code))
	require.NoError(h.t, err)
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Action
	}
	return out
}

// refusals lists the reasons of refused votes and signals, oldest first.
func (h *harness) refusals() []string {
	rows, err := h.pool.Query(h.ctx, `SELECT detail->>'reason' FROM audit_log
		WHERE action IN ('vote_refused', 'signal_refused') ORDER BY id`)
	require.NoError(h.t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(h.t, err)
	return out
}

// mails returns the recipients of the queued e-mails of one kind, sorted.
func (h *harness) mails(kind string) []string {
	rows, err := h.pool.Query(h.ctx, `SELECT recipient FROM email WHERE kind = $1 ORDER BY recipient, id`, kind)
	require.NoError(h.t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(h.t, err)
	return out
}

func (h *harness) mailText(key string) string {
	var text string
	require.NoError(h.t, h.pool.QueryRow(h.ctx, `SELECT body_text FROM email WHERE dedup_key = $1`, key).Scan(&text))
	return text
}

func (h *harness) votes() []store.Vote {
	v, err := h.s.ListVotes(h.ctx, testBiennium, h.code)
	require.NoError(h.t, err)
	return v
}

func (h *harness) rounds() []store.Round {
	r, err := h.s.ListRounds(h.ctx, testBiennium, h.code)
	require.NoError(h.t, err)
	return r
}

func committee() []string {
	all := append([]string{chair}, members...)
	slices.Sort(all)
	return all
}
