#!/usr/bin/env bash
# Shows which parts of the native infrastructure (scripts/infra/up.sh) are up. Cheap: no JVMs.
# Exit status 0 when everything answers, 1 otherwise.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ok=0
row() { printf '  %-14s %-5s %s\n' "$1" "$2" "$3"; [[ $2 == up ]] || ok=1; }
proc() { local pid; pid="$(pid_of "$1" "$2")" && printf 'pid %s' "$pid" || printf 'no process of ours'; }

echo "[infra] status (${INFRA_DIR})"
if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; then
  n="$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" -d postgres -qAtX \
    -c "SELECT count(*) FROM pg_database WHERE datname IN ('uitgo_auth','uitgo_user','uitgo_driver','uitgo_trip')" 2>/dev/null)"
  [[ $n == 4 ]] && row postgres up "$PG_HOST:$PG_PORT, 4 uitgo databases" || row postgres down "$PG_HOST:$PG_PORT up, ${n:-0}/4 uitgo databases"
else
  row postgres down "nothing on $PG_HOST:$PG_PORT"
fi
[[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && s=up || s=down
row redis "$s" "127.0.0.1:$REDIS_PORT (TLS $REDIS_TLS_PORT), $(proc redis "$(marker_redis "$REDIS_PORT")")"
state="$(redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p')"
[[ $state == ok ]] && s=up || s=down
row redis-cluster "$s" "ports ${REDIS_CLUSTER_PORTS[*]} (TLS each + $REDIS_CLUSTER_TLS_OFFSET), cluster_state:${state:-?}"
port_open "$KAFKA_PORT" && s=up || s=down
row kafka "$s" "127.0.0.1:$KAFKA_PORT (TLS $KAFKA_SSL_PORT), $(proc kafka "$(marker_kafka)")"
[[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/")" != 000 ]] && s=up || s=down
row s3 "$s" "http://127.0.0.1:$S3_PORT, $(proc s3proxy "$(marker_s3proxy)")"
port_open "$DYNAMODB_PORT" && s=up || s=down
row dynamodb "$s" "http://127.0.0.1:$DYNAMODB_PORT, $(proc dynalite "$(marker_dynalite)")"
exit $ok
