#!/bin/sh
# Runs Mosquitto with the registry's view of who may connect: every 5 s it fetches the password
# and ACL files from the registry (GET /api/v1/mqtt/mosquitto/...) and, when they changed, has
# Mosquitto reload them (SIGHUP). The ingest-bridge's own entry is made here from its secret.
set -eu
: "${GRIDWATCH_REGISTRY_URL:?}" "${GRIDWATCH_MQTT_BRIDGE_PASSWORD:?}" "${GRIDWATCH_OIDC_TOKEN_URL:?}" "${GRIDWATCH_SERVICES_CLIENT_SECRET:?}"
dir=/mosquitto/data/gridwatch
mkdir -p "$dir"
umask 077
rm -f "$dir/bridge"
mosquitto_passwd -c -b "$dir/bridge" ingest-bridge "$GRIDWATCH_MQTT_BRIDGE_PASSWORD"
[ -f "$dir/passwd" ] || cp "$dir/bridge" "$dir/passwd"
[ -f "$dir/acl" ] || printf 'user ingest-bridge\ntopic read gridwatch/v1/+/telemetry\n' > "$dir/acl"
chown -R mosquitto:mosquitto "$dir" 2>/dev/null || true

# The registry serves these files to services only: a client-credentials token of the OIDC provider.
token() {
  wget -qO- --post-data "grant_type=client_credentials&client_id=gridwatch-services&client_secret=$GRIDWATCH_SERVICES_CLIENT_SECRET" \
    "$GRIDWATCH_OIDC_TOKEN_URL" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}

# Fetches both files; prints "changed" when either differs from what Mosquitto has.
sync() {
  bearer="Authorization: Bearer $(token)"
  wget -qO "$dir/registry.new" --header "$bearer" "$GRIDWATCH_REGISTRY_URL/api/v1/mqtt/mosquitto/password-file" || return 0
  wget -qO "$dir/acl.new" --header "$bearer" "$GRIDWATCH_REGISTRY_URL/api/v1/mqtt/mosquitto/acl-file?bridgeUser=ingest-bridge" || return 0
  cat "$dir/bridge" "$dir/registry.new" > "$dir/passwd.new"
  for f in passwd acl; do
    if ! cmp -s "$dir/$f.new" "$dir/$f"; then
      mv "$dir/$f.new" "$dir/$f"
      echo changed
    fi
  done
  chown mosquitto:mosquitto "$dir/passwd" "$dir/acl" 2>/dev/null || true
}

sync >/dev/null
mosquitto -c /mosquitto/config/mosquitto.conf &
broker=$!
trap 'kill -TERM $broker; wait $broker' TERM INT
while kill -0 "$broker" 2>/dev/null; do
  sleep 5
  if [ -n "$(sync)" ]; then
    kill -HUP "$broker"
  fi
done
wait "$broker"
