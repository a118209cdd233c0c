#!/usr/bin/env bash
# CLI tests of the multi-room commands (restricted-join, spaces, upgrades,
# servers) on samples/spaces/: exit codes and the decisions they print.
# Expected values are hand-worked from samples/spaces/make_spaces.py's rooms:
#  - carol is joined to !space; !engineering allows its members; bob (50)
#    and alice (100) meet the invite level 50; !standup is not given;
#  - as room version 7 the join rule falls to v7 auth rule 4.2.6 (rooms/v7
#    numbering: no restricted rule, join rule 'otherwise reject' is 4.2.6);
#  - the upgrade to v12 is done by alice; bob (100 in the old room) is
#    neither a creator nor in the new power levels; bob and carol did not
#    join the new room.
#   usage: cli_multi_room_test.sh PATH/TO/mxstate REPO_ROOT
set -uo pipefail
MX=${1:?usage: cli_multi_room_test.sh PATH/TO/mxstate REPO_ROOT}
ROOT=${2:?usage: cli_multi_room_test.sh PATH/TO/mxstate REPO_ROOT}
S="$ROOT/samples/spaces"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
# check NAME CODE PATTERN CMD...: exit CODE and a stdout line matching PATTERN (grep -E).
check() {
  local name=$1 want=$2 pattern=$3
  shift 3
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local got=$?
  if [[ $got == "$want" ]] && { [[ -z $pattern ]] || grep -qE -- "$pattern" "$TMP/out"; }; then
    pass=$((pass + 1))
    echo "PASS $name"
  else
    fail=$((fail + 1))
    echo "FAIL $name: expected exit $want and /$pattern/, got exit $got"
    sed 's/^/     stdout: /' "$TMP/out" | head -n 20
    sed 's/^/     stderr: /' "$TMP/err" | head -n 10
  fi
}
CAROL=@carol:remote.example.net
for cmd in restricted-join spaces upgrades servers; do
  check "$cmd --help" 0 "" "$MX" "$cmd" --help
done
check "restricted-join: space member, bob signs" 0 '^allowed: allow\[0\] \(m.room_membership !space:example.org\) matched \(v10 auth rule 4.3.5.3\)$' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user "$CAROL" --authoriser @bob:example.org
check "restricted-join: the signature the join needs" 0 '^note: the join event must name @bob:example.org in join_authorised_via_users_server and be signed by example.org \(v10 auth rule 4.2.1\)$' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user "$CAROL" --authoriser @bob:example.org
check "restricted-join: candidates listed" 0 '^can sign \(joined, power >= invite\): @alice:example.org @bob:example.org$' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user "$CAROL"
check "restricted-join: erin is not in the space (403)" 1 '^refused: restricted_join.no_condition_met' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user @erin:remote.example.net
check "restricted-join: bob is already joined" 0 '^allowed: no condition needed \(v10 auth rule 4.3.5.1\)$' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user @bob:example.org
check "restricted-join: space not given (400, exit 3)" 3 '^unable-to-authorise: restricted_join.unverifiable' \
  "$MX" restricted-join "$S/engineering.json" --user "$CAROL"
check "restricted-join: authoriser not in the room" 1 '^unable-to-grant: restricted_join.authoriser_not_joined' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user "$CAROL" --authoriser "$CAROL"
check "restricted-join: as room version 7 (unsupported)" 1 'restricted_join.unsupported.*v7 auth rule 4.2.6' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user "$CAROL" --room-version 7
check "restricted-join --json" 0 '"verdict":"allowed"' \
  "$MX" restricted-join "$S/engineering.json" "$S/space.json" --user "$CAROL" --json
check "restricted-join: no --user is a usage error" 2 "" "$MX" restricted-join "$S/engineering.json"
check "restricted-join: missing file (exit 3)" 3 "" "$MX" restricted-join "$TMP/none.json" --user "$CAROL"
check "spaces: hierarchy in order" 1 '^    !standup:example.org \[state not given\]$' \
  "$MX" spaces "$S/space.json" "$S/engineering.json"
check "spaces: parent claim backed" 1 '^  !engineering:example.org -> !space:example.org canonical: child-event$' \
  "$MX" spaces "$S/space.json" "$S/engineering.json"
check "spaces: room not given reported" 1 '^  spaces.room_not_given: !space:example.org lists child !standup:example.org' \
  "$MX" spaces "$S/space.json" "$S/engineering.json"
check "spaces: carol's memberships open engineering" 1 '^  !engineering:example.org: allowed via !space:example.org' \
  "$MX" spaces "$S/space.json" "$S/engineering.json" --user "$CAROL"
check "spaces --json" 1 '"backing":"child-event"' "$MX" spaces "$S/space.json" "$S/engineering.json" --json
check "upgrades: chain" 0 '^chain: !engineering:example.org !engineering-v12:example.org$' \
  "$MX" upgrades "$S/engineering-old.json" "$S/engineering-v12.json"
check "upgrades: bob loses 100" 0 '^  power @bob:example.org: 100 -> 0$' \
  "$MX" upgrades "$S/engineering-old.json" "$S/engineering-v12.json"
check "upgrades: left behind" 0 '^  not joined in the new room: @bob:example.org @carol:remote.example.net$' \
  "$MX" upgrades "$S/engineering-old.json" "$S/engineering-v12.json"
check "upgrades: v12 top user not creator" 0 'upgrades.v12_top_user_not_creator: @bob:example.org' \
  "$MX" upgrades "$S/engineering-old.json" "$S/engineering-v12.json"
check "upgrades --json" 0 '"new_version":"12"' "$MX" upgrades "$S/engineering-old.json" "$S/engineering-v12.json" --json
check "servers: counts" 0 '^  example.org 2$' "$MX" servers "$S/engineering-old.json"
check "servers: v12 features, new ones marked" 0 '^  state resolution v2.1 \(rooms/v12\) \[new for this room\]$' \
  "$MX" servers "$S/engineering-old.json" --target 12
check "servers: offline caveat" 0 '^note: which room versions each server supports cannot be known offline' \
  "$MX" servers "$S/engineering-old.json"
check "servers: restricted room cannot go to v7" 1 '^blocker: servers.join_rule_unsupported' \
  "$MX" servers "$S/engineering-old.json" --target 7
check "servers: unknown target is a usage error" 2 "" "$MX" servers "$S/engineering-old.json" --target 99
echo "$pass passed, $fail failed"
((fail == 0))
