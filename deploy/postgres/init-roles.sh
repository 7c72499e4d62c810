#!/bin/sh
# Runs once, when the postgres volume is first initialised. bienal and
# Temporal share the server but not a database or a role: bienal owns the
# database `bienal`; Temporal's role may create its own two databases
# (temporal, temporal_visibility), which the temporal-schema service does.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
	-v bienal_pw="$BIENAL_DB_PASSWORD" -v temporal_pw="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE bienal LOGIN PASSWORD :'bienal_pw';
CREATE DATABASE bienal OWNER bienal;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_pw';
SQL
