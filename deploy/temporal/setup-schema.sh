#!/bin/sh
# Creates Temporal's two databases and brings their schemas to the version
# this image ships. Every step is idempotent, so the service runs on each
# `docker compose up` and also upgrades the schema after an image bump.
set -eu
: "${SQL_HOST:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
schemas=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
for db in temporal:temporal temporal_visibility:visibility; do
	name=${db%%:*}
	dir=${db##*:}
	temporal-sql-tool --plugin postgres12 --db "$name" create
	temporal-sql-tool --plugin postgres12 --db "$name" setup-schema -v 0.0
	temporal-sql-tool --plugin postgres12 --db "$name" update-schema -d "$schemas/$dir/versioned"
done
echo "temporal schemas are current"
