#!/usr/bin/env bash
# Stops what scripts/infra/up.sh started (`pnpm infra:down`), by its pid files, after checking
# each pid still is that process. Leaves the machine's PostgreSQL server and Redis on 6379 alone.
#   --purge   also deletes .infra (data, logs, jars) and drops the uitgo_* databases and roles
#             that this checkout's up.sh created (listed in .infra/created-in-postgres); ones it
#             found already there belong to someone else and are left alone.
# Safe to run twice.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=no
for arg in "$@"; do
  case "$arg" in
    --purge) purge=yes ;;
    -h | --help) sed -n '2,6p' "$0"; exit 0 ;;
    *) die "unknown argument '$arg' (only --purge)" ;;
  esac
done

[[ -d $INFRA_DIR ]] || mkdir -p "$INFRA_DIR"
take_lock

# Send SIGTERM to every process of ours at once, wait up to 30 s for all, then SIGKILL.
names=() pids=()
while IFS=$'\t' read -r name marker; do
  if pid="$(pid_of "$name" "$marker")"; then
    names+=("$name") pids+=("$pid")
  elif [[ -f "$RUN_DIR/$name.pid" ]]; then
    rm -f "$RUN_DIR/$name.pid"
    log "$name: not running (stale pid file removed)"
  fi
done < <(components)

if ((${#pids[@]} == 0)); then
  log "nothing of ours was running"
else
  t="$(now_ms)"
  log "stopping ${names[*]} ..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  deadline=$(( $(date +%s) + 30 ))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && (( $(date +%s) < deadline )); do sleep 0.1; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      warn "${names[$i]} (pid ${pids[$i]}) ignored SIGTERM for 30s; sending SIGKILL"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      while kill -0 "${pids[$i]}" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$RUN_DIR/${names[$i]}.pid"
  done
  log "stopped ${#pids[@]} processes in $(since "$t")"
fi

if [[ $purge == yes ]]; then
  pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; then
    created="$INFRA_DIR/created-in-postgres"
    for s in "${SERVICES[@]}"; do
      db="uitgo_$s"
      if grep -qx "database $db" "$created" 2>/dev/null; then
        if [[ -n "$(pg -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
          pg -c "DROP DATABASE $db WITH (FORCE)"
          log "postgres: dropped database $db"
        fi
      elif [[ -n "$(pg -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
        log "postgres: database $db left alone (this checkout did not create it)"
      fi
      if grep -qx "role $db" "$created" 2>/dev/null && [[ -n "$(pg -c "SELECT 1 FROM pg_roles WHERE rolname = '$db'")" ]]; then
        # Still owning a database someone else made: keep it.
        if [[ -z "$(pg -c "SELECT 1 FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = '$db')")" ]]; then
          pg -c "DROP ROLE $db"
          log "postgres: dropped role $db"
        fi
      fi
    done
    rm -f "$INFRA_DIR/created-in-postgres"
  else
    # Keep the record, so a later purge can still drop what this checkout created.
    warn "postgres: not reachable on $PG_HOST:$PG_PORT; databases and roles left as they are"
  fi
  # keep the lock file's directory until the end, then remove everything (but the record above)
  find "$INFRA_DIR" -mindepth 1 -maxdepth 1 ! -name .lock ! -name created-in-postgres -exec rm -rf {} +
  log "purged ${INFRA_DIR}"
fi
