#!/usr/bin/env bash
# setup.sh installs what Kiln needs on a Debian machine: Chromium, the font set
# Kiln renders with, ffmpeg (replay videos: kiln replay --video), and (with
# --test) redis-server, an S3-compatible server and Node.js (for the OpenAPI
# lint) for the test suite. Every step is idempotent: what is present is kept.
# The Dockerfile runs the same script, so the image and CI install the same things.
set -euo pipefail

want_test=0
for a in "$@"; do
  case "$a" in
    --test) want_test=1 ;;
    *) echo "setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

pkgs=(chromium ffmpeg fonts-dejavu-core fonts-liberation fonts-noto-color-emoji fonts-noto-cjk fontconfig ca-certificates tini)
if [ "$want_test" = 1 ]; then
  pkgs+=(redis-server redis-tools)
  # The OpenAPI lint runs on Node.js (20.19+: Debian 13's package, or one
  # already installed from elsewhere).
  command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want_test" = 1 ]; then
  # versitygw: a real S3-compatible server (checks signatures, presign expiry,
  # multipart). Built from the Go module proxy once, then cached in GOBIN.
  gobin="$(go env GOPATH)/bin"
  if [ ! -x "$gobin/versitygw" ] && ! command -v versitygw >/dev/null 2>&1; then
    echo "setup: building versitygw (a few minutes, once)" >&2
    GOFLAGS=-buildvcs=false go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
  fi
fi
echo "setup: ok" >&2
