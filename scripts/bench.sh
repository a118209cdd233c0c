#!/usr/bin/env bash
# Builds and runs bench/event_bench (Release) and prints the ratio
# BM_VerifyEvent / BM_BareEd25519Verify (median CPU time of 5 repetitions).
#   env: BUILD_DIR (default build-bench), JOBS; extra benchmark flags as "$@".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
JOBS=${JOBS:-2}

"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DMXSTATE_BUILD_BENCH=ON -DMXSTATE_BUILD_TESTS=OFF -DMXSTATE_BUILD_FUZZ=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target event_bench
OUT=$BUILD_DIR/event_bench.json
"$BUILD_DIR/bench/event_bench" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$OUT" --benchmark_out_format=json "$@"
python3 - "$OUT" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
med = {b["run_name"]: b["cpu_time"] for b in data["benchmarks"]
       if b.get("aggregate_name") == "median" and b.get("time_unit") == "ns"}
v, e = med.get("BM_VerifyEvent"), med.get("BM_BareEd25519Verify")
if not v or not e:
    sys.exit("bench: medians missing from " + sys.argv[1])
print(f"VerifyEvent {v/1000:.1f} us, bare ed25519 verify {e/1000:.1f} us, "
      f"ratio VerifyEvent/BareEd25519Verify = {v/e:.2f} "
      f"({(v-e)/1000:.1f} us of non-signature work per PDU)")
PY
