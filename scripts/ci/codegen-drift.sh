#!/usr/bin/env bash
# Fails if generated code is not what the sources generate: the gRPC code and docs/grpc.md
# from protos/, and the drizzle migrations from each service's schema. Used by .ci/run and
# the GitHub CI workflow.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

pnpm codegen
pnpm db:generate
if ! git diff --exit-code --stat -- packages/grpc docs apps/*/drizzle; then
  echo "generated code is out of date: run 'pnpm codegen' and 'pnpm db:generate' and commit" >&2
  exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- packages/grpc docs apps/*/drizzle)
if [ -n "$untracked" ]; then echo "untracked generated files: $untracked" >&2; exit 1; fi
echo "codegen drift: none"
