#!/usr/bin/env bash
# Builds the Telegraf that the benchmarks compare Meetnet with, once, from the Go module proxy
# (about 5 minutes and a 400 MB binary), into the same cache as our influxd. Prints its path.
# Never needed by `npm test` or `npm start`.
set -euo pipefail
version=v1.37.2
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/meetnet/bin"
binary="$bin_dir/telegraf-$version"
if [ ! -x "$binary" ]; then
  export PATH="$PATH:/usr/local/go/bin"
  command -v go > /dev/null || { echo "[bench] Telegraf needs Go to build (https://go.dev/dl/)" >&2; exit 1; }
  echo "[bench] building Telegraf $version for the comparison (about 5 minutes, once)…" >&2
  build="$(mktemp -d)"
  (cd "$build" && GOBIN="$build" CGO_ENABLED=0 go install "github.com/influxdata/telegraf/cmd/telegraf@$version" >&2)
  mkdir -p "$bin_dir"
  mv "$build/telegraf" "$binary"
  rm -rf "$build"
fi
echo "$binary"
