#!/usr/bin/env bash
# Starts the platform in real mode (five processes, settings from .infra/env) and runs the
# Postman collection against it with newman; stops the platform whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${POSTMAN_GATEWAY_PORT:-18480}"
export PORT="$port" GATEWAY_HOST=127.0.0.1 LOG_LEVEL=warn
# The whole collection comes from one address: more public calls a minute than one client makes.
export RATE_LIMIT_PUBLIC_MAX="${RATE_LIMIT_PUBLIC_MAX:-600}"
# The collection reads back a driver's track within 10 s; points of drivers between trips are
# archived together after DRIVER_ARCHIVE_LINGER_MS (30 s by default).
export DRIVER_ARCHIVE_LINGER_MS="${DRIVER_ARCHIVE_LINGER_MS:-1000}"
# Its own admin: the end-to-end suites bootstrap admin@uitgo.test in the same databases.
export AUTH_BOOTSTRAP_ADMIN_EMAIL="${AUTH_BOOTSTRAP_ADMIN_EMAIL:-postman-admin@uitgo.test}"
export AUTH_BOOTSTRAP_ADMIN_PASSWORD="${AUTH_BOOTSTRAP_ADMIN_PASSWORD:-Admin-password-2026}"
for svc in auth user driver trip; do
  case $svc in auth) off=1 ;; user) off=2 ;; driver) off=3 ;; trip) off=4 ;; esac
  up=$(tr '[:lower:]' '[:upper:]' <<<"$svc")
  export "${up}_GRPC_PORT=$((port + off))" "${up}_GRPC_ADDRESS=127.0.0.1:$((port + off))" "${up}_OPS_PORT=$((port + 100 + off))"
done
log=$(mktemp)
# Node itself (not pnpm) so the pid is the launcher, which stops the five apps on SIGTERM.
node --conditions=@uitgo/source --import tsx scripts/devReal.ts >"$log" 2>&1 &
platform=$!
stop() { kill -TERM "$platform" 2>/dev/null || true; wait "$platform" 2>/dev/null || true; }
trap 'stop; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$platform" 2>/dev/null || { echo "the platform exited during start-up:" >&2; tail -50 "$log" >&2; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "the platform is not ready after 120 s:" >&2; tail -50 "$log" >&2; exit 1; }
ADMIN_EMAIL="$AUTH_BOOTSTRAP_ADMIN_EMAIL" ADMIN_PASSWORD="$AUTH_BOOTSTRAP_ADMIN_PASSWORD" bash tests/postman/run.sh "http://127.0.0.1:$port"
