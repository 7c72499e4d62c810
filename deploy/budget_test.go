package deploy

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// The scale the README documents: `docker compose up --scale worker=3`,
// one portal, and up to four one-off commands at once (a migrate, an
// operator's commands, a backup).
const (
	documentedWorkers  = 3
	documentedPortals  = 1
	documentedCommands = 4
	// temporalServices each open their own pools: frontend, history,
	// matching and worker run in the one temporal-server process.
	temporalServices = 4
	// workerExtraConns are held outside a worker's pool: the e-mail LISTEN
	// and the scheduler's leader lock (store.WorkerMaxConns).
	workerExtraConns = 2
	// superuserReserved is PostgreSQL's superuser_reserved_connections:
	// slots the bienal and temporal roles cannot take.
	superuserReserved = 3
	// operatorHeadroom is kept for psql sessions and monitoring.
	operatorHeadroom = 5
)

// At the documented scale, every connection bienal and Temporal can open
// fits in the PostgreSQL the compose file starts, with room for an
// operator: the trial that ran out (`too many clients already`, HTTP 500
// on a task page) had Temporal at the image's default pools and 25 per
// bienal process.
func TestConnectionBudgetFitsPostgres(t *testing.T) {
	t.Parallel()
	p := load(t)

	var maxConns int
	for _, arg := range service(t, p, "postgres").Command {
		if v, ok := strings.CutPrefix(arg, "max_connections="); ok {
			n, err := strconv.Atoi(v)
			require.NoError(t, err)
			maxConns = n
		}
	}
	require.Equal(t, 100, maxConns, "postgres sets max_connections explicitly")

	env := envOf(service(t, p, "temporal"))
	num := func(name string) int {
		n, err := strconv.Atoi(env[name])
		require.NoError(t, err, "temporal sets %s explicitly", name)
		return n
	}
	require.LessOrEqual(t, num("SQL_MAX_IDLE_CONNS"), num("SQL_MAX_CONNS"))
	require.LessOrEqual(t, num("SQL_VIS_MAX_IDLE_CONNS"), num("SQL_VIS_MAX_CONNS"))
	temporal := temporalServices * (num("SQL_MAX_CONNS") + num("SQL_VIS_MAX_CONNS"))

	for _, name := range bienalServices {
		u, err := url.Parse(envOf(service(t, p, name))["DATABASE_URL"])
		require.NoError(t, err)
		require.Empty(t, u.Query().Get("pool_max_conns"), "%s: the pool follows the kind of process (store.*MaxConns)", name)
	}
	bienal := documentedWorkers*(store.WorkerMaxConns+workerExtraConns) +
		documentedPortals*store.PortalMaxConns + documentedCommands*store.CommandMaxConns

	total := temporal + bienal
	t.Logf("connection budget: temporal %d + bienal %d = %d of %d (%d reserved for superusers)", temporal, bienal, total, maxConns, superuserReserved)
	require.LessOrEqual(t, total+operatorHeadroom, maxConns-superuserReserved,
		"temporal %d + bienal %d + headroom %d must fit in %d", temporal, bienal, operatorHeadroom, maxConns-superuserReserved)
}
