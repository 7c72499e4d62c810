package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
)

// Sizes of the crash test; the defaults fit a few minutes on a slow machine.
//
//	CRASH_KILLS=10 CRASH_ACTIVITIES=50 go test ./e2e/ -run Crash -v
func crashSize(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// crashProgramme writes the example programme with extra adopted activities,
// each led by one country, so that the whole reaches total activities.
func crashProgramme(t *testing.T, total int) string {
	data, err := os.ReadFile(filepath.Join(repoRoot, example))
	require.NoError(t, err)
	var b strings.Builder
	b.Write(data)
	countries := []string{"AR", "BR", "CL", "CO", "CR", "DO", "EC", "GT", "HT", "JM", "MX", "PA", "PE", "UY"}
	for i := 10; i < total; i++ { // 9 in the example, G1A4 proposed by the test
		fmt.Fprintf(&b, `
  - code: X%03d
    goal: %d
    line_of_action: %d
    lead: %s
    title: Crash test activity %d
    description: Seeded to make the cycle large.
    expected_outputs: [A report]
    starts_on: 2017-02-01
    ends_on: 2018-12-31
    status: approved
`, i, i%3+1, i%4+1, countries[i%len(countries)], i)
	}
	path := filepath.Join(t.TempDir(), "programme.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// TestCrashCycleSurvivesKills drives a cycle of activities through votes and
// submissions while the worker is SIGKILLed and restarted, then restarts the
// Temporal server on its file, cuts the worker's Postgres connections and
// makes the SMTP server fail; after each phase nothing is lost or doubled.
func TestCrashCycleSurvivesKills(t *testing.T) {
	kills, total := crashSize("CRASH_KILLS", 10), crashSize("CRASH_ACTIVITIES", 50)
	cs := newCrashStack(t)
	t.Cleanup(cs.dumpWorkerLog)
	require.NoError(t, cs.startWorker())
	led := &ledger{votes: map[string]bool{}, submitted: map[string]bool{}}

	// Phase 1: kills at random moments while the programme, a vote and the
	// first submissions flow.
	killerDone := make(chan error, 1)
	go func() { killerDone <- cs.killRandomly(kills, 500*time.Millisecond, 3*time.Second) }()
	cs.bienal("programme", "import", crashProgramme(t, total))
	eventually(t, "adopted activities in execution", 3*time.Minute, func() bool {
		return cs.count("SELECT count(*) FROM activity WHERE status = 'in_execution'") == total-1
	})
	cs.bienal("activity", "propose", "examples/proposal.yaml")
	for _, m := range []string{"chair.cr", "committee.ar", "committee.br", "committee.cl"} {
		id := "crash-" + m
		args := []string{"vote", "2017-2018/G1A4", "--member", m + "@example.org", "--decision", "approve", "--vote-id", id}
		cs.bienalRetry(args...)
		cs.bienalRetry(args...) // the same vote twice counts once
		led.votes[id] = true
	}
	eventually(t, "G1A4 approved", 3*time.Minute, func() bool {
		return cs.count("SELECT count(*) FROM activity WHERE code = 'G1A4' AND status = 'in_execution'") == 1
	})
	due := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	cs.bienalRetry("cycle", "open", "--biennium", "2017-2018", "--name", "crash", "--due", due)
	tasks := cs.expectedTasks()
	eventually(t, "every report task stored", 3*time.Minute, func() bool {
		return cs.count("SELECT count(*) FROM report_task WHERE cycle = 'crash'") == len(tasks)
	})
	groups := split(tasks, 4)
	cs.submitAll(led, groups[0])
	require.NoError(t, <-killerDone)
	cs.ensureWorker()
	cs.checkInvariants("kills", led)

	// Phase 2: the Temporal server goes down and comes back on its file.
	cs.restartTemporal()
	cs.submitAll(led, groups[1])
	cs.checkInvariants("temporal restart", led)

	// Phase 3: the worker's Postgres connections are cut while work flows.
	cut := cs.terminateWorkerConns()
	for i, k := range groups[2] {
		cs.submit(led, k)
		if i%5 == 0 {
			cut += cs.terminateWorkerConns()
		}
	}
	t.Logf("postgres connections of the worker terminated: %d", cut)
	cs.checkInvariants("postgres cut", led)

	// Phase 4: the SMTP server answers 451 for a while, then drops
	// connections after DATA (the outcome of those sends is unknown).
	cs.smtp.FailNext(5, 451, "4.3.0", "try again later")
	cs.smtp.DropAfterData(3)
	cs.submitAll(led, groups[3])
	cs.checkInvariants("smtp faults", led)
	cs.logFigures(led)
}

// ledger is what the test sent: every vote ID and every task submitted.
type ledger struct {
	votes     map[string]bool
	submitted map[string]bool
}

// killRandomly kills and restarts the worker n times, at random intervals.
func (cs *crashStack) killRandomly(n int, min, max time.Duration) error {
	for range n {
		time.Sleep(min + rand.N(max-min))
		if err := cs.killWorker(); err != nil {
			return err
		}
		if err := cs.startWorker(); err != nil {
			return err
		}
	}
	return nil
}

// ensureWorker starts the worker if none runs.
func (cs *crashStack) ensureWorker() {
	cs.mu.Lock()
	alive := cs.worker != nil
	cs.mu.Unlock()
	if !alive {
		require.NoError(cs.t, cs.startWorker())
	}
}

// bienalRetry runs a command that may meet a server restarting; an operator
// would run it again, and every command here is safe to repeat.
func (cs *crashStack) bienalRetry(args ...string) string {
	cs.t.Helper()
	var out, errOut string
	var err error
	for range 10 {
		if out, errOut, err = cs.run("", args...); err == nil {
			return out
		}
		time.Sleep(time.Second)
	}
	require.NoError(cs.t, err, "bienal %s\nstderr: %s", strings.Join(args, " "), errOut)
	return out
}

// expectedTasks lists the tasks the cycle implies: one per country of every
// activity in execution.
func (cs *crashStack) expectedTasks() []string {
	rows, err := cs.pool.Query(context.Background(), `SELECT ac.biennium || '/crash/' || ac.code || '/' || ac.country
		FROM activity_country ac JOIN activity a USING (biennium, code)
		WHERE a.status = 'in_execution' ORDER BY 1`)
	require.NoError(cs.t, err)
	var out []string
	for rows.Next() {
		var k string
		require.NoError(cs.t, rows.Scan(&k))
		out = append(out, k)
	}
	require.NoError(cs.t, rows.Err())
	require.NotEmpty(cs.t, out)
	return out
}

func split(keys []string, n int) [][]string {
	out := make([][]string, n)
	for i, k := range keys {
		out[i%n] = append(out[i%n], k)
	}
	return out
}

func (cs *crashStack) submitAll(led *ledger, keys []string) {
	for _, k := range keys {
		cs.submit(led, k)
	}
}

// submit sends one report with `bienal task submit`. A submission stored
// whose signal failed is not sent again (that would be a second version):
// the task workflow must pick it up from its own reconciliation, or the
// invariant check reports it lost.
func (cs *crashStack) submit(led *ledger, key string) {
	cs.t.Helper()
	k, err := cooperation.ParseTaskKey(key)
	require.NoError(cs.t, err)
	path := filepath.Join(cs.t.TempDir(), "report.yaml")
	require.NoError(cs.t, os.WriteFile(path, []byte("status: on_track\nprogress: Going to plan.\n"), 0o644))
	for range 10 {
		_, errOut, err := cs.run("", "task", "submit", key, "--file", path, "--by", "focal."+strings.ToLower(k.Country)+"@example.org")
		if err == nil {
			led.submitted[key] = true
			return
		}
		// A report stored while Temporal was away exits 0 (the scheduler
		// tells its task); a failure here stored nothing, so it is retried.
		cs.t.Logf("submit %s: %s", key, strings.TrimSpace(errOut))
		time.Sleep(time.Second)
	}
	cs.t.Fatalf("submit %s failed ten times", key)
}
