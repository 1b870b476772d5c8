#!/usr/bin/env bash
# Run once by the postgres image when it creates its data directory: the role Switchboard runs as.
# It owns nothing and cannot bypass row-level security; Switchboard migrates the schema as
# POSTGRES_USER (the owner) and grants this role its privileges at every start.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$SWITCHBOARD_APP_PASSWORD" <<'SQL'
CREATE ROLE switchboard_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
    PASSWORD :'app_password';
SQL
