package e2e

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/devserver"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// production is the layout of the README's "Run in production without
// Docker": a Temporal server on PostgreSQL (embedded in the test, with the
// schemas its SQL tool sets up), and bienal's parts as separate processes
// of the binary: `bienal migrate`, two `bienal worker`, two `bienal web`
// behind one public URL. Every pool is kept small: the test shares its
// PostgreSQL server.
type production struct {
	*crashStack
	temporalDB, visibilityDB, bienalDB string
	pg                                 devserver.PostgresStore
	webs                               []string
	parts                              []*part
	since                              time.Time
}

// phase logs how long the step just ended took: the test's figures.
func (p *production) phase(done string) {
	p.t.Logf("FIGURES %6.1f s: %s", time.Since(p.since).Seconds(), done)
	p.since = time.Now()
}

// The production layout, driven as an operator and the focal points would:
// two migrations at once, two workers, two webs; the programme, a proposal
// voted in, a cycle whose reports come through both webs; a worker killed
// with SIGKILL mid-cycle; then, mid-cycle, the README's backup (every part
// stopped, both stores dumped) and restore (fresh databases, the parts
// started on them), and the rest of the cycle through the restored
// deployment, with the e-mailed links sent before the backup, until the
// secretariat closes it. After each phase, every invariant of the crash
// tests holds.
func TestProductionLayoutBackupAndRestore(t *testing.T) {
	p := newProduction(t)
	p.since = time.Now()
	led := &ledger{votes: map[string]bool{}, submitted: map[string]bool{}}

	// Two migrations at once: the advisory lock makes one apply them.
	var wg sync.WaitGroup
	outs := make([]string, 2)
	for i := range outs {
		wg.Go(func() { outs[i] = p.bienal("migrate") })
	}
	wg.Wait()
	applied := strings.Count(outs[0], "applied ") + strings.Count(outs[1], "applied ")
	require.Equal(t, p.count("SELECT count(*) FROM schema_migration"), applied, "each migration applied once:\n%s\n%s", outs[0], outs[1])
	p.phase("two migrations at once")
	p.startParts()
	p.phase("two workers and two webs started, both webs ready")

	p.bienal("programme", "import", example)
	p.bienal("activity", "propose", "examples/proposal.yaml")
	eventually(t, "round 1 of G1A4 open", time.Minute, func() bool {
		return p.count("SELECT count(*) FROM review_round WHERE code = 'G1A4'") == 1
	})
	for _, m := range []string{"chair.cr", "committee.ar", "committee.br", "committee.cl"} {
		id := "prod-" + m
		p.bienalRetry("vote", "2017-2018/G1A4", "--member", m+"@example.org", "--decision", "approve", "--vote-id", id)
		led.votes[id] = true
	}
	eventually(t, "ten activities in execution", 2*time.Minute, func() bool {
		return p.count("SELECT count(*) FROM activity WHERE status = 'in_execution'") == 10
	})
	p.phase("programme imported, G1A4 voted in")
	p.bienalRetry("cycle", "open", "--biennium", "2017-2018", "--name", "crash", "--due", futureDay(30))
	tasks := p.expectedTasks()
	p.phase("cycle opened")
	links := p.invitations(len(tasks))
	p.phase("every invitation received")
	thirds := split(tasks, 3)

	// Reports through both webs; a worker killed halfway through.
	for i, k := range thirds[0] {
		if i == len(thirds[0])/2 {
			p.parts[0].kill()
			p.kills++
		}
		p.submitVia(led, p.webs[i%2], links[k], k)
	}
	p.releaseKilledClaims()
	p.phase("a third submitted, a worker killed")
	p.checkInvariants("production layout, a worker killed", led)
	p.phase("invariants checked")

	// Backup mid-cycle, then the loss of both stores: the deployment
	// comes back from the backup alone, and the focal points' links
	// e-mailed before it still open their tasks.
	p.restore(p.backup())
	p.phase("backed up and restored, the parts started again")
	for i, k := range append(thirds[1], thirds[2]...) {
		p.submitVia(led, p.webs[i%2], links[k], k)
	}
	p.phase("the other two thirds submitted")
	// Every report in, none yet reviewed: the secretariat closes the cycle.
	p.bienalRetry("cycle", "close", "2017-2018/crash")
	eventually(t, "the cycle closed with its consolidated report", 2*time.Minute, func() bool {
		return p.count("SELECT count(*) FROM reporting_cycle WHERE name = 'crash' AND status = 'closed'") == 1 &&
			p.count("SELECT count(*) FROM report_snapshot WHERE cycle = 'crash'") > 0
	})
	p.phase("the cycle closed")
	p.checkInvariants("restored", led)
	p.phase("invariants checked after the restore")
	_, errOut, err := p.run("", "cycle", "close", "2017-2018/crash")
	require.Error(t, err, "closing a closed cycle is refused")
	require.Regexp(t, `closed on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC`, errOut, "and says when it closed")
	p.logFigures(led)
}

