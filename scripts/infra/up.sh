#!/usr/bin/env bash
# Brings up UIT-Go's real infrastructure natively, without Docker (`pnpm infra:up`):
#   PostgreSQL (the machine's): one database + role per service
#   redis-server on 6390, a 3-node Redis Cluster on 7001-7003
#   Kafka (KRaft, single node) on 19092, S3Proxy on 9000, dynalite on 8000
#   TLS listeners beside them (redis 6391, cluster 7101-7103, Kafka 19094) with certificates
#   from a CA of its own (.infra/tls/ca.crt), for the in-transit encryption tests
# Waits until each part really answers. Safe to run again: running parts are left alone.
# Writes .infra/env (KEY=value for every variable of docs/development.md) and prints it.
# Stop with `pnpm infra:down` (scripts/infra/down.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T0="$(now_ms)"
take_lock
mkdir -p "$RUN_DIR"

for tool in psql pg_isready redis-server redis-cli java mvn node curl setsid flock openssl; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed"
done
java_major="$(java -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)"
(( ${java_major:-0} >= 17 )) || die "Java 17 or newer is needed (found '${java_major:-?}')"

# write_if_changed FILE: stdin replaces FILE only when the content differs.
write_if_changed() {
  local tmp
  tmp="$(mktemp "$1.XXXX")"
  cat >"$tmp"
  if [[ -f $1 ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

# start_bg NAME LOGFILE CMD...: runs CMD in its own session, detached, pid in run/NAME.pid.
start_bg() {
  local name=$1 logf=$2
  shift 2
  setsid "$@" >>"$logf" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"$RUN_DIR/$name.pid"
}

# wait_until TIMEOUT_S PID CHECK...: polls CHECK until it succeeds; fails early if PID dies.
wait_until() {
  local timeout=$1 pid=$2
  shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 2; fi
    (( $(date +%s) < deadline )) || return 1
    sleep 0.2
  done
}

fail_with_log() { # NAME LOGFILE MESSAGE
  printf '[infra] ERROR: %s: %s. Last lines of %s:\n' "$1" "$3" "$2" >&2
  tail -n 25 "$2" >&2 || true
  exit 1
}

# fetch_jars NAME POM LIBDIR: copies POM's runtime classpath into LIBDIR unless it is there
# already for this very pom (Maven's ~/.m2 caches the downloads themselves).
fetch_jars() {
  local name=$1 pom=$2 lib=$3 stamp want
  stamp="$lib/.pom.sha256"
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f $stamp && "$(<"$stamp")" == "$want" ]]; then return 0; fi
  local t
  t="$(now_ms)"
  log "$name: fetching jars with Maven ..."
  rm -rf "$lib"
  mkdir -p "$lib"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$lib" >"$lib/../mvn.log" 2>&1; then
    rm -rf "$lib"
    fail_with_log "$name" "$(dirname "$lib")/mvn.log" "mvn dependency:copy-dependencies failed"
  fi
  printf '%s\n' "$want" >"$stamp"
  log "$name: $(find "$lib" -name '*.jar' | wc -l) jars in $(since "$t")"
}

# ----------------------------------------------------------------------------- PostgreSQL
pg_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }

