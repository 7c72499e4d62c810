package main

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/config"
	"github.com/bienal/bienal/metrics"
	"github.com/bienal/bienal/store/storetest"
)

// unreachable is an address where nothing listens: a connection there is
// refused at once.
const unreachable = "127.0.0.1:1"

// partApp is an app as `bienal worker` or `bienal web` gets it, with every
// setting valid and dbURL as DATABASE_URL.
func partApp(t *testing.T, dbURL string) *app {
	t.Helper()
	a := &app{logger: slog.New(slog.DiscardHandler), metrics: metrics.New(), cfg: config.Config{
		DatabaseURL: dbURL, TemporalAddress: unreachable, TemporalNamespace: "default",
		SMTPURL: "smtp://" + unreachable, MailFrom: "bienal <bienal@example.org>", BaseURL: "http://127.0.0.1:8080",
		HTTPAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", ReminderSchedule: "0 * * * *", LogLevel: "warn", LogFormat: "text",
	}}
	require.NoError(t, a.cfg.Validate())
	t.Cleanup(a.close)
	return a
}

// run runs a part for at most 30 seconds and reports its error and how long
// it took to give up: a part that starts instead of refusing is cut off.
func run(t *testing.T, a *app, part interface {
	Run(context.Context, *app) error
}) (time.Duration, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	err := part.Run(ctx, a)
	took := time.Since(start)
	require.NoError(t, ctx.Err(), "the part started instead of refusing (it ran until cut off, then returned %v)", err)
	return took, err
}

// A worker with nowhere to deliver e-mail refuses before it connects to
// anything, naming SMTP_URL; it used to poll and say so only when stopped.
func TestWorkerWithoutSMTPRefusesAtOnce(t *testing.T) {
	t.Parallel()
	a := partApp(t, "postgres://postgres@"+unreachable+"/bienal")
	a.cfg.SMTPURL = ""
	took, err := run(t, a, &workerCmd{})
	require.ErrorContains(t, err, "SMTP_URL: not set")
	require.Less(t, took, time.Second)
	require.Nil(t, a.pool, "nothing was connected")
	t.Logf("worker without SMTP_URL refused in %s", took)
}

