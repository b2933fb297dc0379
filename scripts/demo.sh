#!/usr/bin/env bash
# demo.sh: the quick start's first command. Installs Chromium and the font
# set if missing, builds kiln, and renders the sample snapshots in
# testdata/ (real Gleap payloads and rrweb snapshots) into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p bin
go build -o bin/kiln ./cmd/kiln
out="${1:-out}"
bin/kiln render -o "$out" testdata/corpus/*/snapshot.kiln.json.gz testdata/corpus/gleap-*/feedback.json.gz
echo "rendered $(ls "$out"/*.json | wc -l) snapshots into $out/ (image, thumbnail and report each)"
