#!/usr/bin/env bash
# `npm start`: the whole stack on this machine, simulators → broker → service → InfluxDB.
# Installs what is missing, reuses what is running, and stops everything it started on Ctrl-C.
#
#   MQTT_URL      use this broker, with MQTT_USERNAME/MQTT_PASSWORD (default: a Mosquitto of our own
#                 with the shipped config: a development CA, an account per simulated device and one
#                 for the service, plain MQTT on 127.0.0.1:1883 (or 1884) and TLS on 8883 (or 8884);
#                 without mosquitto installed, the one on 1883 or the service's embedded broker)
#   HTTP_PORT     the service's port (default 8080)
#   INFLUX_PORT   the local influxd's port (default 8086)
#   SIM_SENSORS   simulated sensors (default 300);  SIM_INTERVAL  seconds between readings (default 5)
#   SIM_SCENARIO  fault mix the simulators inject after a minute (default health-demo; none for none)
#   SIM_UPSTREAM  devices per upstream kind (TTN, ChirpStack, Sensor.Community, Telraam; default 5; 0 for none)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
state="$root/.meetnet"
mkdir -p "$state"

say() { printf '\033[1m[meetnet]\033[0m %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pids=()
cleanup() {
  trap - EXIT INT TERM
  say "stopping…"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

bash scripts/ensure-deps.sh
say "building…"
npx tsc -b
npm run build --workspace dashboard --silent
bash infra/influxdb/install.sh

HTTP_PORT="${HTTP_PORT:-8080}"
INFLUX_PORT="${INFLUX_PORT:-8086}"
INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
if port_open "$HTTP_PORT"; then
  say "port $HTTP_PORT is taken: set HTTP_PORT to a free port"; exit 1
fi

if curl -fs "$INFLUX_URL/health" > /dev/null 2>&1; then
  say "using the InfluxDB already on $INFLUX_URL"
  bash infra/influxdb/create-database.sh "$INFLUX_URL" meetnet
else
  INFLUX_PORT="$INFLUX_PORT" INFLUX_DATA_DIR="$state/influxdb" bash infra/influxdb/start.sh > "$state/influxdb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do grep -q 'influxd ready' "$state/influxdb.log" 2>/dev/null && break; sleep 0.1; done
  grep -q 'influxd ready' "$state/influxdb.log" || { say "influxd did not start:"; tail -20 "$state/influxdb.log"; exit 1; }
  say "influxd started on $INFLUX_URL (log: .meetnet/influxdb.log)"
fi

# People: one local account per role, made once, passwords kept in .meetnet/dev-users.txt.
users_file="$state/users.json"
if [ ! -s "$users_file" ]; then
  : > "$state/dev-users.txt"; chmod 600 "$state/dev-users.txt"
  for role in officer analyst technician admin; do
    password="$(openssl rand -base64 18)"
    printf '%s' "$password" | node services/accounts/dist/cli.js user add --name "$role" --role "$role" \
      --password-stdin --users "$users_file" --quiet
    printf '  %-11s %s\n' "$role" "$password" >> "$state/dev-users.txt"
  done
  say "made a local account per role (.meetnet/dev-users.txt)"
fi
[ -s "$state/session-secret" ] || { openssl rand -base64 48 > "$state/session-secret"; chmod 600 "$state/session-secret"; }

sim_env=()
service_env=()
if [ -z "${MQTT_URL:-}" ]; then
  if command -v mosquitto > /dev/null; then
    # Our own broker with the project's config, as shipped: accounts, ACL, TLS. (A stock
    # Mosquitto also queues only 1,000 messages per client and silently drops the rest.)
    broker_dir="$state/mosquitto"
    mkdir -p "$broker_dir/accounts"
    bash infra/tls/make-dev-certs.sh "$state/certs" > /dev/null
    # The simulators authenticate like real devices: each its own account.
    node simulators/dist/cli.js --sensors "${SIM_SENSORS:-300}" --list-devices > "$state/sim-devices.txt"
    node services/accounts/dist/cli.js device add --from "$state/sim-devices.txt" \
      --credentials-out "$state/sim-credentials.json" --dir "$broker_dir/accounts" --pid-file /nonexistent --quiet
    node services/accounts/dist/cli.js ingestion issue --env-out "$state/ingestion.env" \
      --dir "$broker_dir/accounts" --pid-file /nonexistent --quiet
    MQTT_PORT="${MQTT_PORT:-1883}"; MQTT_TLS_PORT="${MQTT_TLS_PORT:-8883}"
    port_open "$MQTT_PORT" && MQTT_PORT=1884
    port_open "$MQTT_TLS_PORT" && MQTT_TLS_PORT=8884
    sed -e "s/^listener 1883 127.0.0.1$/listener $MQTT_PORT 127.0.0.1/" \
      -e "s/^listener 8883$/listener $MQTT_TLS_PORT 127.0.0.1/" \
      -e "s#/mosquitto/data/#$broker_dir/#" -e "s#/mosquitto/accounts/#$broker_dir/accounts/#" \
      -e "s#/mosquitto/certs/#$state/certs/#" infra/mosquitto/mosquitto.conf > "$state/mosquitto.conf"
    [ "$(id -u)" = 0 ] && echo 'user root' >> "$state/mosquitto.conf"
    mosquitto -c "$state/mosquitto.conf" > "$state/mosquitto.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 50); do port_open "$MQTT_TLS_PORT" && break; sleep 0.1; done
    port_open "$MQTT_TLS_PORT" || { say "Mosquitto did not start:"; tail -20 "$state/mosquitto.log"; exit 1; }
    MQTT_URL="mqtts://localhost:$MQTT_TLS_PORT"
    # The service reads over TLS and verifies the broker; the simulators sit on loopback.
    set -a; . "$state/ingestion.env"; set +a
    service_env+=(MQTT_CA_FILE="$state/certs/ca.crt")
    sim_env+=(--url "mqtt://127.0.0.1:$MQTT_PORT" --credentials "$state/sim-credentials.json")
    say "Mosquitto started (accounts and ACL on, TLS on $MQTT_TLS_PORT, loopback plain on $MQTT_PORT; log: .meetnet/mosquitto.log)"
  elif port_open 1883; then
    MQTT_URL="mqtt://127.0.0.1:1883"
    say "using the MQTT broker already on 127.0.0.1:1883 (its own accounts and queue limits apply)"
  else
    say "no Mosquitto installed: the service runs its embedded broker on 127.0.0.1:1883 (no accounts)"
  fi
fi
[ ${#sim_env[@]} -eq 0 ] && sim_env+=(--url "${MQTT_URL:-mqtt://127.0.0.1:1883}")

# Devices of other systems beside Meetnet's own (docs/connect-devices.md): a broker playing TTN's
# and ChirpStack's, a Telraam-shaped API to poll, and stations that push like Sensor.Community's.
upstream_line="none (SIM_UPSTREAM=0, or no mosquitto installed)"
if [ "${SIM_UPSTREAM:-5}" != 0 ] && command -v mosquitto > /dev/null; then
  ns_port=1885; while port_open "$ns_port"; do ns_port=$((ns_port + 1)); done
  telraam_port=8095; while port_open "$telraam_port"; do telraam_port=$((telraam_port + 1)); done
  mkdir -p "$state/network-server"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n' \
    "$ns_port" "$state/network-server" > "$state/network-server/mosquitto.conf"
  [ "$(id -u)" = 0 ] && echo 'user root' >> "$state/network-server/mosquitto.conf"
  mosquitto -c "$state/network-server/mosquitto.conf" > "$state/network-server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do port_open "$ns_port" && break; sleep 0.1; done
  upstream=(--network-server "mqtt://127.0.0.1:$ns_port" --telraam-port "$telraam_port"
    --per-kind "${SIM_UPSTREAM:-5}" --meetnet "http://127.0.0.1:$HTTP_PORT")
  node simulators/dist/upstream/upstream-cli.js "${upstream[@]}" --write-sources "$state/sources"
  node simulators/dist/upstream/upstream-cli.js "${upstream[@]}" > "$state/upstream-sim.log" 2>&1 &
  pids+=($!)
  service_env+=(SOURCES_FILE="$state/sources/sources.json")
  upstream_line="${SIM_UPSTREAM:-5} each of TTN, ChirpStack (broker mqtt://127.0.0.1:$ns_port), Sensor.Community and Telraam (API http://127.0.0.1:$telraam_port/v1); sources file .meetnet/sources/sources.json"
  say "upstream simulators started: $upstream_line"
fi

env "${service_env[@]}" NODE_ENV=development MQTT_URL="${MQTT_URL:-}" HTTP_PORT="$HTTP_PORT" INFLUX_URL="$INFLUX_URL" \
  INFLUX_WRITE_TOKEN="${INFLUX_WRITE_TOKEN:-meetnet:dev}" INFLUX_READ_TOKEN="${INFLUX_READ_TOKEN:-meetnet:dev}" \
  INFLUX_BUCKET="${INFLUX_BUCKET:-meetnet/autogen}" MQTT_CLIENT_ID="meetnet-ingestion-dev" \
  USERS_FILE="$users_file" SESSION_SECRET_FILE="$state/session-secret" PUBLIC_URL="http://127.0.0.1:$HTTP_PORT" \
  node services/server/dist/main.js > "$state/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$HTTP_PORT/readyz" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$HTTP_PORT/readyz" > /dev/null || { say "the service did not become ready:"; tail -20 "$state/service.log"; exit 1; }
say "service ready on http://127.0.0.1:$HTTP_PORT (log: .meetnet/service.log)"

# A few devices develop faults after a minute, so the Fleet health view has work to show
# (SIM_SCENARIO=none for a healthy fleet).
scenario=()
[ "${SIM_SCENARIO:-health-demo}" != none ] && scenario=(--scenario "${SIM_SCENARIO:-health-demo}" --fault-after 60)
node simulators/dist/cli.js "${sim_env[@]}" --sensors "${SIM_SENSORS:-300}" \
  --interval "${SIM_INTERVAL:-5}" "${scenario[@]}" --progress 30 &
pids+=($!)

# Prove the loop is closed: the first simulated points must be queryable within seconds.
sim_started=$(date +%s%N)
since=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
for _ in $(seq 1 100); do
  points=$(curl -fs -XPOST "$INFLUX_URL/api/v2/query" -H 'Content-Type: application/vnd.flux' -H 'Accept: application/csv' \
    -d 'from(bucket: "meetnet/autogen") |> range(start: '"$since"') |> filter(fn: (r) => r._field == "pm25" or r._field == "laeq" or r._field == "car") |> count() |> group() |> sum()' \
    | tr -d '\r' | awk -F, 'NR>1 && $NF ~ /^[0-9]+$/ {print $NF}' | tail -1)
  [ -n "${points:-}" ] && [ "${points:-0}" -gt 0 ] && break
  sleep 0.2
done
first_ms=$(( ($(date +%s%N) - sim_started) / 1000000 ))
cat <<TXT

  Meetnet is running. Open the live map:  http://127.0.0.1:$HTTP_PORT/
    service    http://127.0.0.1:$HTTP_PORT   (API docs /api/docs, /healthz, /readyz, /metrics)
    health     http://127.0.0.1:$HTTP_PORT/#/health   (as technician or admin; a few simulated devices turn faulty after a minute)
    public     http://127.0.0.1:$HTTP_PORT/#/publiek   (no sign-in; air and traffic show the last full hour, so they fill in after the first one)
    open data  http://127.0.0.1:$HTTP_PORT/ngsi-ld/v1/entities, /sta/v1.1, /ldes/v1/observations   (docs/open-data.md)
    alerts     http://127.0.0.1:$HTTP_PORT/#/meldingen   (the shipped WHO/EU presets and "offline 30 min"; docs/alerts.md)
    InfluxDB   $INFLUX_URL   bucket meetnet/autogen: ${points:-0} observations stored so far (first seen ${first_ms} ms after the simulators started)
    broker     ${MQTT_URL:-embedded, mqtt://127.0.0.1:1883}
    upstream   $upstream_line
  Sign in with one of these development accounts (kept in .meetnet/dev-users.txt):
$(cat "$state/dev-users.txt" 2>/dev/null)
  Add a device:  npm run device:add -- --city leuven --domain air --id AQ-0042
  Try:  curl -s http://127.0.0.1:$HTTP_PORT/metrics | grep meetnet_ingest
  Ctrl-C stops everything.

TXT
wait -n "${pids[@]}" || true
