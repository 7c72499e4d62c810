package devserver

import (
	"context"
	"fmt"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	persistencespb "go.temporal.io/server/api/persistence/v1"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/serialization"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	"go.temporal.io/server/common/resolver"
	"go.temporal.io/server/common/searchattribute/sadefs"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/bienal/bienal/workflows"
)

// retention keeps closed workflows queryable for a month; Postgres keeps
// the record for good.
const retention = 30 * 24 * time.Hour

// ensureNamespace registers the namespace in the server's store before the
// server starts, with bienal's search attributes, and gives an existing
// one (a data directory from before an attribute was added) those it
// lacks. Written before the start rather than asked of the running
// server, so that no service holds a cached namespace without them: the
// first workflow started may set them at once.
func ensureNamespace(conf *config.SQL, name string) error {
	want := map[string]enumspb.IndexedValueType{}
	for _, sa := range workflows.SearchAttributes() {
		want[sa.Name] = sa.Type
	}
	ns, err := sqliteschema.NewNamespaceConfig("active", name, false, want)
	if err != nil {
		return fmt.Errorf("namespace %s: %w", name, err)
	}
	ns.Detail.Config.Retention = durationpb.New(retention)
	if err := sqliteschema.CreateNamespaces(conf, ns); err != nil {
		return fmt.Errorf("register namespace %s: %w", name, err)
	}

	db, err := sql.NewSQLDB(sqlplugin.DbKindUnknown, conf, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return fmt.Errorf("open temporal store: %w", err)
	}
	defer func() { _ = db.Close() }()
	ctx := context.Background()
	rows, err := db.SelectFromNamespace(ctx, sqlplugin.NamespaceFilter{Name: &name})
	if err != nil || len(rows) != 1 {
		return fmt.Errorf("read namespace %s: %d rows, %w", name, len(rows), err)
	}
	row := rows[0]
	encoding, err := enumspb.EncodingTypeFromString(row.DataEncoding)
	if err != nil {
		return fmt.Errorf("read namespace %s: %w", name, err)
	}
	ser := serialization.NewSerializer()
	detail, err := ser.NamespaceDetailFromBlob(&commonpb.DataBlob{Data: row.Data, EncodingType: encoding})
	if err != nil {
		return fmt.Errorf("read namespace %s: %w", name, err)
	}
	if !addSearchAttributes(detail.GetConfig(), workflows.SearchAttributes()) {
		return nil
	}
	blob, err := ser.NamespaceDetailToBlob(detail)
	if err != nil {
		return fmt.Errorf("update namespace %s: %w", name, err)
	}
	row.Data, row.DataEncoding = blob.GetData(), blob.GetEncodingType().String()
	if _, err := db.UpdateNamespace(ctx, &row); err != nil {
		return fmt.Errorf("update namespace %s: %w", name, err)
	}
	return nil
}

// addSearchAttributes maps each attribute the namespace lacks to a free
// column of its type, as the operator service's AddSearchAttributes does
// for SQL visibility, and tells whether it added any.
func addSearchAttributes(nc *persistencespb.NamespaceConfig, want []workflows.SearchAttribute) bool {
	if nc.CustomSearchAttributeAliases == nil {
		nc.CustomSearchAttributeAliases = map[string]string{}
	}
	aliases := nc.CustomSearchAttributeAliases
	have := map[string]bool{}
	for _, alias := range aliases {
		have[alias] = true
	}
	columns := sadefs.GetDBIndexSearchAttributes(nil).GetCustomSearchAttributes()
	added := false
	for _, sa := range want {
		if have[sa.Name] {
			continue
		}
		for i := 1; ; i++ {
			field := fmt.Sprintf("%s%02d", sa.Type, i)
			if columns[field] != sa.Type {
				break // no free column of this type
			}
			if _, used := aliases[field]; !used {
				aliases[field] = sa.Name
				added = true
				break
			}
		}
	}
	return added
}
