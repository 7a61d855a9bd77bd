#!/usr/bin/env bash
# A development certificate authority and a broker certificate signed by it, for Mosquitto's
# TLS listener. Production uses the city's own CA or a public one; see SECURITY.md.
#
#   bash infra/tls/make-dev-certs.sh [DIR] [EXTRA_NAME...]
#
# DIR defaults to .meetnet/certs. The broker certificate names localhost, 127.0.0.1, ::1 and
# `mosquitto` (its docker-compose service name), plus any EXTRA_NAME (a DNS name or an IP).
# Existing files are kept, so the CA a device already trusts stays the same.
set -euo pipefail
dir="${1:-.meetnet/certs}"
shift || true
mkdir -p "$dir"
cd "$dir"

if [ ! -s ca.key ] || [ ! -s ca.crt ]; then
  openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes -keyout ca.key -out ca.crt \
    -subj "/CN=Meetnet development CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2> /dev/null
fi

if [ ! -s broker.key ] || [ ! -s broker.crt ] || ! openssl x509 -checkend 86400 -noout -in broker.crt > /dev/null; then
  san="DNS:localhost,DNS:mosquitto,IP:127.0.0.1,IP:::1"
  for name in "$@"; do
    [ -n "$name" ] || continue
    if [[ "$name" =~ ^[0-9.:]+$ ]]; then san="$san,IP:$name"; else san="$san,DNS:$name"; fi
  done
  openssl req -newkey rsa:2048 -sha256 -nodes -keyout broker.key -out broker.csr -subj "/CN=mosquitto" 2> /dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$san" > broker.ext
  openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 397 -sha256 \
    -extfile broker.ext -out broker.crt 2> /dev/null
  rm -f broker.csr broker.ext
fi
# The broker drops root before it reads the key on reload; the CA key stays private.
chmod 600 ca.key
chmod 640 broker.key
chmod 644 ca.crt broker.crt
echo "certificates in $(pwd): ca.crt (give this to clients), broker.crt, broker.key"
