#!/usr/bin/env bash
# Starts a throwaway influxd 1.8 (Flux enabled, loopback only, its own data dir), creates the
# databases, prints "influxd ready" and stays in the foreground until stopped.
#
#   INFLUX_PORT       HTTP port (default 8086)
#   INFLUX_RPC_PORT   backup/RPC port, loopback (default INFLUX_PORT + 2)
#   INFLUX_DATA_DIR   data directory (default .meetnet/influxdb)
#   INFLUX_DATABASES  space-separated databases to create (default "meetnet"), each with its raw
#                     and rollup retention policies (create-database.sh; INFLUX_RAW_RETENTION)
#   INFLUX_ADMIN_USER, INFLUX_ADMIN_PASSWORD
#                     turn authentication on, with this admin (default: off, for development)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${MEETNET_CACHE_DIR:-$HOME/.cache/meetnet}"
INFLUXD="${INFLUXD_BIN:-$CACHE_DIR/bin/influxd}"
PORT="${INFLUX_PORT:-8086}"
RPC_PORT="${INFLUX_RPC_PORT:-$((PORT + 2))}"
DATA_DIR="${INFLUX_DATA_DIR:-$here/../../.meetnet/influxdb}"
DATABASES="${INFLUX_DATABASES:-meetnet}"

if [ ! -x "$INFLUXD" ]; then
  echo "start.sh: $INFLUXD not found; run infra/influxdb/install.sh first" >&2
  exit 1
fi

mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
config="$DATA_DIR/influxdb.conf"
AUTH=false
curl_auth=()
if [ -n "${INFLUX_ADMIN_USER:-}" ]; then
  AUTH=true
  curl_auth=(-u "$INFLUX_ADMIN_USER:${INFLUX_ADMIN_PASSWORD:?INFLUX_ADMIN_PASSWORD is required with INFLUX_ADMIN_USER}")
fi
sed -e "s#@DATA_DIR@#$DATA_DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@RPC_PORT@#$RPC_PORT#g" -e "s#@AUTH@#$AUTH#g" \
  "$here/influxdb.conf.template" > "$config"

"$INFLUXD" run -config "$config" > "$DATA_DIR/influxd.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; exit 0' TERM INT EXIT

for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:$PORT/health" > /dev/null; then break; fi
  if ! kill -0 $pid 2>/dev/null; then
    echo "start.sh: influxd exited; its log:" >&2
    tail -20 "$DATA_DIR/influxd.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ "$AUTH" = true ]; then
  # With authentication on and no users yet, influxd accepts exactly this one statement.
  curl -sS -XPOST "http://127.0.0.1:$PORT/query" \
    --data-urlencode "q=CREATE USER \"$INFLUX_ADMIN_USER\" WITH PASSWORD '$INFLUX_ADMIN_PASSWORD' WITH ALL PRIVILEGES" > /dev/null
fi
for db in $DATABASES; do
  bash "$here/create-database.sh" "http://127.0.0.1:$PORT" "$db"
done
echo "influxd ready on http://127.0.0.1:$PORT (databases: $DATABASES, raw kept ${INFLUX_RAW_RETENTION:-400d}, authentication: $AUTH, data: $DATA_DIR)"
wait $pid
