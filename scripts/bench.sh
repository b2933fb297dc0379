#!/usr/bin/env bash
# Kiln's benchmark harness: Kiln (library and `kiln render`) side by side
# with a tuned Playwright script, the naive browser-per-job approach and
# Chromium's own floor, on the corpus in testdata/corpus. The harness is a
# module of its own in tools/bench; see docs/benchmarks.md.
#
#   bash scripts/bench.sh                 # default run (~10 min on 2 cores)
#   bash scripts/bench.sh -only process   # kiln render vs the peer as whole processes
#   bash scripts/bench.sh -rounds 5       # more rounds (any bench flag)
#   bash scripts/bench.sh -soak 2000      # memory soak of the Kiln pool
#   bash scripts/bench.sh -help           # the harness's flags; runs nothing
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go -C tools/bench build -o "$bin/kiln-bench" .

args=("$@")
for a in "${args[@]}"; do
  case "$a" in -h|-help|--help) "$bin/kiln-bench" -help; exit ;; esac
done

CHROME="${KILN_CHROME_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROME" ]; then
  echo "bench: no Chromium at $CHROME (run scripts/setup.sh or set KILN_CHROME_PATH)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "bench: node is required for the peer" >&2; exit 1; }

# The peer's one dependency, pinned by tools/bench/package-lock.json. The
# system Chromium is used: no browser download.
if [ ! -d tools/bench/node_modules/playwright-core ]; then
  (cd tools/bench && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund playwright-core)
fi

kiln_flag=()
if go build -o "$bin/kiln" ./cmd/kiln; then
  kiln_flag=(-kiln "$bin/kiln")
else
  echo "bench: ./cmd/kiln does not build; skipping the kiln render side" >&2
fi

# Only the default run (every side) updates the committed
# tools/bench/latest.json: a soak or a partial run (-only) writes
# tools/bench/results/ alone.
latest=(-latest tools/bench/latest.json)
for a in "${args[@]}"; do
  case "$a" in -soak|-soak=*|--soak|--soak=*|-only|-only=*|--only|--only=*) latest=() ;; esac
done
exec "$bin/kiln-bench" -repo . -chrome "$CHROME" "${kiln_flag[@]}" "${latest[@]}" "${args[@]}"
