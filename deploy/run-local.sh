#!/usr/bin/env bash
# `make run`: the whole of GridWatch on this machine, without Docker.
# Starts the local stack (Kafka, MQTT, PostgreSQL), every service and the gateway simulator,
# prints where to look, and stops everything on Ctrl-C. Data and logs go to .local/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="${GRIDWATCH_DATA_DIR:-$ROOT/.local}"
LOGS="$DATA/logs"
SERVICES=(registry ingest-bridge detection alert-routing grid-dispatch telemetry console)
declare -A PORT=([registry]=8081 [ingest-bridge]=8082 [detection]=8083 [alert-routing]=8084 [grid-dispatch]=8085 [telemetry]=8086 [console]=8080)

KAFKA_PORT="${GRIDWATCH_KAFKA_PORT:-9092}"
MQTT_PORT="${GRIDWATCH_MQTT_PORT:-1883}"
POSTGRES_PORT="${GRIDWATCH_POSTGRES_PORT:-5432}"
SIMULATOR_PORT="${GRIDWATCH_SIMULATOR_PORT:-8090}"

missing=0
[ -f deploy/local-stack/target/local-stack.jar ] || missing=1
[ -f simulators/gateway-simulator/target/gateway-simulator.jar ] || missing=1
for s in "${SERVICES[@]}"; do [ -f "services/$s/target/quarkus-app/quarkus-run.jar" ] || missing=1; done
if [ "$missing" = 1 ]; then
  echo "Building GridWatch (first run only; later runs start at once)..."
  mvn -B -q install -DskipTests
fi

for port in "${PORT[@]}" "$SIMULATOR_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use. Stop what uses it (another 'make run'?) and try again." >&2
    exit 1
  fi
done

mkdir -p "$LOGS"
pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping GridWatch..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped. Data is kept in $DATA (make clean removes it)."
}
trap stop_all INT TERM EXIT

echo "Starting the local stack (Kafka :$KAFKA_PORT, MQTT :$MQTT_PORT, PostgreSQL :$POSTGRES_PORT)..."
java -jar deploy/local-stack/target/local-stack.jar --data-dir "$DATA" --kafka-port "$KAFKA_PORT" \
  --mqtt-port "$MQTT_PORT" --postgres-port "$POSTGRES_PORT" > "$LOGS/local-stack.out" 2>&1 &
pids+=($!)
until grep -q "GRIDWATCH LOCAL STACK READY" "$LOGS/local-stack.out" 2>/dev/null; do
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "The local stack did not start:" >&2
    cat "$LOGS/local-stack.out" >&2
    exit 1
  fi
  sleep 1
done

export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/gridwatch"
export QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
export GRIDWATCH_INGEST_MQTT_URL="tcp://127.0.0.1:$MQTT_PORT"
# The broker lets the bridge in with the secret the local stack made at its first start.
GRIDWATCH_INGEST_MQTT_PASSWORD="$(sed -n 's/^mqtt\.bridge\.password=//p' "$DATA/endpoints.properties")"
export GRIDWATCH_INGEST_MQTT_PASSWORD
export KAFKA_STREAMS_STATE_DIR="$DATA/detection-state"
# Every service checks its callers' tokens against the local stack's OIDC provider.
export GRIDWATCH_OIDC_ISSUER="http://localhost:${GRIDWATCH_OIDC_PORT:-8180}/gridwatch"
export QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
# The console seals its session cookies with a key of this installation, made at first start, so
# that people stay signed in when the console restarts.
SESSION_SECRET_FILE="$DATA/secrets/console-session.secret"
if [ ! -s "$SESSION_SECRET_FILE" ]; then
  mkdir -p "$DATA/secrets" && chmod 700 "$DATA/secrets"
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' > "$SESSION_SECRET_FILE")
fi
GRIDWATCH_CONSOLE_SESSION_SECRET="$(cat "$SESSION_SECRET_FILE")"
export GRIDWATCH_CONSOLE_SESSION_SECRET
# The demo loads deploy/demo-rules.json after the shipped rules, shortening two windows so that an
# injected incident shows quickly: V1 heart rate 30 s instead of 60 s, D2 silence of a mains
# device 2 min instead of 10 min. Set GRIDWATCH_REGISTRY_SEED_FILES to load other files.
export GRIDWATCH_REGISTRY_SEED_FILES="${GRIDWATCH_REGISTRY_SEED_FILES:-classpath:sensor-types.json,classpath:rules.json,classpath:demo-community.json,$ROOT/deploy/demo-rules.json}"

# Each service with a fixed heap (see docker-compose.yml).
start_service() {
  QUARKUS_HTTP_PORT="${PORT[$1]}" java -Xms384m -Xmx384m -jar "services/$1/target/quarkus-app/quarkus-run.jar" \
    > "$LOGS/$1.log" 2>&1 &
  pids+=($!)
}
await_ready() {
  local deadline=$((SECONDS + 180))
  until curl -fs "http://localhost:${PORT[$1]}/q/health/ready" >/dev/null 2>&1; do
    if [ $SECONDS -gt $deadline ]; then
      echo "$1 did not become ready; see $LOGS/$1.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "  $1 ready on http://localhost:${PORT[$1]}"
}

echo "Starting the services..."
start_service registry
await_ready registry
for s in "${SERVICES[@]:1}"; do start_service "$s"; done
for s in "${SERVICES[@]:1}"; do await_ready "$s"; done

java -jar simulators/gateway-simulator/target/gateway-simulator.jar --mqtt "tcp://127.0.0.1:$MQTT_PORT" \
  --registry http://localhost:8081 --control-port "$SIMULATOR_PORT" \
  --secrets-file "$DATA/gateway-secrets.properties" > "$LOGS/gateway-simulator.log" 2>&1 &
pids+=($!)

cat <<INFO

GridWatch is running. Open the console: http://localhost:8080 (sign in as op-lf-c1, the operator of
Linfen Community 1; the people are listed below). The gateway simulator publishes the demo community every 5 s, each gateway
with the MQTT credentials it was issued by the registry at start (the broker lets no one in without).

  Inject an incident   make incident NAME=high-heart-rate DEVICE=mat-b1-101
                       make incident NAME=device-silent DEVICE=mat-b2-201
  Sign in              TOKEN=\$(deploy/token.sh op-lf-c1)    (also w1..w6, sup-lf-c1, disp-linfen, integrator, admin)
  Open alerts          curl -s -H "Authorization: Bearer \$TOKEN" 'http://localhost:8084/api/v1/alerts?state=OPEN'
  Tasks                curl -s -H "Authorization: Bearer \$TOKEN" 'http://localhost:8085/api/v1/tasks'
  Readings             curl -s -H "Authorization: Bearer \$TOKEN" 'http://localhost:8086/api/v1/devices/mat-b1-101/readings?limit=5'
  Devices              curl -s -H "Authorization: Bearer \$TOKEN" 'http://localhost:8081/api/v1/devices'
  MQTT                 tcp://localhost:$MQTT_PORT and ssl://localhost:${GRIDWATCH_MQTT_TLS_PORT:-8883} (CA $DATA/mqtt/tls/ca.pem);
                       gateways' secrets in $DATA/gateway-secrets.properties
  Health, metrics      http://localhost:8084/q/health  http://localhost:8084/q/metrics
  Logs                 $LOGS

Ctrl-C stops everything.
INFO
wait "${pids[0]}"