// A part whose database lacks migrations, or has migrations this binary does
// not know, refuses naming the step instead of failing on the first table
// it reads (the portal reads web_secret).
func TestPartsRefuseASchemaNotTheirs(t *testing.T) {
	t.Parallel()
	dbURL := storetest.NewDatabase(t)
	pool, err := pgxpool.New(context.Background(), dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	exec := func(sql string) {
		_, err := pool.Exec(context.Background(), sql)
		require.NoError(t, err, sql)
	}

	exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	for _, part := range []interface {
		Run(context.Context, *app) error
	}{&webCmd{}, &workerCmd{}} {
		took, err := run(t, partApp(t, dbURL), part)
		require.ErrorContains(t, err, "schema not current (run bienal migrate): pending migrations 0001_schema")
		require.NotContains(t, err.Error(), "web_secret")
		require.Less(t, took, 5*time.Second)
		t.Logf("%T on an empty database refused in %s: %v", part, took, err)
	}

	a := partApp(t, dbURL)
	require.NoError(t, (&migrateCmd{}).Run(context.Background(), a))
	exec("INSERT INTO schema_migration (version) VALUES ('9990_from_a_newer_release')")
	took, err := run(t, partApp(t, dbURL), &webCmd{})
	require.ErrorContains(t, err, "schema newer than this binary: the database has migrations 9990_from_a_newer_release")
	t.Logf("web on a newer schema refused in %s", took)
}

// A server that does not answer is named by its variable, not by a guess
// that `bienal dev` should be running.
func TestPartsNameTheServerTheyCannotReach(t *testing.T) {
	t.Parallel()
	a := partApp(t, "postgres://postgres@"+unreachable+"/bienal?sslmode=disable")
	took, err := run(t, a, &webCmd{})
	require.ErrorContains(t, err, "DATABASE_URL is postgres://postgres@"+unreachable+"/bienal")
	require.NotContains(t, err.Error(), "running?")
	t.Logf("web with Postgres unreachable refused in %s", took)

	took, err = run(t, partApp(t, storetest.NewDatabase(t)), &workerCmd{})
	require.ErrorContains(t, err, "connect to temporal at "+unreachable+" (TEMPORAL_ADDRESS;")
	require.NotContains(t, err.Error(), "running?")
	require.Less(t, took, startTimeout+time.Second)
	t.Logf("worker with Temporal unreachable refused in %s", took)
}

// Every process links to the deployment's one public URL: the first given
// BASE_URL is stored; a command run without BASE_URL composes with the
// stored one; one given another is refused before it composes anything;
// `migrate --move-base-url` moves it.
func TestCommandsLinkToTheDeploymentsBaseURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := storetest.NewDatabase(t)
	public := "https://bienal.example.org"

	operator := func(baseURL string) *app {
		a := partApp(t, dbURL)
		if baseURL != "" {
			a.cfg.BaseURL, a.baseURLGiven = baseURL, true
		}
		return a
	}
	require.NoError(t, (&migrateCmd{}).Run(ctx, operator(public)))
	seed := operator("")
	_, err := seed.store(ctx)
	require.NoError(t, err)
	storetest.SmallProgramme(t, seed.pool)
	// Chile's task due two days after a Wednesday ahead, swept at 13:00 UTC
	// that day: inside its focal point's working hours, at the 2-day stage.
	day := time.Now().UTC().AddDate(0, 0, 7)
	for day.Weekday() != time.Wednesday {
		day = day.AddDate(0, 0, 1)
	}
	sweepAt := time.Date(day.Year(), day.Month(), day.Day(), 13, 0, 0, 0, time.UTC)
	due := sweepAt.AddDate(0, 0, 2).Format(time.DateOnly)
	_, err = seed.pool.Exec(ctx, `UPDATE reporting_cycle SET due_on = $1, closes_on = $1::date + 30`, due)
	require.NoError(t, err)
	_, err = seed.pool.Exec(ctx, `UPDATE report_task SET due_on = $1 WHERE country = 'CL'`, due)
	require.NoError(t, err)

	// An operator's shell with no BASE_URL: the digests link to the portal.
	shell := operator("")
	require.NoError(t, (&remindersSweepCmd{Now: sweepAt.Format(time.RFC3339)}).Run(ctx, shell))
	require.Equal(t, public, shell.cfg.PublicBaseURL())
	var bodies string
	require.NoError(t, shell.pool.QueryRow(ctx, `SELECT coalesce(string_agg(body_text, ' '), '') FROM email`).Scan(&bodies))
	require.Contains(t, bodies, public+"/", "a digest was composed, with the deployment's links")
	require.NotContains(t, bodies, "127.0.0.1")

	// A shell whose BASE_URL names another address is refused, naming both.
	wrong := operator("http://127.0.0.1:8080")
	err = (&remindersSweepCmd{Now: sweepAt.Add(time.Hour).Format(time.RFC3339)}).Run(ctx, wrong)
	require.ErrorContains(t, err, "BASE_URL is http://127.0.0.1:8080, but this deployment's e-mailed links go to "+public+" (stored by bienal migrate on ")
	require.ErrorContains(t, err, "BASE_URL=http://127.0.0.1:8080 bienal migrate --move-base-url")
	_, err = run(t, operator("http://127.0.0.1:8080"), &webCmd{})
	require.ErrorContains(t, err, "BASE_URL is http://127.0.0.1:8080, but")
	require.NoError(t, (&migrateCmd{}).Run(ctx, operator(public)), "the same URL again is no change")

	// Moving it is deliberate, and audited.
	moved := "https://bienal.cepal.org"
	require.Error(t, (&migrateCmd{MoveBaseURL: true}).Run(ctx, operator("")), "a move names its URL")
	require.NoError(t, (&migrateCmd{MoveBaseURL: true}).Run(ctx, operator(moved)))
	after := operator("")
	_, err = after.store(ctx)
	require.NoError(t, err)
	require.Equal(t, moved, after.cfg.PublicBaseURL())
	require.ErrorContains(t, (&remindersSweepCmd{}).Run(ctx, operator(public)), "go to "+moved)
	var audited int
	require.NoError(t, after.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE subject = 'deployment' AND action = 'base_url_moved'`).Scan(&audited))
	require.Equal(t, 1, audited)
}

// silent accepts connections and never answers, as a server whose port is
// open but whose process is hung.
func silent(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

// A server that takes the connection and never answers holds a part no
// longer than startTimeout: it exits naming the setting, instead of
// hanging in its first connect looking started.
func TestPartsGiveUpOnASilentServer(t *testing.T) {
	t.Parallel()
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		took, err := run(t, partApp(t, "postgres://postgres@"+silent(t)+"/bienal?sslmode=disable"), &webCmd{})
		require.ErrorContains(t, err, "DATABASE_URL is postgres://postgres@")
		require.Less(t, took, startTimeout+2*time.Second)
		t.Logf("web with a silent Postgres gave up in %s: %v", took, err)
	})
	t.Run("temporal", func(t *testing.T) {
		t.Parallel()
		a := partApp(t, storetest.NewDatabase(t))
		a.cfg.TemporalAddress = silent(t)
		took, err := run(t, a, &workerCmd{})
		require.ErrorContains(t, err, "(TEMPORAL_ADDRESS;")
		require.Less(t, took, startTimeout+2*time.Second)
		t.Logf("worker with a silent Temporal gave up in %s: %v", took, err)
	})
}
