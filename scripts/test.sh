#!/usr/bin/env bash
# test.sh runs Kiln's checks: gofmt, go vet, the whole test suite against a
# real Chromium, redis-server and S3-compatible server (the tests start
# their own on loopback), a short run of each fuzz target, and go vet and
# go test of each tool module under tools/ (modules of their own, which
# `./...` at the root does not reach).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$PATH:$(go env GOPATH)/bin"

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './vendor/*'))
if [ -n "$bad" ]; then
  echo "not gofmt-clean:"; echo "$bad"; exit 1
fi
echo "== go vet"
go vet ./...
# Each tool is its own module (tools/bench: the benchmark harness).
tools=()
for m in tools/*/go.mod; do
  if [ -f "$m" ]; then tools+=("${m%/go.mod}"); fi
done
for t in "${tools[@]}"; do
  echo "-- $t"
  go -C "$t" vet ./...
done

echo "== go test"
go test -count=1 -timeout 20m ./...
for t in "${tools[@]}"; do
  echo "-- $t"
  go -C "$t" test -count=1 ./...
done

echo "== fuzz (${FUZZTIME:-10s} each)"
for target in $(grep -rlE '^func Fuzz' --include='*_test.go' . | xargs -n1 dirname | sort -u); do
  for f in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)' "$target"/*_test.go | awk '{print $2}'); do
    echo "-- $target $f"
    go test -run "^$" -fuzz "^${f}\$" -fuzztime "${FUZZTIME:-10s}" -fuzzminimizetime 5s "$target"
  done
done
echo "== all checks passed"
