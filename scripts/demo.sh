#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the CLI and
# runs the main job on the bundled sample room (samples/room, made by
# `mxstate synth`, the command is in samples/room/synth.json): a signed
# room version 10 room with three servers, forks and merges, a ban racing a
# power change, and a state reset. `mxstate room` replays it with every
# signature checked and explains the reset; `mxstate dag` writes the HTML
# picture (out/room.html). Then `mxstate verify` runs over the older signed
# samples with deliberately spoiled events (samples/make_samples.py).
# Exit 0 when every verdict is the one the samples announce.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
OUT_DIR=${OUT_DIR:-$ROOT/out}
JOBS=${JOBS:-2}

"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target mxstate
MXSTATE=$BUILD_DIR/mxstate
cd "$ROOT"
status=0
fail() { echo "demo: $*" >&2; status=1; }

echo
echo "== mxstate room --keys samples/room/keys samples/room/events.jsonl"
set +e
room=$("$MXSTATE" room --keys samples/room/keys samples/room/events.jsonl)
rc=$?
set -e
echo "$room"
mkdir -p "$OUT_DIR"
"$MXSTATE" dag --keys samples/room/keys samples/room/events.jsonl --format html -o "$OUT_DIR/room.html"
echo
echo "== mxstate dag --keys samples/room/keys samples/room/events.jsonl --format html -o out/room.html"
echo "wrote ${OUT_DIR#"$ROOT"/}/room.html (open it in a browser: no network needed)"

# What the sample announces (samples/room/synth.json): every event passes
# with its signatures checked, and its scripted reset happens at the merge.
read -r events merge key old lost < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["state_reset"]
print(d["events"], r["merge_event"], r["state_key"], r["resolved_to"], r["lost"])' samples/room/synth.json)
[[ $rc -eq 0 ]] || fail "mxstate room exited $rc, expected 0 (every event accepted)"
grep -qx "$events events (room version 10, signatures checked): $events accepted, 0 redacted, 0 rejected, 0 dropped, 0 not-judged" <<<"$room" \
  || fail "the summary does not say that all $events events were accepted with signatures checked"
grep -qF "  at $merge: m.room.member \"$key\" (membership) reverted to $old; " <<<"$room" \
  || fail "the state reset at $merge is not reported"
grep -qx "  m.room.member \"$key\" $old" <<<"$room" \
  || fail "the current state does not hold $key's older event $old"
grep -q 'class="node[^"]*rs-merge' "$OUT_DIR/room.html" || fail "the picture does not highlight the reset"
if [[ $status -eq 0 ]]; then
  echo
  echo "demo: all $events events accepted, signatures checked; the merge $merge"
  echo "demo: resolves $key back to $old and loses $lost, as samples/room/synth.json announces"
fi

echo
echo "== mxstate verify on signed samples with spoiled events (room versions 1, 4, 10, 11, 12)"
for version in 1 4 10 11 12; do
  set +e
  out=$("$MXSTATE" verify --room-version "$version" --keys samples/keys "samples/events-v$version.jsonl")
  set -e
  echo "v$version: $(tail -n 1 <<<"$out")"
  # Each sample announces its expected verdict in unsigned.mxstate_sample.
  expected=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    note = json.loads(line)["unsigned"]["mxstate_sample"]
    print(note.split("expect ")[1].split(" ")[0])' "samples/events-v$version.jsonl")
  got=$(echo "$out" | sed '$d' | awk '{print $2}')
  if [[ "$expected" != "$got" ]]; then
    fail "room version $version: verdicts differ from the ones the samples announce:"
    diff <(echo "$expected") <(echo "$got") >&2 || true
  fi
done
echo
if [[ $status -eq 0 ]]; then
  echo "demo: every verdict matches the one its sample announces"
fi
exit $status
