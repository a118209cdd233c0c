#!/usr/bin/env bash
# CLI tests of soft failure (`room --arrival-order`, `--arrival-input-order`)
# and of `mxstate synth` checked by mxstate itself: every room version's
# generated room replays with no rejection, its signatures checked, and the
# scripted state reset is found by `resets` at the merge synth.json names.
#   usage: room_cli_test.sh PATH/TO/mxstate [REPO_ROOT]
set -uo pipefail
MX=${1:?usage: room_cli_test.sh PATH/TO/mxstate [REPO_ROOT]}
ROOT=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
# shellcheck source=cli_expect.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_expect.sh"

# --- soft failure -------------------------------------------------------------
# By hand (tests/soft_failure_test.cc, first case): alice bans carol; carol's
# late message cites her pre-ban join. Arriving after the ban it passes the
# state before it but not the current state: soft-failed, not an extremity.
$PY - "$TMP" <<'PY'
import json, sys
out = sys.argv[1]
def ev(i, t, sk, sender, content, auth, prev, depth):
    e = {"event_id": i, "room_id": "!r:example.org", "type": t, "sender": sender,
         "content": content, "auth_events": auth, "prev_events": prev,
         "depth": depth, "origin_server_ts": depth}
    if sk is not None:
        e["state_key"] = sk
    return e
A, C = "@alice:example.org", "@carol:example.org"
evs = [
    ev("$create", "m.room.create", "", A, {"creator": A, "room_version": "6"}, [], [], 1),
    ev("$join-alice", "m.room.member", A, A, {"membership": "join"}, ["$create"], ["$create"], 2),
    ev("$pl", "m.room.power_levels", "", A, {"users": {A: 100}}, ["$create", "$join-alice"], ["$join-alice"], 3),
    ev("$jr", "m.room.join_rules", "", A, {"join_rule": "public"}, ["$create", "$join-alice", "$pl"], ["$pl"], 4),
    ev("$join-carol", "m.room.member", C, C, {"membership": "join"}, ["$create", "$jr", "$pl"], ["$jr"], 5),
    ev("$ban-carol", "m.room.member", C, A, {"membership": "ban"}, ["$create", "$join-alice", "$join-carol", "$pl"], ["$join-carol"], 6),
    ev("$late", "m.room.message", None, C, {"msgtype": "m.text", "body": "hi"}, ["$create", "$join-carol", "$pl"], ["$join-carol"], 6),
]
with open(out + "/ban.jsonl", "w") as f:
    for e in evs:
        f.write(json.dumps(e) + "\n")
with open(out + "/ban-first.txt", "w") as f:
    f.write("# arrival order\n" + "\n".join(e["event_id"] for e in evs) + "\n")
with open(out + "/late-first.txt", "w") as f:
    f.write("\n".join(e["event_id"] for e in evs[:5] + [evs[6], evs[5]]) + "\n")
PY
expect "room --arrival-order: late message soft-failed (exit 1)" 1 "$MX" room "$TMP/ban.jsonl" --no-format-check --arrival-order "$TMP/ban-first.txt"
cp "$TMP/out" "$TMP/soft.txt"
expect "room: soft-failed line" 0 grep -q '^\$late soft-failed current state: auth.sender_not_joined: ' "$TMP/soft.txt"
expect "room: soft-failed event is no extremity" 0 grep -q '^forward extremities: \$ban-carol$' "$TMP/soft.txt"
expect "room: summary counts soft failure" 0 grep -q '^7 events (room version 6, signatures not checked, soft failure judged): 6 accepted, 0 redacted, 0 rejected, 0 dropped, 1 soft-failed, 0 not-judged$' "$TMP/soft.txt"
expect "room --arrival-input-order: the same (exit 1)" 1 "$MX" room "$TMP/ban.jsonl" --no-format-check --arrival-input-order
expect "room: message arriving first is accepted (exit 0)" 0 "$MX" room "$TMP/ban.jsonl" --no-format-check --arrival-order "$TMP/late-first.txt"
expect "room: without an arrival order no soft failure (exit 0)" 0 "$MX" room "$TMP/ban.jsonl" --no-format-check
expect "room --json: soft-failed outcome" 0 bash -c "\"$MX\" room \"$TMP/ban.jsonl\" --no-format-check --arrival-input-order --json | grep -q '\"outcome\":\"soft-failed\"'"
expect "room: both arrival options is a usage error" 2 "$MX" room "$TMP/ban.jsonl" --no-format-check --arrival-input-order --arrival-order "$TMP/ban-first.txt"
printf '$create\nnot an id\n' >"$TMP/bad-order.txt"
expect "room: bad arrival order file (exit 3)" 3 "$MX" room "$TMP/ban.jsonl" --no-format-check --arrival-order "$TMP/bad-order.txt"
expect "room: missing arrival order file (exit 3)" 3 "$MX" room "$TMP/ban.jsonl" --no-format-check --arrival-order "$TMP/no-such-order.txt"
expect "dag --arrival-input-order marks soft failure" 0 bash -c "\"$MX\" dag \"$TMP/ban.jsonl\" --no-format-check --arrival-input-order --format html | grep -q '\"soft_failed\":true'"

