#!/usr/bin/env bash
# Creates a Meetnet database on InfluxDB 1.8 with its three retention policies (idempotent):
#   autogen     raw readings, kept INFLUX_RAW_RETENTION (default 400d; INF keeps them forever)
#   rollup_1h   hourly rollups, kept forever
#   rollup_1d   daily rollups (Brussels days), kept forever
# On InfluxDB 2.7 these are buckets: see infra/influxdb/compose/create-service-tokens.sh.
#
#   create-database.sh URL DATABASE      (INFLUX_ADMIN_USER/INFLUX_ADMIN_PASSWORD when auth is on)
set -euo pipefail
url="${1:?usage: create-database.sh URL DATABASE}"
db="${2:?usage: create-database.sh URL DATABASE}"
raw="${INFLUX_RAW_RETENTION:-400d}"
[[ "$raw" =~ ^([0-9]+[hdw]|INF)$ ]] || { echo "INFLUX_RAW_RETENTION=$raw: a duration such as 400d, 9600h or 57w, or INF" >&2; exit 1; }
auth=()
[ -n "${INFLUX_ADMIN_USER:-}" ] && auth=(-u "$INFLUX_ADMIN_USER:${INFLUX_ADMIN_PASSWORD:?}")
q() {
  local answer
  answer="$(curl -fsS "${auth[@]}" -XPOST "$url/query" --data-urlencode "q=$1")"
  if [[ "$answer" == *'"error"'* ]]; then echo "create-database.sh: $1: $answer" >&2; exit 1; fi
}
q "CREATE DATABASE \"$db\""
q "ALTER RETENTION POLICY \"autogen\" ON \"$db\" DURATION $raw"
for rp in rollup_1h rollup_1d; do
  if curl -fsS "${auth[@]}" -G "$url/query" --data-urlencode "q=SHOW RETENTION POLICIES ON \"$db\"" | grep -q "\"$rp\""; then continue; fi
  q "CREATE RETENTION POLICY \"$rp\" ON \"$db\" DURATION INF REPLICATION 1"
done
