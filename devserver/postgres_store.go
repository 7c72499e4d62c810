package devserver

import (
	"fmt"
	"path"

	"go.temporal.io/server/common/config"
	tlog "go.temporal.io/server/common/log"
	pgplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
)

// PostgresStore keeps the embedded server's state in PostgreSQL, as the
// production layout's Temporal server does: two databases (history and
// visibility) with the schemas of this server version, made with the
// server's own SQL tool, the same steps as deploy/temporal/setup-schema.sh.
type PostgresStore struct {
	// Addr is the server's host:port.
	Addr     string
	User     string
	Password string
	// Database and VisibilityDatabase are created when missing.
	Database           string
	VisibilityDatabase string
	// MaxConns bounds each of the server's pools per store (SQL_MAX_CONNS
	// of the server image); 0 keeps the server's default.
	MaxConns int
}

func (p PostgresStore) sql(database string) *config.SQL {
	return &config.SQL{
		PluginName: pgplugin.PluginName, User: p.User, Password: p.Password,
		DatabaseName: database, ConnectAddr: p.Addr, ConnectProtocol: "tcp",
		MaxConns: p.MaxConns, MaxIdleConns: p.MaxConns,
		ConnectAttributes: map[string]string{"sslmode": "disable"},
	}
}

// setup creates both databases and brings their schemas to this server
// version; each step leaves what is already there, so it runs on every
// start (and after a restore, finds everything in place).
func (p PostgresStore) setup(logger tlog.Logger) error {
	for db, dir := range map[string]string{p.Database: "temporal", p.VisibilityDatabase: "visibility"} {
		if err := sqltool.DoCreateDatabase(p.sql(db), "postgres", logger); err != nil {
			return fmt.Errorf("create temporal database %s: %w", db, err)
		}
		conn, err := sqltool.NewConnection(p.sql(db), logger)
		if err != nil {
			return fmt.Errorf("connect to temporal database %s: %w", db, err)
		}
		// As `temporal-sql-tool setup-schema -v 0.0` then `update-schema`:
		// the versioned steps from what is there up to this version.
		name := path.Join("postgresql", "v12", dir)
		err = schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger).Run()
		if err != nil {
			conn.Close()
			return fmt.Errorf("set up the schema of temporal database %s: %w", db, err)
		}
		err = schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: db, SchemaName: name}, logger).Run()
		conn.Close()
		if err != nil {
			return fmt.Errorf("update the schema of temporal database %s: %w", db, err)
		}
	}
	return nil
}
