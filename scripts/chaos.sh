#!/usr/bin/env bash
# The long form of the fault test: `kiln api` and two `kiln worker`s on a
# real Redis (append-only file) and S3 (versitygw), pushed 1,000 jobs while
# workers are SIGKILLed, Chromium is killed, Redis crashes and S3 goes away
# (the faults repeat once per 300 jobs). It prints what it did, the counts
# and how long each fault took to recover from, and fails on any job lost,
# done twice or done without its results. CI runs the short form (300
# jobs) as part of `go test ./...`. About 10 minutes on 2 cores.
#
#   bash scripts/chaos.sh                  # 1,000 jobs
#   KILN_CHAOS_JOBS=3000 bash scripts/chaos.sh
#   KILN_E2E_LOGS=/tmp/kiln-chaos bash scripts/chaos.sh   # keep the processes' logs
#   bash scripts/chaos.sh --soak           # also the long soak (KILN_SOAK=1)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH)/bin"
export KILN_CHAOS_JOBS="${KILN_CHAOS_JOBS:-1000}"
run='Chaos'
if [ "${1:-}" = "--soak" ]; then
  export KILN_SOAK=1
  run='Chaos|Soak'
fi
# A missing redis-server, versitygw or Chromium fails the run instead of
# skipping it (testenv.Missing).
export CI=true
exec go test ./e2e -run "$run" -count=1 -timeout 90m -v
