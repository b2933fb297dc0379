#!/usr/bin/env bash
# demo.sh: the quick start's first command, on embedded defaults (no Redis,
# no S3, no configuration). Installs Chromium and the font set if missing,
# builds kiln, then:
#   1. kiln dev --smoke: starts the API, a worker and an in-process queue
#      with a folder store (kiln-data/), submits every sample in testdata/
#      through the real API (screenshots and a replay), waits for each job
#      and checks its results;
#   2. kiln render: renders the sample snapshots into out/ (image,
#      thumbnail and render report each).
# Then run `bin/kiln dev` and open the printed URL to use the viewer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p bin
go build -o bin/kiln ./cmd/kiln
out="${1:-out}"
bin/kiln dev --smoke --port 0
bin/kiln render -o "$out" testdata/corpus/*/snapshot.kiln.json.gz testdata/corpus/gleap-*/feedback.json.gz
echo "rendered $(ls "$out"/*.json | wc -l) snapshots into $out/ (image, thumbnail and report each)"
echo "next: bin/kiln dev   (API + worker + viewer on http://127.0.0.1:8080/)"
