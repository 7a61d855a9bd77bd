#!/bin/bash
# Runs once, at InfluxDB 2's first setup (docker-entrypoint-initdb.d), with the operator's CLI
# config. Makes the rollup buckets (kept forever; the raw bucket keeps INFLUX_RAW_RETENTION,
# set by DOCKER_INFLUXDB_INIT_RETENTION) and the only tokens Meetnet's service ever holds: one
# that may only write the three buckets (ingestion and the rollup job) and one that may only
# read them (the API), and leaves them in a volume the service mounts read-only.
set -euo pipefail
out=/run/meetnet-tokens
raw="$DOCKER_INFLUXDB_INIT_BUCKET"
for rollup in "${raw}_rollup_1h" "${raw}_rollup_1d"; do
  influx bucket create --org "$DOCKER_INFLUXDB_INIT_ORG" --name "$rollup" --retention 0 > /dev/null
done
id_of() { influx bucket list --name "$1" --hide-headers | cut -f1; }
ids=("$(id_of "$raw")" "$(id_of "${raw}_rollup_1h")" "$(id_of "${raw}_rollup_1d")")
token_of() { sed -n 's/.*"token": *"\([^"]*\)".*/\1/p'; }
write=() read=()
for id in "${ids[@]}"; do write+=(--write-bucket "$id"); read+=(--read-bucket "$id"); done
influx auth create --org "$DOCKER_INFLUXDB_INIT_ORG" "${write[@]}" \
  --description meetnet-ingestion-write-only --json | token_of > "$out/ingestion-write"
influx auth create --org "$DOCKER_INFLUXDB_INIT_ORG" "${read[@]}" \
  --description meetnet-api-read-only --json | token_of > "$out/api-read"
[ -s "$out/ingestion-write" ] && [ -s "$out/api-read" ] || { echo "meetnet: token creation failed" >&2; exit 1; }
# The service runs as uid 1000 in its own container.
chmod 444 "$out/ingestion-write" "$out/api-read"
echo "meetnet: rollup buckets, write-only and read-only tokens created"
