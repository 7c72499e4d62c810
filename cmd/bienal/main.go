// Command bienal runs the biennial programme of cooperation activities: the
// whole system in one process (`bienal dev`), its production parts
// (`migrate`, `worker`, `web`), and the secretariat's and committee's commands.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/metrics"
	"github.com/bienal/bienal/store"
)

// CLI is every command; config.Config's fields are global flags that
// environment variables set.
type CLI struct {
	config.Config `embed:""`

	Dev     devCmd     `cmd:"" help:"Run everything in one process: embedded Temporal, Postgres, worker, scheduler, portal."`
	Migrate migrateCmd `cmd:"" help:"Apply database migrations (safe to run from several replicas at once)."`
	Worker  workerCmd  `cmd:"" help:"Run the Temporal worker, e-mail delivery and the reminder scheduler."`
	Web     webCmd     `cmd:"" help:"Run the web portal."`

	CodecServer codecServerCmd `cmd:"" name:"codec-server" help:"Serve the payload codec to the Temporal Web UI and CLI, so that they show bienal's encrypted payloads decrypted."`

	Programme programmeCmd `cmd:"" help:"Import and show the programme."`
	Activity  activityCmd  `cmd:"" help:"List, show, propose, withdraw, complete or cancel activities."`
	Vote      voteCmd      `cmd:"" help:"Cast a committee member's vote and say whether it was counted."`
	Cycle     cycleCmd     `cmd:"" help:"Open, show, extend, waive and close reporting cycles."`
	Task      taskCmd      `cmd:"" help:"Submit a report task (operators)."`
	Report    reportCmd    `cmd:"" help:"Print the consolidated biennial report of a cycle."`
	Reminders remindersCmd `cmd:"" help:"Reminder policy and sweeps."`
	Mail      mailCmd      `cmd:"" help:"E-mail log and retries."`
	User      userCmd      `cmd:"" help:"Secretariat users of the portal."`
	Call      callCmd      `cmd:"" help:"Calls for proposals."`
	Link      linkCmd      `cmd:"" help:"Personal links sent by e-mail."`

	FocalPoint  focalPointCmd  `cmd:"" name:"focal-point" help:"Replace a country's focal point."`
	Committee   committeeCmd   `cmd:"" help:"Replace a committee seat's delegate."`
	Delegation  delegationCmd  `cmd:"" help:"Delegates of people away."`
	Replacement replacementCmd `cmd:"" help:"Replacements scheduled for a day to come."`
	Repair      repairCmd      `cmd:"" help:"Start again a workflow that failed, was terminated or is missing, from what Postgres holds (audited)."`
}

// app is what every command gets: the validated configuration and the
// connections it opens on demand.
type app struct {
	cfg     config.Config
	logger  *slog.Logger
	metrics *metrics.Registry
	pool    *pgxpool.Pool
	tc      client.Client
	health  *metrics.WorkflowHealth
	// baseURLGiven tells whether BASE_URL came from the environment or a
	// flag rather than from its default: only a given one can disagree
	// with the deployment's stored URL (see settleBaseURL).
	baseURLGiven bool
	// poolSize is the Postgres pool this process asks for, unless
	// DATABASE_URL sets pool_max_conns; 0 is a one-off command's.
	poolSize int32
}

func main() {
	var cli CLI
	kctx := parseCLI(&cli, os.Args[1:], os.Stdout, os.Stderr, os.Exit)
	if err := cli.Config.Validate(); err != nil {
		fmt.Fprintf(os.Stderr, "bienal: invalid configuration:\n%v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{cfg: cli.Config, logger: cli.Config.Logger(os.Stderr), metrics: metrics.New(),
		baseURLGiven: os.Getenv("BASE_URL") != "" || flagGiven("--base-url")}
	defer a.close()
	kctx.BindTo(ctx, (*context.Context)(nil))
	if err := kctx.Run(a); err != nil {
		fmt.Fprintf(os.Stderr, "bienal %s: %v\n", kctx.Command(), err)
		a.close()
		os.Exit(1)
	}
}

// store connects to DATABASE_URL once and takes the deployment's public
// URL from it (settleBaseURL), so that whatever the command composes links
// to the one portal every process links to.
func (a *app) store(ctx context.Context) (*store.Store, error) {
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.settleBaseURL(ctx, s, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// openStore connects to DATABASE_URL once, with the pool size of the
// process's kind.
func (a *app) openStore(ctx context.Context) (*store.Store, error) {
	if a.pool == nil {
		size := a.poolSize
		if size == 0 {
			size = store.CommandMaxConns
		}
		pool, err := store.Open(ctx, a.cfg.DatabaseURL, size)
		if err != nil {
			return nil, fmt.Errorf("%w (DATABASE_URL is %s; its default is the database of bienal dev)", err, redactURL(a.cfg.DatabaseURL))
		}
		a.pool = pool
	}
	return store.New(a.pool), nil
}

// connect opens both Postgres and Temporal, for commands that write rows
// and then start or signal workflows: reaching both first means a missing
// server stops the command before it writes anything.
func (a *app) connect(ctx context.Context) (*store.Store, client.Client, error) {
	s, err := a.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	tc, err := a.temporal(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s, tc, nil
}

// programme opens Postgres and names the biennium a command is about: the
// one given, or the only programme there is.
func (a *app) programme(ctx context.Context, biennium string) (*store.Store, string, error) {
	s, err := a.store(ctx)
	if err != nil {
		return nil, "", err
	}
	b, err := resolveBiennium(ctx, s, biennium)
	return s, b, err
}

// temporal dials TEMPORAL_ADDRESS once.
func (a *app) temporal(ctx context.Context) (client.Client, error) {
	if a.tc == nil {
		opts, err := a.cfg.TemporalOptions(a.logger.With("component", "temporal"), a.metrics.TemporalHandler())
		if err != nil {
			return nil, err
		}
		tc, err := client.DialContext(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("connect to temporal at %s (TEMPORAL_ADDRESS; its default is the server of bienal dev): %w", a.cfg.TemporalAddress, err)
		}
		a.tc = tc
	}
	return a.tc, nil
}

// registerGauges exports bienal's Postgres counts and the count of
// workflows that should run and do not, once per process.
func (a *app) registerGauges(s *store.Store, tc client.Client) *metrics.WorkflowHealth {
	if a.health == nil {
		a.health = &metrics.WorkflowHealth{Store: s, Client: tc}
		a.metrics.Register(metrics.StoreGauges{Store: s})
		a.metrics.Register(a.health)
	}
	return a.health
}

func (a *app) close() {
	if a.tc != nil {
		a.tc.Close()
		a.tc = nil
	}
	if a.pool != nil {
		a.pool.Close()
		a.pool = nil
	}
}
