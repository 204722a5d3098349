#!/usr/bin/env bash
# Runs the Postman collection against a running gateway and fails on any failed assertion.
#   tests/postman/run.sh http://localhost:8080
# The admin requests sign in as the bootstrap admin: ADMIN_EMAIL / ADMIN_PASSWORD override the
# collection's defaults (the values of AUTH_BOOTSTRAP_ADMIN_EMAIL / AUTH_BOOTSTRAP_ADMIN_PASSWORD).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BASE_URL" >&2
  exit 64
fi
base_url="${1%/}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vars=(--env-var "baseUrl=${base_url}")
[[ -n "${ADMIN_EMAIL:-}" ]] && vars+=(--env-var "adminEmail=${ADMIN_EMAIL}")
[[ -n "${ADMIN_PASSWORD:-}" ]] && vars+=(--env-var "adminPassword=${ADMIN_PASSWORD}")

cd "${here}/../.."
# newman exits non-zero when any pm.test assertion or request fails.
exec pnpm --filter @uitgo/tests exec newman run "${here}/uitgo.postman_collection.json" "${vars[@]}" --color off --reporters cli
