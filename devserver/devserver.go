// Package devserver runs a complete Temporal server inside the bienal process,
// persisted to one SQLite file, for `bienal dev` and the end-to-end tests.
//
// It lives in its own package because linking the server costs minutes of
// build time and about 200 MB of binary: only what imports this package pays.
package devserver

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Options say where the server keeps its data and where it listens.
type Options struct {
	// DatabaseFile is the SQLite file; empty keeps everything in memory.
	DatabaseFile string
	// IP the services bind to; defaults to 127.0.0.1.
	IP string
	// FrontendPort is the gRPC port clients dial; 0 picks a free one.
	FrontendPort int
	// Namespace registered at start; defaults to "default".
	Namespace string
	// LogLevel of the server's own log (debug, info, warn, error); defaults to
	// error, because a server in one process with its clients warns of every
	// connection its clients drop at shutdown.
	LogLevel string
	// Postgres, when set, keeps the server's state in PostgreSQL, as in
	// production, instead of SQLite (DatabaseFile is then unused).
	Postgres *PostgresStore
}

// Server is a running embedded Temporal server.
type Server struct {
	server  temporal.Server
	address string
}

// Start builds and starts the server; it returns once the frontend accepts calls.
func Start(opts Options) (*Server, error) {
	if opts.IP == "" {
		opts.IP = "127.0.0.1"
	}
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "error"
	}
	if opts.FrontendPort == 0 {
		p, err := freePort(opts.IP)
		if err != nil {
			return nil, err
		}
		opts.FrontendPort = p
	}
	ports := map[string]int{"frontend": opts.FrontendPort}
	for _, svc := range []string{"history", "matching", "worker", "frontend-http"} {
		p, err := freePort(opts.IP)
		if err != nil {
			return nil, err
		}
		ports[svc] = p
	}

	logger := tlog.NewZapLogger(tlog.BuildZapLogger(tlog.Config{Level: opts.LogLevel, Format: "json"}))
	stores, err := dataStores(opts, logger)
	if err != nil {
		return nil, err
	}
	if err := ensureNamespace(stores.sql(), opts.Namespace); err != nil {
		return nil, err
	}
	conf := serverConfig(opts, ports, stores)

	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, svc := range map[string]primitives.ServiceName{
		"frontend": primitives.FrontendService,
		"history":  primitives.HistoryService,
		"matching": primitives.MatchingService,
		"worker":   primitives.WorkerService,
	} {
		hosts[svc] = static.SingleLocalHost(net.JoinHostPort(opts.IP, strconv.Itoa(ports[name])))
	}

	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicClient()),
	)
	if err != nil {
		return nil, fmt.Errorf("build temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	return &Server{server: srv, address: net.JoinHostPort(opts.IP, strconv.Itoa(opts.FrontendPort))}, nil
}

// Address is the frontend's host:port, for clients and the `temporal` CLI.
func (s *Server) Address() string { return s.address }

// Stop shuts every service down; the SQLite file keeps what was written.
func (s *Server) Stop() error { return s.server.Stop() }

func sqlConfig(opts Options) (*config.SQL, error) {
	conf := &config.SQL{PluginName: sqliteplugin.PluginName}
	if opts.DatabaseFile == "" {
		conf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
		p, err := freePort(opts.IP) // any unique name will do
		if err != nil {
			return nil, err
		}
		conf.DatabaseName = "mem" + strconv.Itoa(p)
	} else {
		conf.ConnectAttributes = map[string]string{"mode": "rwc", "_journal_mode": "WAL", "_synchronous": "NORMAL"}
		conf.DatabaseName = opts.DatabaseFile
	}
	// An in-memory store gets its schema from the SQLite plugin itself.
	fresh := false
	if opts.DatabaseFile != "" {
		if _, err := os.Stat(opts.DatabaseFile); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(opts.DatabaseFile), 0o755); err != nil {
				return nil, fmt.Errorf("create directory for %s: %w", opts.DatabaseFile, err)
			}
			fresh = true
		}
	}
	if fresh {
		if err := sqliteschema.SetupSchema(conf); err != nil {
			return nil, fmt.Errorf("set up temporal schema: %w", err)
		}
	}
	return conf, nil
}

// persistence names the server's stores: in PostgreSQL two databases, in
// SQLite one file that holds both, as `temporal server start-dev` has it.
type persistence struct {
	stores                        map[string]config.DataStore
	defaultStore, visibilityStore string
}

func (p persistence) sql() *config.SQL { return p.stores[p.defaultStore].SQL }

func dataStores(opts Options, logger tlog.Logger) (persistence, error) {
	if pg := opts.Postgres; pg != nil {
		if err := pg.setup(logger); err != nil {
			return persistence{}, err
		}
		return persistence{stores: map[string]config.DataStore{
			"postgres": {SQL: pg.sql(pg.Database)}, "postgres-visibility": {SQL: pg.sql(pg.VisibilityDatabase)},
		}, defaultStore: "postgres", visibilityStore: "postgres-visibility"}, nil
	}
	sqlConf, err := sqlConfig(opts)
	if err != nil {
		return persistence{}, err
	}
	return persistence{stores: map[string]config.DataStore{"sqlite": {SQL: sqlConf}}, defaultStore: "sqlite", visibilityStore: "sqlite"}, nil
}

func serverConfig(opts Options, ports map[string]int, stores persistence) *config.Config {
	var conf config.Config
	conf.Global.Membership.BroadcastAddress = opts.IP
	conf.Persistence.DefaultStore = stores.defaultStore
	conf.Persistence.VisibilityStore = stores.visibilityStore
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = stores.stores
	frontend := net.JoinHostPort(opts.IP, strconv.Itoa(ports["frontend"]))
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        "active",
		CurrentClusterName:       "active",
		ClusterInformation: map[string]cluster.ClusterInformation{
			"active": {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             frontend,
				HTTPAddress:            net.JoinHostPort(opts.IP, strconv.Itoa(ports["frontend-http"])),
				ClusterID:              "6d6b2c62-8b0e-4f0c-9a53-62ff2b1e1a11",
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	for _, name := range []string{"frontend", "history", "matching", "worker"} {
		var svc config.Service
		svc.RPC.GRPCPort = ports[name]
		svc.RPC.BindOnIP = opts.IP
		if name == "frontend" {
			svc.RPC.HTTPPort = ports["frontend-http"]
		}
		conf.Services[name] = svc
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = frontend
	return &conf
}

// freePort finds a port for one of the server's services. The services bind
// it a moment later, so it is taken below the kernel's ephemeral range
// (32768 and up on Linux), from which every outgoing connection of this
// machine takes its source port: a port picked there can be taken by a
// client socket in between, and the server would stop on a failed listen.
func freePort(ip string) (int, error) {
	for range 200 {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			continue
		}
		if err := l.Close(); err != nil {
			continue // a port still held is not free
		}
		return port, nil
	}
	return 0, fmt.Errorf("find a free port on %s: none free among 200 tried in 20000-31999", ip)
}
