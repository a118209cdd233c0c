#!/usr/bin/env bash
# Builds the fuzz targets with clang++ + libFuzzer + ASan/UBSan in build-fuzz/
# and runs each for N seconds (default 20) on a copy of its seed corpus.
# Fails on any crash, leak, sanitizer report or timeout.
#   usage: scripts/fuzz.sh [SECONDS]     env: BUILD_DIR, JOBS
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_TARGET=${1:-20}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-fuzz}
JOBS=${JOBS:-2}
TARGETS=(fuzz_json_parse fuzz_event_format fuzz_verify_event fuzz_auth fuzz_state_res fuzz_room fuzz_multi_room)

"$ROOT/scripts/install-deps.sh"
CXX=clang++ cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMXSTATE_LIBFUZZER=ON -DMXSTATE_SANITIZE=ON \
  -DMXSTATE_BUILD_TESTS=OFF -DMXSTATE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target "${TARGETS[@]}"

WORK=$BUILD_DIR/fuzz-runs
mkdir -p "$WORK"
failed=0
for t in "${TARGETS[@]}"; do
  corpus=$WORK/$t-corpus
  rm -rf "$corpus"
  cp -r "$ROOT/fuzz/corpus/$t" "$corpus"
  echo "== $t: ${SECONDS_PER_TARGET}s on $(ls "$corpus" | wc -l) seeds"
  if "$BUILD_DIR/fuzz/$t" -max_total_time="$SECONDS_PER_TARGET" -max_len=70000 \
       -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$WORK/$t-" "$corpus" >"$WORK/$t.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done' "$WORK/$t.log" | tr '\n' ' '; echo
  else
    failed=1
    echo "!! $t FAILED; last lines of $WORK/$t.log:"
    tail -n 40 "$WORK/$t.log"
    ls "$WORK/$t-"* 2>/dev/null | sed 's/^/   artifact: /' || true
  fi
done
if ((failed)); then echo "fuzz: FAILED"; exit 1; fi
echo "fuzz: all ${#TARGETS[@]} targets ran ${SECONDS_PER_TARGET}s without a crash"