func newProduction(t *testing.T) *production {
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: the backup is made with PostgreSQL's own tools (Debian: postgresql-client)", tool)
		}
	}
	p := &production{
		temporalDB: emptyDatabase(t, "temporal_e2e"), visibilityDB: emptyDatabase(t, "temporal_vis_e2e"),
		bienalDB: emptyDatabase(t, "bienal_e2e"),
	}
	admin, err := url.Parse(storetest.AdminURL())
	require.NoError(t, err)
	password, _ := admin.User.Password()
	p.pg = devserver.PostgresStore{Addr: admin.Host, User: admin.User.Username(), Password: password,
		Database: p.temporalDB, VisibilityDatabase: p.visibilityDB, MaxConns: 2}

	tsrv, err := devserver.Start(devserver.Options{Postgres: &p.pg, Namespace: "bienal", LogLevel: "fatal"})
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(tsrv.Address())

	webs := []string{freeAddr(t), freeAddr(t)}
	smtp := mailtest.Start(t)
	cfg := config.Config{
		DatabaseURL:     databaseURL(t, p.bienalDB, "pool_max_conns", "3"),
		TemporalAddress: tsrv.Address(), TemporalNamespace: "bienal",
		SMTPURL: smtp.URL(), MailFrom: "bienal <bienal@example.org>", BaseURL: "http://" + webs[0],
		HTTPAddr: webs[0], MetricsAddr: "127.0.0.1:0", ReminderSchedule: "0 * * * *", LogLevel: "warn", LogFormat: "text",
	}
	require.NoError(t, cfg.Validate())
	opts, err := cfg.TemporalOptions(slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	tc, err := client.Dial(opts)
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	pool, err := pgxpool.New(context.Background(), databaseURL(t, p.bienalDB, "pool_max_conns", "2"))
	require.NoError(t, err)
	t.Cleanup(pool.Close)

	st := &stack{t: t, cfg: cfg, pool: pool, store: store.New(pool), temporal: tsrv, client: tc, smtp: smtp, baseURL: cfg.BaseURL}
	p.crashStack = &crashStack{stack: st}
	p.port, _ = strconv.Atoi(port)
	t.Cleanup(func() {
		if p.temporal != nil {
			_ = p.temporal.Stop()
		}
	})
	for _, w := range webs {
		p.webs = append(p.webs, "http://"+w)
	}
	return p
}

// env is a part's environment: bienal.env of the README, with its own
// addresses.
func (p *production) partEnv(name string, extra ...string) []string {
	return append(p.env(), append([]string{"TEMPORAL_NAMESPACE=bienal", "METRICS_ADDR=" + freeAddr(p.t),
		"DATABASE_URL=" + databaseURL(p.t, p.bienalDB, "pool_max_conns", "3", "application_name", "bienal-"+name)}, extra...)...)
}

// startParts starts two workers and two webs, and waits until both webs
// say they are ready.
func (p *production) startParts() {
	p.parts = []*part{
		startPart(p.t, "worker-1", p.partEnv("worker-1"), "worker"),
		startPart(p.t, "worker-2", p.partEnv("worker-2"), "worker"),
	}
	for i, w := range p.webs {
		name := "web-" + strconv.Itoa(i+1)
		p.parts = append(p.parts, startPart(p.t, name, p.partEnv(name, "HTTP_ADDR="+strings.TrimPrefix(w, "http://")), "web"))
	}
	for _, w := range p.webs {
		waitReady(p.t, w)
	}
}

var inviteLink = regexp.MustCompile(`https?://[^\s/]+/tasks/[A-Za-z0-9_-]+`)

// invitations waits for every task's invitation and maps each task
// ("2017-2018/crash/G1A1/AR") to the link its focal point received.
func (p *production) invitations(n int) map[string]string {
	links := map[string]string{}
	eventually(p.t, "every task's invitation received", 3*time.Minute, func() bool {
		for _, m := range p.smtp.Messages() {
			parts, err := m.Parts()
			require.NoError(p.t, err)
			for _, l := range inviteLink.FindAllString(parts.Text, -1) {
				token := l[strings.LastIndex(l, "/")+1:]
				link, err := p.store.LookupLink(context.Background(), token, time.Now())
				if err == nil && strings.HasPrefix(link.Subject, "task/2017-2018/crash/") {
					links[strings.TrimPrefix(link.Subject, "task/")] = l
				}
			}
		}
		return len(links) == n
	})
	return links
}

