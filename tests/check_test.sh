#!/usr/bin/env bash
# `mxstate check`: what it recognises in a folder, its exit codes, and its
# JSON and JUnit reports.
#   usage: check_test.sh PATH/TO/mxstate REPO_ROOT
set -uo pipefail
MX=${1:?usage: check_test.sh PATH/TO/mxstate REPO_ROOT}
ROOT=${2:?usage: check_test.sh PATH/TO/mxstate REPO_ROOT}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3
fail=0
# expect NAME CODE CMD...: exit code CODE; stdout kept in $TMP/out.
expect() {
  local name=$1 want=$2
  shift 2
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local got=$?
  if [[ $got == "$want" ]]; then echo "PASS $name"; else
    echo "FAIL $name: expected exit $want, got $got"; head -n 10 "$TMP/out" "$TMP/err"; fail=1
  fi
}
# summary NAME "passed failed skipped": the --json summary of the last run.
summary() {
  local got
  got=$($PY -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["passed"], s["failed"], s["skipped"])' "$TMP/out" 2>&1)
  if [[ $got == "$2" ]]; then echo "PASS $1 ($got)"; else echo "FAIL $1: got $got, want $2"; fail=1; fi
}

# A CI folder: a good room (the first 8 events of a sample), a corpus file,
# a key file and prose, which are ignored.
mkdir -p "$TMP/ci/rooms" "$TMP/ci/corpus" "$TMP/ci/keys"
head -n 8 "$ROOT/samples/events-v10.jsonl" >"$TMP/ci/rooms/good.jsonl"
cp "$ROOT/spec-vectors/sign-json/signing.json" "$TMP/ci/corpus/"
cp "$ROOT"/samples/keys/*.json "$TMP/ci/keys/"
echo "notes" >"$TMP/ci/README.md"
expect "good folder: exit 0" 0 "$MX" check --json --keys "$ROOT/samples/keys" "$TMP/ci"
vectors=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tests"]))' "$TMP/ci/corpus/signing.json")
summary "good folder: 8 room events + $vectors vectors" "$((8 + vectors)) 0 0"

# A room with spoiled events fails, with JUnit naming each event.
expect "spoiled room: exit 1" 1 "$MX" check --json --keys "$ROOT/samples/keys" \
  --junit "$TMP/room.xml" "$ROOT/samples/events-v10.jsonl"
summary "spoiled room: verdicts of mxstate room" "10 6 0"
$PY -c 'import sys,xml.etree.ElementTree as ET; r=ET.parse(sys.argv[1]).getroot(); sys.exit(0 if r.get("tests")=="16" and r.get("failures")=="6" else 1)' "$TMP/room.xml" &&
  echo "PASS junit counts" || { echo "FAIL junit counts"; fail=1; }

# Loose events: skipped without a room version, format-checked with one.
expect "loose events: skipped" 0 "$MX" check --json "$ROOT/samples/auth/kick-v10.json"
summary "loose events: one skip" "0 0 1"
expect "loose events: format with --room-version" 0 "$MX" check --json --room-version 10 \
  "$ROOT/samples/auth/kick-v10.json"
summary "loose events: one pass" "1 0 0"
expect "loose events: wrong version" 1 "$MX" check --room-version 1 "$ROOT/samples/auth/kick-v10.json"

expect "check --help" 0 "$MX" check --help
expect "vectors stats --help" 0 "$MX" vectors stats --help
expect "vectors serve --help" 0 "$MX" vectors serve --help

# The whole corpus.
expect "spec-vectors: exit 0" 0 "$MX" check "$ROOT/spec-vectors"
# Errors.
expect "named file that is nothing known: exit 1" 1 "$MX" check "$TMP/ci/README.md"
mkdir -p "$TMP/empty"
expect "empty folder: exit 3" 3 "$MX" check "$TMP/empty"
expect "missing path: exit 3" 3 "$MX" check "$TMP/nope"
expect "unknown room version: exit 2" 2 "$MX" check --room-version 99 "$TMP/ci"
printf '{"format":"mxstate-vectors/1","suite":"canonical-json","tests":[{"id":"x","input":{"json":"1"},"result":"valid","expected":{"canonical":"2"}}]}' \
  >"$TMP/ci/corpus/bad.json"
expect "failing vector in the folder: exit 1" 1 "$MX" check "$TMP/ci"
exit $fail