# Issue 5 item 9, a cycle: $a and $b cite each other in prev_events. Both
# are reported as not judged (exit 3); the rest of the room is judged.
$PY - "$TMP" <<'PY'
import json, sys
out = sys.argv[1]
A = "@alice:example.org"
def ev(i, t, sk, content, auth, prev, depth):
    e = {"event_id": i, "room_id": "!r:example.org", "type": t, "sender": A, "content": content,
         "auth_events": auth, "prev_events": prev, "depth": depth, "origin_server_ts": depth}
    if sk is not None:
        e["state_key"] = sk
    return e
evs = [ev("$create", "m.room.create", "", {"creator": A, "room_version": "6"}, [], [], 1),
       ev("$join", "m.room.member", A, {"membership": "join"}, ["$create"], ["$create"], 2),
       ev("$a", "m.room.message", None, {"body": "a"}, ["$create", "$join"], ["$join", "$b"], 3),
       ev("$b", "m.room.message", None, {"body": "b"}, ["$create", "$join"], ["$a"], 4)]
open(out + "/cycle.jsonl", "w").write("".join(json.dumps(e) + "\n" for e in evs))
PY
expect "room: a prev_events cycle is not judged (exit 3)" 3 "$MX" room "$TMP/cycle.jsonl" --no-format-check
cp "$TMP/out" "$TMP/cycle.txt"
expect "room: cycle members named" 0 grep -q '^\$a not-judged ordering: room.cycle: ' "$TMP/cycle.txt"
expect "room: the rest is judged" 0 grep -q '^\$join accepted' "$TMP/cycle.txt"

# --- synth --------------------------------------------------------------------
expect "synth --help" 0 "$MX" synth --help
expect "synth without --out is a usage error" 2 "$MX" synth
expect "synth unknown version is a usage error" 2 "$MX" synth --version 99 --out "$TMP/x"
expect "synth --servers 0 is a usage error" 2 "$MX" synth --servers 0 --out "$TMP/x"
for v in 1 2 3 4 5 6 7 8 9 10 11 12; do
  d="$TMP/synth-v$v"
  expect "synth v$v (exit 0)" 0 "$MX" synth --version "$v" --seed 11 --events 90 --servers 4 --members 10 --forks 3 --with-reset --out "$d"
  expect "synth v$v: verify, every event valid (exit 0)" 0 "$MX" verify --room-version "$v" --keys "$d/keys" "$d/events.jsonl"
  expect "synth v$v: room, every event accepted (exit 0)" 0 "$MX" room --keys "$d/keys" "$d/events.jsonl"
  cp "$TMP/out" "$TMP/room-v$v.txt"
  expect "synth v$v: room, no problems" 0 grep -qx 'problems: none' "$TMP/room-v$v.txt"
  expect "synth v$v: resets (exit 1: some found)" 1 "$MX" resets --keys "$d/keys" "$d/events.jsonl"
  cp "$TMP/out" "$TMP/resets-v$v.txt"
  merge=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["state_reset"]["merge_event"])' "$d/synth.json")
  expect "synth v$v: the scripted reset is detected at $merge" 0 grep -qF "at $merge: m.room.member " "$TMP/resets-v$v.txt"
done
"$MX" synth --version 10 --seed 5 --events 60 --out "$TMP/det-a" >/dev/null
"$MX" synth --version 10 --seed 5 --events 60 --out "$TMP/det-b" >/dev/null
"$MX" synth --version 10 --seed 6 --events 60 --out "$TMP/det-c" >/dev/null
expect "synth: same seed, same bytes" 0 diff -r "$TMP/det-a" "$TMP/det-b"
expect "synth: another seed, another room" 1 cmp -s "$TMP/det-a/events.jsonl" "$TMP/det-c/events.jsonl"

# The bundled sample is exactly what its recorded command makes.
"$MX" synth --version 10 --seed 2026 --events 32 --servers 3 --members 8 --forks 2 --with-reset --out "$TMP/sample" >/dev/null
expect "samples/room is synth's output for its recorded command" 0 diff -r "$ROOT/samples/room" "$TMP/sample"
expect "samples/room/synth.json records that command" 0 grep -qF '"command":"mxstate synth --version 10 --seed 2026 --events 32 --servers 3 --members 8 --forks 2 --with-reset --out DIR"' "$ROOT/samples/room/synth.json"
expect "room on the sample: all accepted, the reset listed (exit 0)" 0 "$MX" room --keys "$ROOT/samples/room/keys" "$ROOT/samples/room/events.jsonl"
cp "$TMP/out" "$TMP/sample-room.txt"
expect "room on the sample: state resets section" 0 grep -q '^state resets:$' "$TMP/sample-room.txt"

echo "$pass passed, $fail failed"
((fail == 0))
