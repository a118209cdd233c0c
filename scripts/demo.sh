#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the CLI and
# runs the main job on the bundled samples: `mxstate verify` over signed
# rooms in room versions 1, 4, 10, 11 and 12, each holding good events and
# deliberately spoiled ones (samples/make_samples.py says which and why).
# Exit 0 when every verdict is the one the sample file announces.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-2}

"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target mxstate
MXSTATE=$BUILD_DIR/mxstate

status=0
for version in 1 4 10 11 12; do
  echo
  echo "== room version $version: mxstate verify --room-version $version --keys samples/keys samples/events-v$version.jsonl"
  set +e
  out=$("$MXSTATE" verify --room-version "$version" --keys "$ROOT/samples/keys" \
        "$ROOT/samples/events-v$version.jsonl")
  rc=$?
  set -e
  echo "$out"
  echo "(exit code $rc: 1 because the samples include spoiled events)"
  # Each sample announces its expected verdict in unsigned.mxstate_sample;
  # check that mxstate agrees, line by line.
  expected=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    note = json.loads(line)["unsigned"]["mxstate_sample"]
    print(note.split("expect ")[1].split(" ")[0])' "$ROOT/samples/events-v$version.jsonl")
  got=$(echo "$out" | sed '$d' | awk '{print $2}')
  if [[ "$expected" != "$got" ]]; then
    echo "demo: verdicts differ from the ones the samples announce:" >&2
    diff <(echo "$expected") <(echo "$got") >&2 || true
    status=1
  fi
done
echo
if [[ $status -eq 0 ]]; then
  echo "demo: every verdict matches the one its sample announces"
fi
exit $status
