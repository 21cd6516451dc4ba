#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster (Debian package `postgresql`) on a free loopback port and print
# its DSN; Ctrl-C stops it and deletes its files. As root, initdb/postgres run as the `postgres` user.
#   export COMMUNIQUE_TEST_PG=$(scripts/pg_test_server.sh &) ...   # or simply let pytest start its own
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m communique.store.pgtemp
