#!/usr/bin/env bash
# Runs every benchmark in scripts/bench/ (npm run bench). Each prints its own JSON figures, with
# ratios against a baseline measured in the same run. Builds first: the benches import dist/.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run build >/dev/null
for bench in scripts/bench/*.mjs; do
  echo "== $bench" >&2
  node "$bench" "$@"
done
