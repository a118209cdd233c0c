#!/usr/bin/env bash
# The project's test command (the README's): installs dependencies,
# configures build/ (RelWithDebInfo, Ninja), builds everything and runs the
# whole ctest suite. ctest's own summary is the last meaningful output.
#   BUILD_DIR (default build), JOBS (default 2), extra cmake args as "$@".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-2}

"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
cd "$BUILD_DIR"
exec ctest --output-on-failure -j "$JOBS"
