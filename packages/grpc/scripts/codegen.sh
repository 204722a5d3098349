#!/usr/bin/env bash
# Regenerates src/gen (ts-proto) and docs/grpc.md from protos/. buf.gen.yaml sets
# `clean: true`, so code of removed protos vanishes. CI runs this and fails on a diff.
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$package_dir/../.." && pwd)"

# buf.gen.yaml paths (input, plugin, output) are relative to the repository root.
cd "$repo_root"
"$package_dir/node_modules/.bin/buf" lint protos
"$package_dir/node_modules/.bin/buf" generate --template protos/buf.gen.yaml
cd "$package_dir"
pnpm exec tsx scripts/generateDocs.ts
