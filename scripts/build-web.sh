#!/usr/bin/env bash
# Builds the dashboard into web/dist: type check, then vite build. Run by the CMake target
# `dashboard` (so by `make build`) only when web/ changed. Skips, saying why, when npm or the
# page's dependencies are missing: the gateway works without the dashboard.
set -euo pipefail

web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "dashboard: npm not found, not built (install Node.js and npm, then make build)"
  exit 0
fi
if [[ ! -x "$web/node_modules/.bin/vite" ]]; then
  echo "dashboard: web/node_modules is missing, not built (scripts/setup.sh runs npm ci there)"
  exit 0
fi
cd "$web"
npm run --silent build -- --logLevel warn
