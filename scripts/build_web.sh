#!/usr/bin/env bash
# Bundles the dashboard's third-party JS (cytoscape, pinned in src/communique/web/package-lock.json)
# into src/communique/web/static/dist/vendor.js. Build time only: the served app never reaches a CDN.
# npm works in build/web/ (git-ignored), so node_modules never lands inside the Python package;
# neither it nor dist/ is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
WEB=src/communique/web
BUILD=build/web
if ! command -v npm >/dev/null; then
  echo "build_web: npm not found; the dashboard will run without the network graph library" >&2
  exit 0
fi
mkdir -p "$BUILD" "$WEB/static/dist"
cp "$WEB/package.json" "$WEB/package-lock.json" "$BUILD/"
rm -rf "$BUILD/frontend" && cp -r "$WEB/frontend" "$BUILD/frontend"
(
  cd "$BUILD"
  npm ci --no-audit --no-fund --loglevel=error
  ./node_modules/.bin/esbuild frontend/vendor.js --bundle --minify --format=iife --target=es2019 \
    --legal-comments=linked --log-level=warning --outfile="../../$WEB/static/dist/vendor.js"
)
echo "build_web: wrote $WEB/static/dist/vendor.js"
