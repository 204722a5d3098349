#!/usr/bin/env bash
# Fails if protos/ breaks wire or source compatibility (buf FILE rules) against a base
# commit. Usage: check-breaking.sh [base-ref]   (default HEAD~1; CI passes the PR base).
# A base without protos/ has nothing to break, nor has the default base on a first commit.
set -euo pipefail

base="${1:-HEAD~1}"
package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(git -C "$package_dir" rev-parse --show-toplevel)"
buf="$package_dir/node_modules/.bin/buf"

if ! git -C "$repo_root" rev-parse --verify --quiet "${base}^{commit}" >/dev/null; then
  if [[ "$base" == "HEAD~1" ]] && ! git -C "$repo_root" rev-parse --verify --quiet "HEAD^" >/dev/null; then
    echo "check-breaking: HEAD has no parent; nothing to compare against"
    exit 0
  fi
  # A mistyped or unfetched base must not pass silently (shallow CI clones need fetch-depth).
  echo "check-breaking: base '$base' is not a commit in $repo_root" >&2
  exit 2
fi
if ! git -C "$repo_root" cat-file -e "${base}:protos/buf.yaml" 2>/dev/null; then
  echo "check-breaking: base '$base' has no protos/buf.yaml; nothing to compare against"
  exit 0
fi

cd "$repo_root"
"$buf" breaking protos --against "$repo_root/.git#ref=$base,subdir=protos"
echo "check-breaking: protos/ is compatible with $base"
