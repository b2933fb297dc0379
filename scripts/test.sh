#!/usr/bin/env bash
# test.sh runs Kiln's checks: gofmt, go vet, the whole test suite against a
# real Chromium, redis-server and S3-compatible server (the tests start
# their own on loopback), a short run of each fuzz target, and go vet and
# go test of each tool module under tools/ (modules of their own, which
# `./...` at the root does not reach), and an OpenAPI lint of
# docs/openapi.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$PATH:$(go env GOPATH)/bin"

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './vendor/*'))
if [ -n "$bad" ]; then
  echo "not gofmt-clean:"; echo "$bad"; exit 1
fi
echo "== openapi lint"
# @redocly/cli, pinned, installed once from the npm registry into a cache
# directory (the only network it needs); telemetry and update checks off;
# the rules are docs/redocly.yaml.
REDOCLY_VERSION=2.77.0
redocly_dir="${KILN_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kiln-tools}/redocly-cli-$REDOCLY_VERSION"
if [ ! -x "$redocly_dir/node_modules/.bin/redocly" ]; then
  if ! command -v npm >/dev/null; then
    echo "the OpenAPI lint needs Node.js 20.19+ with npm"; exit 1
  fi
  npm install --prefix "$redocly_dir" --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION"
fi
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$redocly_dir/node_modules/.bin/redocly" lint --config docs/redocly.yaml docs/openapi.yaml
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
fuzz() { go test -run "^$" -fuzz "^${2}\$" -fuzztime "${FUZZTIME:-10s}" -fuzzminimizetime 5s "$1"; }
for target in $(grep -rlE '^func Fuzz' --include='*_test.go' . | xargs -n1 dirname | sort -u); do
  for f in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)' "$target"/*_test.go | awk '{print $2}'); do
    echo "-- $target $f"
    # Go's fuzzing engine sometimes ends a run that found no failure with
    # "context deadline exceeded" (a worker still busy when the fuzz time
    # ends, on a loaded machine): such a run is tried once more. A real
    # failure writes its input under testdata/fuzz and fails both times.
    if ! out=$(fuzz "$target" "$f" 2>&1); then
      echo "$out"
      if echo "$out" | grep -q "context deadline exceeded" && ! echo "$out" | grep -q "Failing input written to"; then
        echo "-- $target $f: the fuzzing engine timed out without a failure; once more"
        fuzz "$target" "$f"
      else
        exit 1
      fi
    else
      echo "$out" | tail -1
    fi
  done
done
echo "== all checks passed"
