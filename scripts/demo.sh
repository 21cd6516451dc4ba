#!/usr/bin/env bash
# The main job on the embedded default: analyze one article, ingest the demo corpus into
# ./communique.duckdb, print a few corpus queries, then serve the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=.venv/bin/communique
export COMMUNIQUE_DB=${COMMUNIQUE_DB:-communique.duckdb}
OP_ED=../shared/examples/op-ed-us-pakistan-2025.txt

if [ -f "$OP_ED" ]; then
  echo "== communique analyze $OP_ED =="
  "$CLI" analyze "$OP_ED"
fi
echo "== communique ingest demo/corpus.jsonl (into $COMMUNIQUE_DB) =="
"$CLI" ingest demo/corpus.jsonl --quiet
if [ -f "$OP_ED" ]; then
  "$CLI" ingest "$OP_ED" --published 2025-06-20 --source "Op-ed (example)" --quiet
fi
echo "== ingest again: idempotent, nothing added =="
"$CLI" ingest demo/corpus.jsonl --quiet
echo "== communique actors =="
"$CLI" actors --limit 10
echo "== communique dyads IND PAK --by month =="
"$CLI" dyads IND PAK --by month
echo "== communique compare --actor PAK --by source =="
"$CLI" compare --actor PAK --by source
echo "== communique network --limit 10 =="
"$CLI" network --limit 10
echo "== communique export --format gdelt --out demo-export =="
"$CLI" export --format gdelt --out demo-export
if "$CLI" serve --help >/dev/null 2>&1; then
  echo "== communique serve: the dashboard on the demo corpus (Ctrl-C stops) =="
  exec "$CLI" serve
fi
