#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than the lock file, so the
# README's commands work on a fresh clone: `npm test` and `npm start` both begin here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[meetnet] installing npm dependencies…"
  npm ci --no-audit --no-fund
fi
