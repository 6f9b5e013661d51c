#!/usr/bin/env bash
# Make sure the PostgreSQL server the @ruleflow/postgres server suites use is
# running and reachable (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test):
# start the installed cluster when it is stopped, create the database when it
# is missing, and fail with a clear message when PostgreSQL is not installed.
set -euo pipefail

url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
say() { echo "ensure-postgres: $*"; }

if pg_isready -q -d "$url" 2>/dev/null; then
  say "PostgreSQL is up at ${url#*@}"
else
  if [ ! -d /etc/postgresql ] || [ -z "$(ls /etc/postgresql 2>/dev/null)" ] || ! command -v pg_ctlcluster >/dev/null; then
    say "FAILED: PostgreSQL is not installed here (no /etc/postgresql cluster, no pg_ctlcluster)."
    say "Install it (Debian/Ubuntu: apt-get install -y postgresql), or point DATABASE_URL at a running server."
    exit 1
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  say "PostgreSQL $version is installed but not answering at ${url#*@}: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -d "$url" 2>/dev/null && break
    sleep 1
  done
  if ! pg_isready -q -d "$url" 2>/dev/null; then
    # The server may be up while the database is missing: check the server itself.
    admin="${url%/*}/postgres"
    if ! pg_isready -q -d "$admin" 2>/dev/null; then
      say "FAILED: started PostgreSQL $version/main, but nothing answers at ${url#*@} after 30 s."
      say "See /var/log/postgresql/postgresql-$version-main.log."
      exit 1
    fi
  fi
fi

db="${url##*/}"
db="${db%%\?*}"
admin="${url%/*}/postgres"
if ! psql "$url" -Atqc "SELECT 1" >/dev/null 2>&1; then
  say "database \"$db\" is missing: creating it"
  psql "$admin" -qc "CREATE DATABASE \"$db\"" || { say "FAILED: could not create database \"$db\" (is trust auth for user postgres set up?)"; exit 1; }
fi
say "ready: ${url#*@}"
