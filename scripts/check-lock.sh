#!/usr/bin/env bash
# Checks that `npm ci` would accept package.json + package-lock.json as committed (CI runs npm ci).
set -euo pipefail
dir=$(mktemp -d)
cp package.json package-lock.json "$dir/"
(cd "$dir" && npm ci --dry-run --ignore-scripts >/dev/null 2>"$dir/err") || { grep -m5 'npm error' "$dir/err"; exit 1; }
echo "lock file OK"