// submitVia sends one report through the portal at web, retrying what
// was not stored (a part restarting); the same report sent twice would
// be a second version, which the ledger would count.
func (p *production) submitVia(led *ledger, web, link, key string) {
	p.t.Helper()
	var err error
	for range 10 {
		if err = submitThroughPortal(p.t, web, link, p.baseURL); err == nil {
			led.submitted[key] = true
			return
		}
		time.Sleep(time.Second)
	}
	require.NoError(p.t, err, "submit %s through %s", key, web)
}

// releaseKilledClaims gives back the e-mails the killed worker had claimed:
// their lease would keep them for five minutes. A claim still held ten
// seconds after it was made is the dead worker's; the live one's batches
// take milliseconds.
func (p *production) releaseKilledClaims() {
	time.Sleep(10 * time.Second)
	_, err := p.pool.Exec(context.Background(), `UPDATE email SET next_attempt_at = now()
		WHERE status = 'sending' AND next_attempt_at < now() + interval '4 minutes 50 seconds'`)
	require.NoError(p.t, err)
}

type dumps struct{ bienal, temporal, visibility string }

// backup is the README's procedure: stop every web and worker (then
// nothing writes to either store), stop the Temporal server, dump its two
// databases and bienal's.
func (p *production) backup() dumps {
	p.settle("before the backup", &ledger{submitted: p.submittedRows()})
	for _, pt := range p.parts {
		pt.stop()
	}
	require.NoError(p.t, p.temporal.Stop())
	dir := p.t.TempDir()
	d := dumps{bienal: filepath.Join(dir, "bienal.dump"), temporal: filepath.Join(dir, "temporal.dump"), visibility: filepath.Join(dir, "temporal_visibility.dump")}
	var took time.Duration
	for file, db := range map[string]string{d.bienal: p.bienalDB, d.temporal: p.temporalDB, d.visibility: p.visibilityDB} {
		took += pgTool(p.t, "pg_dump", "--format=custom", "--file", file, db)
	}
	p.t.Logf("FIGURES backup: pg_dump of the three databases took %s", took.Round(time.Millisecond))

	return d
}

// restore loads the dumps into fresh databases and starts the deployment
// on them: the Temporal server, two workers, two webs.
func (p *production) restore(d dumps) {
	p.pool.Close()
	// Under the same names: Temporal's schema_version rows name their
	// database, and its SQL tool would take a database of another name
	// for an empty one and apply every version again.
	for _, db := range []string{p.bienalDB, p.temporalDB, p.visibilityDB} {
		recreateDatabase(p.t, db)
	}
	var took time.Duration
	for file, db := range map[string]string{d.bienal: p.bienalDB, d.temporal: p.temporalDB, d.visibility: p.visibilityDB} {
		took += pgTool(p.t, "pg_restore", "--no-owner", "--exit-on-error", "--dbname", db, file)
	}
	p.t.Logf("FIGURES restore: pg_restore of the three databases took %s", took.Round(time.Millisecond))
	pool, err := pgxpool.New(context.Background(), databaseURL(p.t, p.bienalDB, "pool_max_conns", "2"))
	require.NoError(p.t, err)
	p.t.Cleanup(pool.Close)
	p.pool, p.store = pool, store.New(pool)
	p.startTemporal()
	p.startParts()
}

// startTemporal starts the Temporal server on the databases of p.pg, on
// the frontend port the parts know.
func (p *production) startTemporal() {
	var err error
	for range 20 { // the port may linger for a moment after a stop
		p.temporal = nil
		p.temporal, err = devserver.Start(devserver.Options{Postgres: &p.pg, Namespace: "bienal", FrontendPort: p.port, LogLevel: "fatal"})
		if err == nil {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	require.NoError(p.t, err)
}

// submittedRows is what the database holds as submitted.
func (p *production) submittedRows() map[string]bool {
	out := map[string]bool{}
	for _, k := range p.strings(`SELECT biennium || '/' || cycle || '/' || code || '/' || country FROM report_task
		WHERE cycle = 'crash' AND status = 'submitted'`) {
		out[k] = true
	}
	return out
}
