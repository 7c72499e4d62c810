package devserver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Postgres is the database `bienal dev` found or started.
type Postgres struct {
	URL string
	// Origin says where it came from: "DATABASE_URL", "local server", "private cluster".
	Origin string
	stop   func() error
}

// Stop stops a private cluster; it does nothing for a server bienal did not start.
func (p *Postgres) Stop() error {
	if p.stop == nil {
		return nil
	}
	return p.stop()
}

// FindPostgres returns a database for `bienal dev`: the URL as given when
// explicit; else the server at the URL's host with the database created if
// missing; else, when initdb and pg_ctl are installed, a private cluster
// under dir listening where the URL points.
func FindPostgres(ctx context.Context, rawURL string, explicit bool, dir string) (*Postgres, error) {
	if explicit {
		return &Postgres{URL: rawURL, Origin: "DATABASE_URL"}, nil
	}
	err := ensureDatabase(ctx, rawURL)
	if err == nil {
		return &Postgres{URL: rawURL, Origin: "local server"}, nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// The server answered and refused: starting another one would not help.
		return nil, fmt.Errorf("postgres at %s: %w", redacted(rawURL), err)
	}
	pg, perr := startPrivateCluster(ctx, rawURL, filepath.Join(dir, "postgres"))
	if perr != nil {
		return nil, fmt.Errorf("no PostgreSQL at %s (%w), and no private cluster: %w", redacted(rawURL), err, perr)
	}
	return pg, nil
}

// ensureDatabase connects to the server's maintenance database and creates
// the URL's database when it does not exist.
func ensureDatabase(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	name := u.Path[1:]
	admin := *u
	admin.Path = "/postgres"
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, admin.String())
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(ctx) }()
	var exists bool
	if err := conn.QueryRow(cctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(cctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created meanwhile by another process
		return nil
	}
	return err
}

// startPrivateCluster runs initdb (once) and pg_ctl start on the URL's port.
// PostgreSQL refuses to run as root, so as root it runs as the postgres user.
func startPrivateCluster(ctx context.Context, rawURL, dir string) (*Postgres, error) {
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return nil, errors.New("initdb is not installed")
	}
	pgctl, err := exec.LookPath("pg_ctl")
	if err != nil {
		return nil, errors.New("pg_ctl is not installed")
	}
	u, _ := url.Parse(rawURL)
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	run := func(name string, args ...string) *exec.Cmd { return exec.CommandContext(ctx, name, args...) }
	if os.Geteuid() == 0 {
		pgUser, err := user.Lookup("postgres")
		if err != nil {
			return nil, errors.New("running as root and there is no postgres user to run PostgreSQL as")
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		uid, _ := strconv.Atoi(pgUser.Uid)
		gid, _ := strconv.Atoi(pgUser.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		run = func(name string, args ...string) *exec.Cmd {
			return exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		if out, err := run(initdb, "-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8").CombinedOutput(); err != nil {
			hint := ""
			if os.Geteuid() == 0 {
				hint = fmt.Sprintf(" (PostgreSQL runs as user postgres, which must be able to reach %s: check its parent directories' permissions, or set DATABASE_URL)", dir)
			}
			return nil, fmt.Errorf("initdb: %w%s: %s", err, hint, out)
		}
	}
	logFile := filepath.Join(dir, "server.log")
	opts := fmt.Sprintf("-c listen_addresses=%s -c port=%s -k %s", u.Hostname(), port, dir)
	if out, err := run(pgctl, "-D", dir, "-l", logFile, "-o", opts, "-w", "start").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %w: %s", err, out)
	}
	stop := func() error {
		out, err := exec.Command(pgctl, "-D", dir, "-m", "fast", "stop").CombinedOutput()
		if err != nil && os.Geteuid() == 0 {
			out, err = exec.Command("runuser", "-u", "postgres", "--", pgctl, "-D", dir, "-m", "fast", "stop").CombinedOutput()
		}
		if err != nil {
			return fmt.Errorf("pg_ctl stop: %w: %s", err, out)
		}
		return nil
	}
	if err := ensureDatabase(ctx, rawURL); err != nil {
		_ = stop()
		return nil, fmt.Errorf("create database in private cluster: %w", err)
	}
	return &Postgres{URL: rawURL, Origin: "private cluster in " + dir, stop: stop}, nil
}

func redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}
