#!/usr/bin/env bash
# Builds a real influxd (v1.8.10) for development and CI. InfluxDB 1.8 serves the 2.x write and
# Flux query API that @influxdata/influxdb-client speaks, and it builds from the Go module proxy,
# which is all these machines can reach. The binary is cached outside the repo.
set -euo pipefail

INFLUXD_VERSION="v1.8.10"
CACHE_DIR="${MEETNET_CACHE_DIR:-$HOME/.cache/meetnet}"
BIN="$CACHE_DIR/bin/influxd"

if [ -x "$BIN" ]; then
  echo "influxd already built: $BIN"
  exit 0
fi

# Debian's Go lives outside the default PATH on some machines.
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "install.sh: Go is needed to build influxd (set PATH to include /usr/local/go/bin)" >&2
  exit 1
fi

mkdir -p "$CACHE_DIR/bin"
echo "Building influxd $INFLUXD_VERSION (first time only, a few minutes)..."
start=$(date +%s)
# Newer Go toolchains refuse old modules' go:linkname tricks; -checklinkname=0 lets them link.
GOBIN="$CACHE_DIR/bin" GOFLAGS="-mod=mod" GOSUMDB=off \
  go install -ldflags=-checklinkname=0 "github.com/influxdata/influxdb/cmd/influxd@$INFLUXD_VERSION"
echo "influxd built in $(( $(date +%s) - start ))s: $BIN"
