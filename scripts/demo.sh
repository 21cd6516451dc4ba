#!/usr/bin/env bash
# The main job on the embedded default: analyze the demo corpus and the example op-ed,
# ingest them into ./communique.duckdb, print a few queries, then serve the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=.venv/bin/communique
DB=${COMMUNIQUE_DB:-communique.duckdb}
has() { "$CLI" --help | grep -qE "^│ $1 "; }

first=$(mktemp --suffix=.jsonl)
trap 'rm -f "$first"' EXIT
head -n 1 demo/corpus.jsonl > "$first"
echo "== communique analyze: the first demo article =="
"$CLI" analyze "$first"

if has ingest; then
  echo "== communique ingest demo/ into $DB =="
  "$CLI" ingest demo/corpus.jsonl --db "$DB"
  echo "== communique actors =="
  "$CLI" actors --db "$DB" --limit 10 || true
  echo "== communique dyads IND PAK --by month =="
  "$CLI" dyads IND PAK --by month --db "$DB" || true
  echo "== communique network =="
  "$CLI" network --db "$DB" --limit 15 || true
fi
if has serve; then
  echo "== communique serve: open the URL below; Ctrl-C stops =="
  exec "$CLI" serve --db "$DB"
fi
