# Shared settings and helpers for scripts/infra/{up,down,status}.sh. Sourced, not run.
# Everything these scripts start lives under $UITGO_INFRA_DIR (default <repo>/.infra).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPTS="$ROOT/scripts/infra"
INFRA_DIR="${UITGO_INFRA_DIR:-$ROOT/.infra}"
RUN_DIR="$INFRA_DIR/run"

# Ports and hosts (override with the UITGO_INFRA_* variables).
PG_HOST="${UITGO_INFRA_PG_HOST:-127.0.0.1}"
PG_PORT="${UITGO_INFRA_PG_PORT:-5432}"
PG_ADMIN_USER="${UITGO_INFRA_PG_USER:-postgres}"
REDIS_PORT="${UITGO_INFRA_REDIS_PORT:-6390}"
REDIS_TLS_PORT="${UITGO_INFRA_REDIS_TLS_PORT:-6391}"
# Each cluster node also serves TLS on its port + 100 (7101-7103), and its cluster bus, over
# TLS, on that TLS port + 10000 (17101-17103).
read -r -a REDIS_CLUSTER_PORTS <<<"${UITGO_INFRA_REDIS_CLUSTER_PORTS:-7001 7002 7003}"
REDIS_CLUSTER_TLS_OFFSET=100
KAFKA_PORT="${UITGO_INFRA_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${UITGO_INFRA_KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_SSL_PORT="${UITGO_INFRA_KAFKA_SSL_PORT:-19094}"
S3_PORT="${UITGO_INFRA_S3_PORT:-9000}"
DYNAMODB_PORT="${UITGO_INFRA_DYNAMODB_PORT:-8000}"

SERVICES=(auth user driver trip)
KAFKA_TOPICS=(uitgo.trip.v1 uitgo.driver.v1 uitgo.driver-location.v1 uitgo.driver-trip-position.v1 uitgo.identity.v1)
KAFKA_PARTITIONS=6
S3_ACCESS_KEY=uitgo
S3_SECRET_KEY=uitgo-secret-key
S3_BUCKET=uitgo
S3_REGION=us-east-1
DYNAMODB_TABLE=uitgo-locations

log() { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null; }

# pid_of NAME MARKER: prints the pid recorded in run/NAME.pid if that process is alive and
# its command line still contains MARKER (guards against a recycled pid).
pid_of() {
  local f="$RUN_DIR/$1.pid" pid
  [[ -f $f ]] || return 1
  pid="$(<"$f")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
  printf '%s\n' "$pid"
}

# Markers used by pid_of for each component (things that appear in the process' cmdline).
marker_redis() { printf '127.0.0.1:%s' "$1"; }   # redis-server rewrites its title to "redis-server 127.0.0.1:PORT"
marker_kafka() { printf '%s' "$INFRA_DIR/kafka/server.properties"; }
marker_s3proxy() { printf '%s' "$INFRA_DIR/s3/s3proxy.properties"; }
marker_dynalite() { printf -- '--path %s' "$INFRA_DIR/dynamodb/data"; }

# Every component as "pidfile-name marker" lines, in stop order.
components() {
  printf '%s\t%s\n' dynalite "$(marker_dynalite)"
  printf '%s\t%s\n' s3proxy "$(marker_s3proxy)"
  printf '%s\t%s\n' kafka "$(marker_kafka)"
  local p
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do printf '%s\t%s\n' "redis-$p" "$(marker_redis "$p")"; done
  printf '%s\t%s\n' redis "$(marker_redis "$REDIS_PORT")"
}

# One lock for up/down so two helpers can't race each other.
take_lock() {
  mkdir -p "$INFRA_DIR"
  exec 9>"$INFRA_DIR/.lock"
  if ! flock -n 9; then
    log "another infra script is running; waiting for it ..."
    flock -w 300 9 || die "could not take $INFRA_DIR/.lock"
  fi
}
