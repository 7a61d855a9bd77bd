#!/usr/bin/env bash
# Prepares what `docker compose up` needs and the repository must never hold, all under
# ./secrets (git-ignored) and .env:
#   secrets/certs/        a development CA and the broker's certificate (use your own CA in production)
#   secrets/mosquitto/    the broker's password file and ACL: the ingestion account and one per simulated device
#   secrets/simulators/   the simulated devices' credentials
#   .env                  random secrets, when there is no .env yet
# Re-running keeps the CA, the .env and the device list, and issues new broker passwords.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '\033[1m[meetnet]\033[0m %s\n' "$*"; }
[ -d services/accounts/dist ] && [ -d simulators/dist ] || { npm ci --no-audit --no-fund; npx tsc -b; }

mkdir -p secrets/certs secrets/mosquitto secrets/simulators
bash infra/tls/make-dev-certs.sh secrets/certs ${BROKER_HOSTNAME:+"$BROKER_HOSTNAME"} > /dev/null
accounts=(node services/accounts/dist/cli.js --dir secrets/mosquitto --pid-file /nonexistent)

node simulators/dist/cli.js --sensors "${SIM_SENSORS:-300}" --list-devices > secrets/simulators/devices.txt
"${accounts[@]}" device add --quiet --from secrets/simulators/devices.txt --credentials-out secrets/simulators/credentials.json
ingestion_password="$("${accounts[@]}" ingestion issue | sed -n 's/^MQTT_PASSWORD=//p')"
# The second instance of docker-compose.scale-out.yml signs in with an account of its own.
ingestion_2_password="$("${accounts[@]}" ingestion issue --instance 2 | sed -n 's/^MQTT_PASSWORD=//p')"

random() { openssl rand -base64 "$1" | tr -d '/+=\n' | head -c "$2"; }
if [ ! -f .env ]; then
  sed -e "s|^INFLUX_ADMIN_PASSWORD=.*|INFLUX_ADMIN_PASSWORD=$(random 32 32)|" \
    -e "s|^INFLUX_ADMIN_TOKEN=.*|INFLUX_ADMIN_TOKEN=$(random 48 48)|" \
    -e "s|^SESSION_SECRET=.*|SESSION_SECRET=$(random 48 48)|" .env.example > .env
  chmod 600 .env
  say "wrote .env with random secrets"
fi
sed -i "s|^MQTT_PASSWORD=.*|MQTT_PASSWORD=$ingestion_password|" .env
grep -q '^MQTT_PASSWORD_2=' .env || echo 'MQTT_PASSWORD_2=' >> .env
sed -i "s|^MQTT_PASSWORD_2=.*|MQTT_PASSWORD_2=$ingestion_2_password|" .env

# The containers run as their own users (Mosquitto 1883, the service and simulators 1000): they
# read what they need, nobody else on the host does. Nothing here is ever made world-readable;
# later `device:add` runs keep each file's owner (services/accounts/src/atomic-file.ts).
chmod 755 secrets secrets/certs secrets/mosquitto secrets/simulators
chmod 640 secrets/mosquitto/passwd secrets/mosquitto/acl secrets/certs/broker.key
chmod 600 secrets/simulators/credentials.json secrets/certs/ca.key
ownership=(chown 1883 secrets/mosquitto/passwd secrets/mosquitto/acl secrets/certs/broker.key)
simulators=(chown 1000 secrets/simulators/credentials.json)
if [ "$(id -u)" = 0 ]; then
  "${ownership[@]}" && "${simulators[@]}"
elif sudo -n true 2> /dev/null; then
  sudo "${ownership[@]}" && sudo "${simulators[@]}"
else
  say "the containers' users must own their secrets; run, as root:"
  say "  sudo ${ownership[*]} && sudo ${simulators[*]}"
  exit 1
fi
say "ready: docker compose up -d, then add people with"
say "  docker compose exec server node services/accounts/dist/cli.js user add --name NAME --role admin"
