#!/bin/bash
# Runs once, at InfluxDB 2's first setup (docker-entrypoint-initdb.d), with the operator's CLI
# config. Makes the only tokens Meetnet's service ever holds: one that may only write the
# bucket (ingestion) and one that may only read it (the API), and leaves them in a volume the
# service mounts read-only.
set -euo pipefail
out=/run/meetnet-tokens
bucket_id="$(influx bucket list --name "$DOCKER_INFLUXDB_INIT_BUCKET" --hide-headers | cut -f1)"
token_of() { sed -n 's/.*"token": *"\([^"]*\)".*/\1/p'; }
influx auth create --org "$DOCKER_INFLUXDB_INIT_ORG" --write-bucket "$bucket_id" \
  --description meetnet-ingestion-write-only --json | token_of > "$out/ingestion-write"
influx auth create --org "$DOCKER_INFLUXDB_INIT_ORG" --read-bucket "$bucket_id" \
  --description meetnet-api-read-only --json | token_of > "$out/api-read"
[ -s "$out/ingestion-write" ] && [ -s "$out/api-read" ] || { echo "meetnet: token creation failed" >&2; exit 1; }
# The service runs as uid 1000 in its own container.
chmod 444 "$out/ingestion-write" "$out/api-read"
echo "meetnet: write-only and read-only tokens created"
