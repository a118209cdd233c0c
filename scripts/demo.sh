#!/usr/bin/env bash
# Builds the CLI and verifies the bundled sample events:
#   mxstate verify --room-version V --keys samples/keys.json samples/events.jsonl
# The room version comes from $ROOM_VERSION, else samples/ROOM_VERSION, else 11.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-2}
SAMPLES=$ROOT/samples

if [[ ! -f $SAMPLES/keys.json || ! -f $SAMPLES/events.jsonl ]]; then
  echo "demo: samples/keys.json and samples/events.jsonl are not there yet; skipping."
  exit 0
fi
"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target mxstate
VERSION=${ROOM_VERSION:-$(cat "$SAMPLES/ROOM_VERSION" 2>/dev/null || echo 11)}
set -x
"$BUILD_DIR/mxstate" verify --room-version "$VERSION" --keys "$SAMPLES/keys.json" "$SAMPLES/events.jsonl"
