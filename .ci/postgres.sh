#!/usr/bin/env bash
# Install and start a PostgreSQL server on loopback for the database tests,
# with a role and an empty database; print the URL the tests read.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null 2>&1
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='portal'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE portal LOGIN PASSWORD 'portal'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='portal_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O portal portal_test"
echo "postgresql+psycopg://portal:portal@127.0.0.1:5432/portal_test"
