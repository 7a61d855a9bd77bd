#!/usr/bin/env bash
# Installs the Node-RED that the ingest benchmark compares Meetnet with (pinned in this folder's
# lock file), once. Not a workspace: `npm test` and `npm start` never need it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bench] installing Node-RED for the comparison…" >&2
  # No install scripts: Node-RED's optional native helpers are not needed for mqtt → influxdb.
  npm ci --no-audit --no-fund --ignore-scripts >&2
fi