postgres_up() {
  local t
  t="$(now_ms)"
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 1; then
    log "postgres: waiting for the machine's PostgreSQL on $PG_HOST:$PG_PORT ..."
    wait_until 30 "" pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 1 ||
      die "postgres: nothing answers on $PG_HOST:$PG_PORT (this script does not start PostgreSQL itself)"
  fi
  local s db changes=()
  for s in "${SERVICES[@]}"; do
    db="uitgo_$s"
    if [[ -z "$(pg_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$db'")" ]]; then
      pg_admin -c "CREATE ROLE $db LOGIN PASSWORD '$db' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
      # `down --purge` drops only what this checkout created.
      echo "role $db" >>"$INFRA_DIR/created-in-postgres"
      changes+=("role $db")
    fi
    if [[ -z "$(pg_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      pg_admin -c "CREATE DATABASE $db OWNER $db"
      # Only the owner (and superusers) may connect: services can't reach each other's data.
      pg_admin -c "REVOKE ALL ON DATABASE $db FROM PUBLIC"
      echo "database $db" >>"$INFRA_DIR/created-in-postgres"
      changes+=("database $db")
    elif [[ "$(pg_admin -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$db'")" != "$db" ]]; then
      pg_admin -c "ALTER DATABASE $db OWNER TO $db"
      changes+=("owner of $db")
    fi
    psql "postgres://$db:$db@$PG_HOST:$PG_PORT/$db" -qAtX -c 'SELECT 1' >/dev/null ||
      die "postgres: cannot connect as $db to database $db"
  done
  if ((${#changes[@]})); then
    log "postgres: created $(printf '%s, ' "${changes[@]}" | sed 's/, $//'); ready in $(since "$t")"
  else
    log "postgres: databases and roles uitgo_{${SERVICES[*]}} present (ready in $(since "$t"))"
  fi
}

# ----------------------------------------------------------------------------- TLS
# A private CA and one certificate (127.0.0.1, localhost) for every TLS listener, also the
# client certificate of the TLS cluster bus; made once and kept, so clients configured with
# the CA file keep working across restarts.
TLS_DIR="$INFRA_DIR/tls"
tls_up() {
  [[ -s "$TLS_DIR/server.pem" && -s "$TLS_DIR/ca.crt" ]] && return 0
  mkdir -p "$TLS_DIR"
  (
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=UIT-Go infra test CA"
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 -extfile server.ext
    cat server.key server.crt >server.pem # Kafka's PEM keystore: PKCS#8 key, then the chain
    chmod 600 ca.key server.key server.pem
  ) >"$TLS_DIR/openssl.log" 2>&1 || fail_with_log tls "$TLS_DIR/openssl.log" "could not make the test certificates"
  log "tls: test CA and server certificate in ${TLS_DIR#"$ROOT/"}"
}

# ----------------------------------------------------------------------------- Redis
redis_conf() { # PORT DIR CLUSTER(yes|no) TLS_PORT
  cat <<CONF
# generated by scripts/infra/up.sh
bind 127.0.0.1
protected-mode yes
port $1
tls-port $4
tls-cert-file $TLS_DIR/server.crt
tls-key-file $TLS_DIR/server.key
tls-ca-cert-file $TLS_DIR/ca.crt
tls-auth-clients no
dir $2
daemonize no
logfile ""
save ""
CONF
  if [[ $3 == yes ]]; then
    # tls-cluster: the bus is TLS, and CLUSTER SLOTS answers TLS clients with TLS ports.
    cat <<CONF
appendonly no
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 5000
tls-cluster yes
tls-replication yes
CONF
  else
    cat <<CONF
appendonly yes
appendfsync everysec
CONF
  fi
}

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }

# redis_start NAME PORT DIR CLUSTER TLS_PORT: starts one redis-server unless ours already runs.
# Sets REDIS_STARTED to "yes" or "no".
redis_start() {
  local name=$1 port=$2 dir=$3 cluster=$4 tls_port=$5
  REDIS_STARTED=no
  if pid_of "$name" "$(marker_redis "$port")" >/dev/null; then return 0; fi
  port_open "$port" && die "$name: port $port is taken by a process that up.sh did not start"
  port_open "$tls_port" && die "$name: port $tls_port is taken by a process that up.sh did not start"
  mkdir -p "$dir"
  redis_conf "$port" "$dir" "$cluster" "$tls_port" | write_if_changed "$dir/redis.conf"
  start_bg "$name" "$dir/redis.log" redis-server "$dir/redis.conf"
  REDIS_STARTED=yes
}

redis_wait() { # NAME PORT DIR TLS_PORT
  local rc=0
  wait_until 20 "$(<"$RUN_DIR/$1.pid")" redis_ping "$2" || rc=$?
  ((rc == 0)) || fail_with_log "$1" "$3/redis.log" "did not answer PING on port $2"
  # A server started by an older up.sh has no TLS listener; it is only picked up by a restart.
  port_open "$4" || die "$1: nothing listens on TLS port $4 (started before TLS was added? run pnpm infra:down, then pnpm infra:up)"
}

redis_up() {
  local t
  t="$(now_ms)"
  redis_start redis "$REDIS_PORT" "$INFRA_DIR/redis/$REDIS_PORT" no "$REDIS_TLS_PORT"
  if [[ $REDIS_STARTED == no ]]; then
    redis_wait redis "$REDIS_PORT" "$INFRA_DIR/redis/$REDIS_PORT" "$REDIS_TLS_PORT"
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
  else
    log "redis: starting on 127.0.0.1:$REDIS_PORT (TLS $REDIS_TLS_PORT) ..."
    redis_wait redis "$REDIS_PORT" "$INFRA_DIR/redis/$REDIS_PORT" "$REDIS_TLS_PORT"
    log "redis: ready in $(since "$t")"
  fi
}

cluster_node_ok() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
cluster_ok() {
  local p
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do cluster_node_ok "$p" || return 1; done
  # every node must see all the others (a freshly created cluster converges in a moment)
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do
    [[ "$(redis-cli -h 127.0.0.1 -p "$p" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')" == "${#REDIS_CLUSTER_PORTS[@]}" ]] || return 1
  done
}
cluster_known_nodes() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_known_nodes://p'; }

redis_cluster_up() {
  local t p started=0 nodes=() tls_nodes=()
  t="$(now_ms)"
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do
    redis_start "redis-$p" "$p" "$INFRA_DIR/redis-cluster/$p" yes $((p + REDIS_CLUSTER_TLS_OFFSET))
    [[ $REDIS_STARTED == yes ]] && started=$((started + 1))
    nodes+=("127.0.0.1:$p")
    tls_nodes+=("127.0.0.1:$((p + REDIS_CLUSTER_TLS_OFFSET))")
  done
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do
    ((started > 0)) || redis_wait "redis-$p" "$p" "$INFRA_DIR/redis-cluster/$p" $((p + REDIS_CLUSTER_TLS_OFFSET))
  done
  if ((started == 0)) && cluster_ok; then
    log "redis-cluster: already running on ${nodes[*]} (cluster_state:ok)"
    return 0
  fi
  log "redis-cluster: starting $started of ${#nodes[@]} nodes on ${nodes[*]} ..."
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do redis_wait "redis-$p" "$p" "$INFRA_DIR/redis-cluster/$p" $((p + REDIS_CLUSTER_TLS_OFFSET)); done
  # Nodes restarted from their nodes.conf rejoin on their own; give them a moment.
  if [[ "$(cluster_known_nodes "${REDIS_CLUSTER_PORTS[0]}")" != 1 ]]; then
    wait_until 15 "" cluster_ok || true
  fi
  if ! cluster_ok; then
    local what=created
    if [[ "$(cluster_known_nodes "${REDIS_CLUSTER_PORTS[0]}")" != 1 ]]; then
      what=re-created
      warn "redis-cluster: existing cluster state is broken; resetting the nodes (their data is lost)"
      for p in "${REDIS_CLUSTER_PORTS[@]}"; do
        redis-cli -h 127.0.0.1 -p "$p" flushall >/dev/null 2>&1 || true
        redis-cli -h 127.0.0.1 -p "$p" cluster reset hard >/dev/null
      done
    fi
    # The bus is TLS (tls-cluster), so the nodes meet through their TLS ports.
    redis-cli --tls --cacert "$TLS_DIR/ca.crt" --cluster create "${tls_nodes[@]}" --cluster-replicas 0 --cluster-yes \
      >"$INFRA_DIR/redis-cluster/create.log" 2>&1 ||
      fail_with_log redis-cluster "$INFRA_DIR/redis-cluster/create.log" "redis-cli --cluster create failed"
    wait_until 30 "" cluster_ok ||
      fail_with_log redis-cluster "$INFRA_DIR/redis-cluster/create.log" "cluster_state did not become ok"
    log "redis-cluster: $what; cluster_state:ok in $(since "$t")"
  else
    log "redis-cluster: cluster_state:ok in $(since "$t")"
  fi
}

# ----------------------------------------------------------------------------- Kafka
KAFKA_DIR="$INFRA_DIR/kafka"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_STARTED=no

kafka_java() { # classpath-less java with Kafka's lib and tool logging
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$SCRIPTS/kafka/log4j2-tools.xml" -cp "$KAFKA_DIR/lib/*" "$@"
}

kafka_topics_on_disk() {
  local t
  for t in "${KAFKA_TOPICS[@]}"; do [[ -d "$KAFKA_DIR/data/$t-0" ]] || return 1; done
}

kafka_start() {
  if pid_of kafka "$(marker_kafka)" >/dev/null; then return 0; fi
  port_open "$KAFKA_PORT" && die "kafka: port $KAFKA_PORT is taken by a process that up.sh did not start"
  port_open "$KAFKA_CONTROLLER_PORT" && die "kafka: port $KAFKA_CONTROLLER_PORT is taken by a process that up.sh did not start"
  port_open "$KAFKA_SSL_PORT" && die "kafka: port $KAFKA_SSL_PORT is taken by a process that up.sh did not start"
  mkdir -p "$KAFKA_DIR/data" "$KAFKA_DIR/logs"
  write_if_changed "$KAFKA_PROPS" <<PROPS
# generated by scripts/infra/up.sh: single-node KRaft broker + controller
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/server.pem
ssl.client.auth=none
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$KAFKA_DIR/data
num.partitions=$KAFKA_PARTITIONS
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
log.retention.check.interval.ms=300000
PROPS
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    local cid t
    t="$(now_ms)"
    # A URL-safe base64 UUID, as Kafka makes them; one that starts with '-' (1 in 64) would
    # read as an option to the format tool, so draw again (Kafka's own random-uuid does too).
    while [[ ! -s "$KAFKA_DIR/cluster-id" || "$(<"$KAFKA_DIR/cluster-id")" == -* ]]; do
      head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$KAFKA_DIR/cluster-id"
    done
    cid="$(<"$KAFKA_DIR/cluster-id")"
    kafka_java kafka.tools.StorageTool format --standalone --cluster-id="$cid" -c "$KAFKA_PROPS" \
      >"$KAFKA_DIR/logs/format.log" 2>&1 ||
      fail_with_log kafka "$KAFKA_DIR/logs/format.log" "kafka-storage format failed"
    log "kafka: storage formatted (cluster id $cid) in $(since "$t")"
  fi
  # keep one previous generation of the logs, so "Kafka Server started" is this run's
  local f
  for f in server.log stdout.log; do
    [[ -f "$KAFKA_DIR/logs/$f" ]] && mv -f "$KAFKA_DIR/logs/$f" "$KAFKA_DIR/logs/$f.1"
  done
  start_bg kafka "$KAFKA_DIR/logs/stdout.log" \
    java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dkafka.logs.dir="$KAFKA_DIR/logs" \
    -Dlog4j2.configurationFile="$SCRIPTS/kafka/log4j2.xml" \
    -cp "$KAFKA_DIR/lib/*" kafka.Kafka "$KAFKA_PROPS"
  KAFKA_STARTED=yes
}

kafka_started_logged() { grep -q 'Kafka Server started' "$KAFKA_DIR/logs/server.log"; }

kafka_wait() {
  local t=$1 pid rc=0
  pid="$(<"$RUN_DIR/kafka.pid")"
  if [[ $KAFKA_STARTED == no ]]; then
    wait_until 120 "$pid" port_open "$KAFKA_PORT" || rc=$?
    ((rc == 0)) || fail_with_log kafka "$KAFKA_DIR/logs/server.log" "our broker (pid $pid) does not listen on $KAFKA_PORT"
    port_open "$KAFKA_SSL_PORT" ||
      die "kafka: nothing listens on the TLS port $KAFKA_SSL_PORT (started before TLS was added? run pnpm infra:down, then pnpm infra:up)"
    if kafka_topics_on_disk; then
      log "kafka: already running on 127.0.0.1:$KAFKA_PORT"
      return 0
    fi
  fi
  if [[ $KAFKA_STARTED == yes ]]; then
    wait_until 120 "$pid" kafka_started_logged || rc=$?
    ((rc != 2)) || fail_with_log kafka "$KAFKA_DIR/logs/server.log" "the broker exited"
    ((rc == 0)) || fail_with_log kafka "$KAFKA_DIR/logs/server.log" "no 'Kafka Server started' within 120s"
    wait_until 10 "$pid" port_open "$KAFKA_PORT" ||
      fail_with_log kafka "$KAFKA_DIR/logs/server.log" "nothing listens on $KAFKA_PORT"
    wait_until 10 "$pid" port_open "$KAFKA_SSL_PORT" ||
      fail_with_log kafka "$KAFKA_DIR/logs/server.log" "nothing listens on the TLS port $KAFKA_SSL_PORT"
  fi
  # Real check: the broker answers DescribeCluster, topics exist and have leaders.
  local out
  if ! out="$(kafka_java "$SCRIPTS/kafka/KafkaAdmin.java" ensure "127.0.0.1:$KAFKA_PORT" 60000 \
    "$KAFKA_PARTITIONS" "${KAFKA_TOPICS[@]}" 2>"$KAFKA_DIR/logs/admin.log")"; then
    fail_with_log kafka "$KAFKA_DIR/logs/admin.log" "the broker did not answer the admin check"
  fi
  log "kafka: ready in $(since "$t") ($out)"
}

# ----------------------------------------------------------------------------- S3 (S3Proxy)
S3_DIR="$INFRA_DIR/s3"
S3_STARTED=no

s3_start() {
  if pid_of s3proxy "$(marker_s3proxy)" >/dev/null; then return 0; fi
  port_open "$S3_PORT" && die "s3: port $S3_PORT is taken by a process that up.sh did not start"
  mkdir -p "$S3_DIR/data"
  write_if_changed "$S3_DIR/s3proxy.properties" <<PROPS
# generated by scripts/infra/up.sh
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.cors-allow-all=true
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR/data
jclouds.identity=$S3_ACCESS_KEY
jclouds.credential=$S3_SECRET_KEY
jclouds.region=$S3_REGION
PROPS
  [[ -f "$S3_DIR/s3proxy.log" ]] && mv -f "$S3_DIR/s3proxy.log" "$S3_DIR/s3proxy.log.1"
  start_bg s3proxy "$S3_DIR/s3proxy.log" \
    java -Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlogback.configurationFile="$SCRIPTS/s3proxy/logback.xml" \
    -cp "$S3_DIR/lib/*" org.gaul.s3proxy.Main --properties "$S3_DIR/s3proxy.properties"
  S3_STARTED=yes
}

s3_curl() { # METHOD PATH [curl args...]: SigV4-signed request, prints the HTTP status
  local method=(-X "$1") path=$2
  [[ $1 == HEAD ]] && method=(-I)
  shift 2
  curl -sS -o /dev/null -w '%{http_code}' "${method[@]}" --max-time 10 \
    --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "http://127.0.0.1:$S3_PORT$path"
}
s3_answers() { [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/")" != 000 ]]; }

s3_wait() {
  local t=$1 rc=0 code
  wait_until 60 "$(<"$RUN_DIR/s3proxy.pid")" s3_answers || rc=$?
  ((rc == 0)) || fail_with_log s3 "$S3_DIR/s3proxy.log" "S3Proxy did not answer on port $S3_PORT"
  code="$(s3_curl HEAD "/$S3_BUCKET")"
  case "$code" in
    200) ;;
    404)
      code="$(s3_curl PUT "/$S3_BUCKET")"
      [[ $code == 200 ]] || fail_with_log s3 "$S3_DIR/s3proxy.log" "creating bucket $S3_BUCKET: HTTP $code"
      log "s3: bucket $S3_BUCKET created" ;;
    *) fail_with_log s3 "$S3_DIR/s3proxy.log" "HEAD bucket $S3_BUCKET: HTTP $code (credentials?)" ;;
  esac
  if [[ $S3_STARTED == yes ]]; then
    log "s3: ready in $(since "$t") (S3Proxy, http://127.0.0.1:$S3_PORT, bucket $S3_BUCKET)"
  else
    log "s3: already running on http://127.0.0.1:$S3_PORT (bucket $S3_BUCKET)"
  fi
}

# ----------------------------------------------------------------------------- DynamoDB (dynalite)
DDB_DIR="$INFRA_DIR/dynamodb"
DDB_STARTED=no

dynalite_start() {
  if pid_of dynalite "$(marker_dynalite)" >/dev/null; then return 0; fi
  port_open "$DYNAMODB_PORT" && die "dynamodb: port $DYNAMODB_PORT is taken by a process that up.sh did not start"
  local cli
  cli="$(readlink -f "$ROOT/node_modules/dynalite/cli.js" 2>/dev/null || true)"
  [[ -f $cli ]] || die "dynamodb: node_modules/dynalite is missing; run 'pnpm install' first"
  mkdir -p "$DDB_DIR/data"
  [[ -f "$DDB_DIR/dynalite.log" ]] && mv -f "$DDB_DIR/dynalite.log" "$DDB_DIR/dynalite.log.1"
  start_bg dynalite "$DDB_DIR/dynalite.log" \
    node "$cli" --host 127.0.0.1 --port "$DYNAMODB_PORT" --path "$DDB_DIR/data" \
    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0
  DDB_STARTED=yes
}

dynalite_wait() {
  local t=$1 rc=0 out
  wait_until 30 "$(<"$RUN_DIR/dynalite.pid")" port_open "$DYNAMODB_PORT" || rc=$?
  ((rc == 0)) || fail_with_log dynamodb "$DDB_DIR/dynalite.log" "dynalite did not listen on port $DYNAMODB_PORT"
  out="$(DYNAMODB_ENDPOINT="http://127.0.0.1:$DYNAMODB_PORT" DYNAMODB_TABLE="$DYNAMODB_TABLE" \
    AWS_REGION="$S3_REGION" node "$ROOT/docker/dynalite/create-table.mjs" 2>&1)" ||
    { printf '%s\n' "$out" >&2; fail_with_log dynamodb "$DDB_DIR/dynalite.log" "table setup failed"; }
  if [[ $DDB_STARTED == yes ]]; then
    log "dynamodb: ready in $(since "$t") (dynalite; $(printf '%s' "$out" | paste -sd'|' | sed 's/|/; /g'))"
  else
    log "dynamodb: already running on http://127.0.0.1:$DYNAMODB_PORT ($(head -1 <<<"$out"))"
  fi
}

# ----------------------------------------------------------------------------- main
fetch_jars kafka "$SCRIPTS/kafka/pom.xml" "$KAFKA_DIR/lib"
fetch_jars s3 "$SCRIPTS/s3proxy/pom.xml" "$S3_DIR/lib"

# Start the slow JVMs first, do the rest while they boot, then wait for each.
tls_up
t_kafka="$(now_ms)"
kafka_start
[[ $KAFKA_STARTED == yes ]] && log "kafka: starting on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT) ..."
t_s3="$(now_ms)"
s3_start
[[ $S3_STARTED == yes ]] && log "s3: starting S3Proxy on 127.0.0.1:$S3_PORT ..."
t_ddb="$(now_ms)"
dynalite_start
[[ $DDB_STARTED == yes ]] && log "dynamodb: starting dynalite on 127.0.0.1:$DYNAMODB_PORT ..."

postgres_up
redis_up
redis_cluster_up
dynalite_wait "$t_ddb"
s3_wait "$t_s3"
kafka_wait "$t_kafka"

# ----------------------------------------------------------------------------- env
cluster_nodes="$(printf '127.0.0.1:%s,' "${REDIS_CLUSTER_PORTS[@]}")"
cluster_tls_nodes="$(for p in "${REDIS_CLUSTER_PORTS[@]}"; do printf '127.0.0.1:%s,' $((p + REDIS_CLUSTER_TLS_OFFSET)); done)"
db_url() { printf 'postgres://uitgo_%s:uitgo_%s@%s:%s/uitgo_%s' "$1" "$1" "$PG_HOST" "$PG_PORT" "$1"; }
# The auth service seals its signing keys with this. Like the S3 keys above it is a fixed
# development value: every checkout on this machine shares the PostgreSQL server, so a
# per-checkout secret would leave keys behind that another checkout cannot open.
AUTH_KEK="uitgo-native-infra-development-key-encryption-secret"
write_if_changed "$INFRA_DIR/env" <<ENV
UITGO_MODE=real
UITGO_INFRA=real
POSTGRES_URL=postgres://$PG_ADMIN_USER@$PG_HOST:$PG_PORT/postgres
AUTH_DATABASE_URL=$(db_url auth)
USER_DATABASE_URL=$(db_url user)
DRIVER_DATABASE_URL=$(db_url driver)
TRIP_DATABASE_URL=$(db_url trip)
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
REDIS_CLUSTER_NODES=${cluster_nodes%,}
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
S3_REGION=$S3_REGION
S3_ACCESS_KEY_ID=$S3_ACCESS_KEY
S3_SECRET_ACCESS_KEY=$S3_SECRET_KEY
S3_BUCKET=$S3_BUCKET
S3_FORCE_PATH_STYLE=true
DYNAMODB_ENDPOINT=http://127.0.0.1:$DYNAMODB_PORT
DYNAMODB_TABLE=$DYNAMODB_TABLE
AWS_REGION=$S3_REGION
AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
AUTH_KEY_ENCRYPTION_SECRET=$AUTH_KEK
TEST_TLS_CA_FILE=$TLS_DIR/ca.crt
TEST_REDIS_TLS_URL=rediss://127.0.0.1:$REDIS_TLS_PORT
TEST_REDIS_TLS_CLUSTER_NODES=${cluster_tls_nodes%,}
TEST_KAFKA_SSL_BROKERS=127.0.0.1:$KAFKA_SSL_PORT
ENV

log "all up in $(since "$T0"). Environment (also in ${INFRA_DIR#"$ROOT/"}/env; load with: set -a; . ${INFRA_DIR#"$ROOT/"}/env; set +a):"
sed -e 's/^\([A-Z_]*SECRET[A-Z_]*\)=.*/\1=(see the file)/' -e 's/^/  /' "$INFRA_DIR/env"
