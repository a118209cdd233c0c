"""state-res suite: hand-worked state resolution vectors (v1, v2, v2.1) plus ruma's scenarios.

Each vector declares its resolved state by hand and walks through the algorithm in `comment`;
gen_stateres_core.Suite.vec() refuses any vector where gen_stateres_ref (a separate transcription
of the spec text) disagrees, or where a known Synapse/ruma behaviour would change the result and
the vector is not flagged `divergence`. Files: ruma.json (gen_stateres_ruma.py), spec-steps.json,
v1.json, v2.1.json, regressions.json.
"""
import hashlib
import os

import common as c
import gen_stateres_ruma
from gen_stateres_core import (ALICE, BOB, CAROL, DAVE, ERIN, HAND, SPEC_V1, SPEC_V2, SPEC_V21, Room, Suite,
                               base_room)

SHARED = os.environ.get("MXSTATE_SHARED", "/work/shared")
ST = "spec-steps.json"
V1 = "v1.json"
V21 = "v2.1.json"
REG = "regressions.json"


def sha(eid):
    return hashlib.sha1(eid.encode("utf-8")).hexdigest()


def base_ids(b, drop=(), add=()):
    out = [i for i in b.ids() if i not in [b.room.eid(d) for d in drop]]
    return out + [b.room.eid(a) for a in add]


# ---------------------------------------------------------------------------------------------
# spec-steps.json: room versions 2-11 (state resolution v2)
# ---------------------------------------------------------------------------------------------
BASE_DESC = ("Common start: $create (alice), $join-alice, $pl0 (users alice 100%s; defaults state_default 50, "
             "ban 50, kick 50), $jr0 (public), $join-bob, $join-carol")


def steps(S):
    # identical sets --------------------------------------------------------------------------
    r, b = base_room("4", {BOB: 50})
    b.topic("topic", ALICE, "hello")
    S.vec(ST, "v2/identical-state-sets", r, [b.ids(), b.ids(), b.ids()], b.ids(),
          (BASE_DESC % ", bob 50") + ", then $topic. Three identical state sets: every key is present in every "
          "set with the same event, so the whole map is unconflicted, the conflicted state set is empty and the "
          "result is the unconflicted map itself (no auth check is run on anything).", SPEC_V2)

    # no state sets at all ------------------------------------------------------------------------
    r, b = base_room("10", {})
    S.vec(ST, "v2/no-state-sets", r, [], [],
          "The events of a room (create, alice's join, power levels, join rules) but an EMPTY list of state "
          "sets, as an input document may give. The unconflicted state map is the union of zero maps (empty) and "
          "the conflicted state set is empty, so there is nothing to order or check and the result is the empty "
          "state. (Before mxstate 2026-11-28 its v2 split read past the end of its per-set positions here.)",
          SPEC_V2)

    # ban by a demoted moderator ---------------------------------------------------------------
    # (also in v8, which otherwise has no state-res vector; nothing here differs)
    for rv, suffix in (("10", ""), ("8", "-v8")):
        r, b = base_room(rv, {BOB: 50})
        a, c2 = b.fork(), b.fork()
        c2.member("ban-carol", BOB, CAROL, "ban", ts=10)
        a.pl("pl1", ALICE, {ALICE: 100, BOB: 0}, ts=20)
        S.vec(ST, "v2/ban-by-demoted-moderator-rejected" + suffix, r, [a.ids(), c2.ids()], base_ids(a),
              (BASE_DESC % ", bob 50") + ". Fork: alice demotes bob to 0 ($pl1, ts 20, cites $pl0); concurrently bob "
              "bans carol ($ban-carol, ts 10, cites $pl0 where bob has 50). Sets: A = base + $pl1, B = base + "
              "$ban-carol. Conflicted: power_levels {$pl0, $pl1}, carol {$join-carol, $ban-carol}. Auth difference "
              "(literal: a set's own events count only when cited by another event of the set): $join-bob and "
              "$join-carol (cited by the ban, by nothing in A). X = power events $pl0, $pl1, $ban-carol plus their auth "
              "ancestors in the full conflicted set, $join-bob and $join-carol. Kahn with sender power from each event's "
              "own auth_events: $pl0 (alice, no PL cited: creator 100, ancestor of all), $pl1 (alice 100), $join-bob "
              "(bob 50), $join-carol (carol 0; both must precede the ban), $ban-carol (bob 50, ts 10). Step 2 from the "
              "unconflicted map: $pl0, $pl1 and the two joins pass; $ban-carol is checked against $pl1 "
              "where bob has 0 < ban 50: REJECTED. Nothing for step 3. Result: $pl1, carol still joined, although by "
              "timestamp the ban came first.", HAND)

    # greater power first in the power ordering ------------------------------------------------
    r, b = base_room("10", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.jr("jr-alice", ALICE, "invite", ts=20)
    c2.jr("jr-bob", BOB, "knock", ts=10)
    S.vec(ST, "v2/power-order-greater-power-first", r, [a.ids(), c2.ids()], base_ids(c2),
          (BASE_DESC % ", bob 50") + ". Fork: $jr-alice (invite, ts 20) and $jr-bob (knock, ts 10), both citing "
          "$pl0. Conflicted: join_rules {$jr-alice, $jr-bob}; auth difference (literal): $join-bob (cited by $jr-bob, "
          "by nothing in A), which X takes as $jr-bob's auth ancestor. No auth edge links the two join_rules. "
          "Comparison 1: sender power from own auth_events, alice 100 > bob 50, so $jr-alice sorts first even though "
          "its ts is later; then $join-bob (ancestor), $jr-bob. Step 2: $jr-alice passes, $join-bob passes (bob "
          "already joined), then $jr-bob passes (bob 50 "
          ">= state_default 50) and is applied last. Result: join_rules $jr-bob (by timestamp alone it would be "
          "$jr-alice).", HAND)

    # power tie -> ts tie -> event id --------------------------------------------------------------
    r, b = base_room("5", {BOB: 100})
    a, c2 = b.fork(), b.fork()
    a.jr("jr-y", ALICE, "invite", ts=40)
    c2.jr("jr-x", BOB, "public", ts=40)
    S.vec(ST, "v2/power-order-ts-tie-event-id", r, [a.ids(), c2.ids()], base_ids(a),
          (BASE_DESC % ", bob 100") + ". Fork: $jr-y by alice (invite) and $jr-x by bob (public), both ts 40, "
          "both citing $pl0 where alice and bob have 100. Auth difference (literal): $join-bob (cited by $jr-x only), sorted first in X as its ancestor. Power "
          "equal, origin_server_ts equal, so the event_id decides: \"$jr-x\" < \"$jr-y\", $jr-x first. Both pass; $jr-y is applied last. Result: join_rules $jr-y.",
          HAND)

    # sender power from own auth events, not resolved state -------------------------------------
    r, b = base_room("6", {BOB: 50, CAROL: 75})
    a, c2 = b.fork(), b.fork()
    a.jr("jr-bob", BOB, "invite", ts=10)
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 90, CAROL: 75}, ts=11)
    c2.jr("jr-carol", CAROL, "knock", ts=20)
    S.vec(ST, "v2/power-order-sender-power-from-own-auth-events", r, [a.ids(), c2.ids()],
          base_ids(a, drop=["jr-bob"], add=["jr-bob"]),
          (BASE_DESC % ", bob 50, carol 75") + ". Branch A: bob sets $jr-bob (invite, ts 10, cites $pl0), then "
          "alice raises bob to 90 ($pl1, ts 11). Branch B: carol sets $jr-carol (knock, ts 20, cites $pl0). "
          "Conflicted: power_levels {$pl0, $pl1}, join_rules {$jr-bob, $jr-carol}. Auth difference (literal): $join-bob, $join-carol (cited only in one set). X = {$pl0, $pl1, "
          "$jr-bob, $jr-carol, $join-bob, $join-carol}. Order: $pl0 first (ancestor of all), then by sender power "
          "read in each event's OWN auth_events: $pl1 alice 100, $join-carol then $jr-carol (carol 75 from $pl0), "
          "$join-bob then $jr-bob (bob 50 from $pl0) -- not 90, the "
          "value bob has in $pl1, which is the power level in the resolved state. Step 2: $pl0, $pl1, $join-carol, $jr-carol pass; $join-bob "
          "fails (join_rule is now knock; harmless, step 5 restores it); $jr-bob passes (bob's membership, absent "
          "from the partial state, is taken from its own auth_events) and is applied last. Result: join_rules "
          "$jr-bob, power_levels $pl1. (Reading bob's power from the resolved state, 90 > 75, would put $jr-bob "
          "before $jr-carol and give $jr-carol; so would ordering by timestamp.)", HAND)

    # mainline position beats timestamp ----------------------------------------------------------
    r, b = base_room("9", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 50, CAROL: 10}, ts=10)
    a.topic("topic-a", ALICE, "new base", ts=20)
    c2.topic("topic-b", BOB, "old base", ts=30)
    S.vec(ST, "v2/mainline-position-beats-timestamp", r, [a.ids(), c2.ids()], base_ids(a),
          (BASE_DESC % ", bob 50") + ". Branch A: alice sends $pl1 (ts 10, cites $pl0) then $topic-a (ts 20, "
          "cites $pl1). Branch B: bob sends $topic-b (ts 30, cites $pl0). Conflicted: power_levels {$pl0, $pl1}, "
          "topic {$topic-a, $topic-b}. Step 1: $pl0, $pl1 (pass). Step 3: mainline of $pl1 = [$pl1 (0), $pl0 (1)]; "
          "$topic-a's first PL ancestor is $pl1 (position 0), $topic-b's is $pl0 (position 1). Greater position "
          "sorts first: $topic-b, then $topic-a, whatever the timestamps (30 vs 20). The literal auth difference also brings $join-bob "
          "(position 1, ts 5, sorted first; it passes). Both topics pass; $topic-a is applied last. Result: topic "
          "$topic-a (by timestamp alone it would be $topic-b).", HAND)

    # mainline tie -> timestamp (room v2: wire-form references) ----------------------------------
    r, b = base_room("2", {BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    a.topic("topic-bob", BOB, "bob's", ts=20)
    c2.topic("topic-carol", CAROL, "carol's", ts=10)
    S.vec(ST, "v2/mainline-tie-timestamp-room-v2", r, [a.ids(), c2.ids()], base_ids(a),
          (BASE_DESC % ", bob 50, carol 50") + " (room version 2: auth_events and prev_events in the "
          "[[id, {sha256}]] wire form, IDs with a server name). Fork: $topic-bob (ts 20) and $topic-carol (ts 10), "
          "both citing $pl0. Conflicted: topic only; the literal auth difference adds $join-bob and $join-carol "
          "(each cited in one set only, unconflicted); no power events. Mainline of $pl0 = [$pl0]; all four are at "
          "position 0, the joins (ts 5, 6) pass first; the smaller origin_server_ts sorts first: $topic-carol, then $topic-bob. Both pass; "
          "$topic-bob is applied last. Result: topic $topic-bob.", HAND)

    # mainline tie, ts tie -> event id ---------------------------------------------------------
    r, b = base_room("7", {BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    a.topic("topic-a", BOB, "a", ts=15)
    c2.topic("topic-b", CAROL, "b", ts=15)
    S.vec(ST, "v2/mainline-tie-timestamp-tie-event-id", r, [a.ids(), c2.ids()], base_ids(c2),
          (BASE_DESC % ", bob 50, carol 50") + ". Fork: $topic-a by bob and $topic-b by carol, both ts 15, both "
          "citing $pl0. Step 3 also re-applies $join-bob and $join-carol (literal auth difference, "
          "ts 5, 6). Same mainline position (0), same timestamp: \"$topic-a\" < \"$topic-b\", so $topic-a "
          "first; both pass; $topic-b applied last. Result: topic $topic-b.", HAND)

    # kick is a power event ------------------------------------------------------------------
    r, b = base_room("10", {BOB: 50})
    b.topic("topic0", ALICE, "original")
    a, c2 = b.fork(), b.fork()
    a.member("kick-bob", ALICE, BOB, "leave", ts=30)
    c2.topic("topic-bob", BOB, "bob was here", ts=20)
    S.vec(ST, "v2/kick-is-power-event", r, [a.ids(), c2.ids()], base_ids(a),
          (BASE_DESC % ", bob 50") + ", $topic0 by alice. Fork: alice kicks bob ($kick-bob: membership leave, "
          "sender != state_key, ts 30); bob sets $topic-bob (ts 20). Conflicted: bob's membership {$join-bob, "
          "$kick-bob}, topic {$topic0, $topic-bob}. The kick is a power event; X = {$kick-bob, $join-bob (its "
          "auth ancestor)}: $join-bob then $kick-bob, both pass. Step 3 (mainline [$pl0]): $topic0 (ts 7) and "
          "$topic-bob (ts 20), both position 0: $topic0 passes, $topic-bob fails (bob has left). Result: bob left, "
          "topic $topic0, although the kick is later by timestamp.", HAND)

    # self-leave is not a power event ---------------------------------------------------------
    r, b = base_room("10", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.member("leave-bob", BOB, BOB, "leave", ts=10)
    c2.jr("jr-bob", BOB, "invite", ts=20)
    S.vec(ST, "v2/self-leave-is-not-power-event", r, [a.ids(), c2.ids()],
          base_ids(a, drop=["jr0"], add=["jr-bob"]),
          (BASE_DESC % ", bob 50") + ". Fork: bob leaves ($leave-bob, sender == state_key, ts 10); bob sets "
          "$jr-bob (invite, ts 20). Conflicted: bob {$join-bob, $leave-bob}, join_rules {$jr0, $jr-bob}. Power "
          "events: $jr0, $jr-bob only -- a leave whose sender is its state_key is not one. X = {$jr0, $jr-bob, "
          "$join-bob (ancestor of $jr-bob)}: order $jr0, $join-bob, $jr-bob (Kahn: $join-bob must precede $jr-bob). "
          "Step 2 from the unconflicted map: all pass ($jr-bob checked with bob joined). Step 3: $leave-bob passes. "
          "Result: join_rules $jr-bob AND bob left. (Had the self-leave counted as a power event, it would sort "
          "before $jr-bob (bob 50 both, ts 10 < 20) and $jr-bob would then fail: bob not joined.)", HAND)

    # key missing from one set is a conflict (v2) ---------------------------------------------
    r, b = base_room("11", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.topic("topic-bob", BOB, "bob's", ts=10)
    c2.pl("pl1", ALICE, {ALICE: 100, BOB: 0}, ts=20)
    S.vec(ST, "v2/missing-key-is-conflicted", r, [a.ids(), c2.ids()], base_ids(c2),
          (BASE_DESC % ", bob 50") + ". Fork: bob sets the room's first topic $topic-bob (ts 10, cites $pl0); "
          "alice demotes bob to 0 ($pl1, ts 20). Sets: A = base + $topic-bob (power_levels $pl0), B = base + $pl1 "
          "(no topic). In v2 a key is unconflicted only if present in EVERY set with the same event: the topic key "
          "is missing from B, so $topic-bob is conflicted (as are $pl0, $pl1). Step 2: $pl0, $pl1 pass. Step 3 "
          "(mainline [$pl1, $pl0]): $join-bob (literal auth difference, position 1, ts 5) passes, $topic-bob "
          "(position 1) fails: bob has 0 < state_default 50 under $pl1. Result: "
          "no topic at all. Compare v1/missing-key-not-conflicted, the same shape in room version 1.", HAND)

    # three state sets --------------------------------------------------------------------------
    r, b = base_room("10", {BOB: 50, CAROL: 50})
    s1, s2, s3 = b.fork(), b.fork(), b.fork()
    s1.topic("topic-carol", CAROL, "carol's", ts=30)
    s2.topic("topic-bob", BOB, "bob's", ts=40)
    s3.member("ban-bob", ALICE, BOB, "ban", ts=50)
    S.vec(ST, "v2/three-state-sets", r, [s1.ids(), s2.ids(), s3.ids()],
          base_ids(s1, drop=["join-bob"], add=["ban-bob"]),
          (BASE_DESC % ", bob 50, carol 50") + ". Three concurrent branches: $topic-carol (ts 30), $topic-bob "
          "(ts 40), and alice's ban of bob ($ban-bob, ts 50). Unconflicted: everything of the base except bob's "
          "membership. Conflicted: topic {$topic-carol, $topic-bob} (each missing from two sets), bob "
          "{$join-bob, $ban-bob}. Step 1: X = {$ban-bob, $join-bob (its ancestor)}; both pass. Step 3 (mainline "
          "[$pl0], all at position 0, by ts): $join-carol (literal auth difference) passes, $topic-carol passes, $topic-bob fails (bob banned). "
          "Result: topic $topic-carol, bob banned -- although the ban is the latest event by timestamp.", HAND)

    # unconflicted state overwrites; auth difference brings an event of no state set --------------
    r, b = base_room("11", {}, joiners=(BOB,))
    jr1 = b.jr("jr1", ALICE, "public", ts=20)
    b.jr("jr2", ALICE, "invite", ts=21)
    a, c2 = b.fork(), b.fork()
    a.join("join-dave", DAVE, auth=["create", "pl0", "jr1"], ts=22)
    S.vec(ST, "v2/unconflicted-overwrites-and-auth-difference", r, [a.ids(), c2.ids()], base_ids(a),
          "Start: $create, $join-alice, $pl0 (alice 100), $jr0 (public), $join-bob, then alice sets $jr1 (public, "
          "ts 20) and $jr2 (invite, ts 21). Dave's join $join-dave (ts 22) was authorised by a server that had "
          "not seen $jr2: its auth_events cite $jr1 (public), which allows it. Sets: A = {create, join-alice, pl0, "
          "jr2, join-bob, join-dave}, B = the same without dave. Unconflicted: everything but dave, including "
          "join_rules = $jr2 (invite). Conflicted: {$join-dave} (key missing from B). Auth difference: C_A "
          "contains $jr1 (auth chain of $join-dave), C_B does not, so $jr1 -- an event in NO state set -- enters "
          "the full conflicted set. Step 1: X = {$jr1} (power event); from the unconflicted map it passes and the "
          "partial state's join_rules becomes $jr1 (public). Step 3/4: $join-dave passes against join_rule public. "
          "Step 5: the unconflicted $jr2 overwrites $jr1. Result: join_rules $jr2 (invite) with dave joined.",
          HAND)

    # power events with a non-empty state_key ----------------------------------------------------
    r, b = base_room("10", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.send("jrx-alice", "m.room.join_rules", ALICE, {"join_rule": "invite"}, "x", ts=20)
    c2.send("jrx-bob", "m.room.join_rules", BOB, {"join_rule": "knock"}, "x", ts=10)
    S.vec(ST, "v2/power-event-nonempty-state-key", r, [a.ids(), c2.ids()], base_ids(c2),
          (BASE_DESC % ", bob 50") + ". Fork: two m.room.join_rules events with state_key \"x\" (not the room's "
          "join rules; ordinary state for the auth rules): $jrx-alice (ts 20) and $jrx-bob (ts 10), both citing "
          "$pl0 ($join-bob enters through the literal auth difference and X, and passes). The spec's definition makes every state event of type m.room.join_rules a power event, whatever "
          "its state_key: both go to step 1 and sort by sender power, alice 100 first, bob 50 last; both pass "
          "(>= state_default 50). Result: ($join_rules, \"x\") = $jrx-bob. DIVERGENCE: Synapse and ruma count "
          "join_rules/power_levels as power events only with state_key \"\"; they mainline-sort both events (same "
          "position 0), by ts $jrx-bob then $jrx-alice, and end with $jrx-alice.", HAND, flags=["divergence"])

    # rejected join rules sender (U6-like) is in regressions; room v3: topological order ---------
    r, b = base_room("3", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.pl("pl1", BOB, {ALICE: 100, BOB: 50, CAROL: 50}, ts=30)
    a.jr("jr-carol", CAROL, "invite", ts=31)
    c2.jr("jr-alice", ALICE, "knock", ts=40)
    S.vec(ST, "v2/power-order-auth-ancestor-first", r, [a.ids(), c2.ids()],
          base_ids(a),
          (BASE_DESC % ", bob 50") + " (room version 3). Branch A: bob (50) raises carol to 50 ($pl1, ts 30), "
          "then carol sets $jr-carol (invite, ts 31, cites $pl1). Branch B: alice sets $jr-alice (knock is not a "
          "join rule of v3, but the auth rules do not check the value; ts 40). Conflicted: power_levels {$pl0, "
          "$pl1}, join_rules {$jr-carol, $jr-alice}. Literal auth difference: $join-bob, $join-carol, $pl1. X = the four "
          "power events plus $join-bob and $join-carol (ancestors of $pl1 / $jr-carol). Kahn: $pl0 (creator 100) "
          "first; then $jr-alice (alice 100) beats $join-bob (bob 50); then $join-bob, $pl1 (bob 50, ts 5 < 30), "
          "$join-carol, and $jr-carol last (its auth ancestors $pl1 and $join-carol must come first, although carol "
          "is never above bob). Step 2: $pl0, $jr-alice, $pl1 pass; the two joins fail against join_rule knock "
          "(harmless: step 5 restores them); $jr-carol passes (carol 50 under $pl1, her membership taken from its "
          "own auth_events). Result: "
          "join_rules $jr-carol, power_levels $pl1.", HAND)


# ---------------------------------------------------------------------------------------------
# v1.json: room version 1
# ---------------------------------------------------------------------------------------------
V1DESC = ("Room version 1 (wire-form references, depth used). Common start: $v1-create (alice), $v1-join-alice, "
          "$v1-pl0 (alice 100%s), $v1-jr0 (public), $v1-join-bob, $v1-join-carol; depths 1-6")


def v1room(users):
    return base_room("1", users, prefix="v1-")


def v1(S):
    r, b = v1room({})
    S.vec(V1, "v1/no-state-sets", r, [], [],
          (V1DESC % "") + ", and an EMPTY list of state sets. v1 takes the union of the states (empty) and finds "
          "no conflicts, so the result is the empty state.", SPEC_V1)

    r, b = v1room({BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.topic("topic-bob", BOB, "bob's", ts=10)
    c2.pl("pl1", ALICE, {ALICE: 100, BOB: 0}, ts=20)
    S.vec(V1, "v1/missing-key-not-conflicted", r, [a.ids(), c2.ids()], base_ids(c2, add=["topic-bob"]),
          (V1DESC % ", bob 50") + ". Same shape as v2/missing-key-is-conflicted: A = base + $v1-topic-bob "
          "(depth 7), B = base + $v1-pl1 (alice demotes bob to 0, depth 7). v1 conflict = two sets map a key to "
          "DIFFERENT events; the topic key is only in A, so it is not conflicted and goes straight into R. "
          "power_levels {$v1-pl0 (depth 3), $v1-pl1 (depth 7)}: ascending depth, $v1-pl0 first, then $v1-pl1 "
          "passes (alice 100). Result: $v1-pl1 AND bob's topic (v2 drops the topic).", SPEC_V1)

    r, b = v1room({BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.pl("pl-deep", ALICE, {ALICE: 100, BOB: 0}, depth=12, ts=5)
    c2.pl("pl-shallow", ALICE, {ALICE: 100, BOB: 75}, depth=9, ts=50)
    S.vec(V1, "v1/power-levels-ascending-depth", r, [a.ids(), c2.ids()], base_ids(a),
          (V1DESC % ", bob 50") + ". Fork: $v1-pl-deep (depth 12, ts 5) and $v1-pl-shallow (depth 9, ts 50), both "
          "by alice citing $v1-pl0. Conflict: power_levels. Sorted by ascending depth: $v1-pl-shallow (9) goes "
          "into R first; $v1-pl-deep (12) is checked against R (alice 100 may change bob from 75 to 0) and passes, "
          "replacing it. Result: $v1-pl-deep (timestamps play no part in v1).", SPEC_V1)

    r, b = v1room({BOB: 50})
    a, c2 = b.fork(), b.fork()
    pa = a.pl("pl-a", ALICE, {ALICE: 100, BOB: 10}, depth=8)
    pb = c2.pl("pl-b", ALICE, {ALICE: 100, BOB: 20}, depth=8)
    first, second = sorted([pa, pb], key=sha, reverse=True)
    win = c2 if second == pb else a
    S.vec(V1, "v1/power-levels-sha1-tiebreak", r, [a.ids(), c2.ids()], base_ids(win),
          (V1DESC % ", bob 50") + ". Fork: %s and %s, both depth 8, both by alice. Same depth, so descending "
          "sha1(event_id): sha1(%s) = %s > sha1(%s) = %s, so %s goes into R first and %s is checked next, passes "
          "(alice 100) and replaces it. Result: %s." % (pa, pb, first, sha(first), second, sha(second), first,
                                                       second, second), SPEC_V1)

    r, b = v1room({BOB: 90})
    a, c2, d = b.fork(), b.fork(), b.fork()
    a.pl("pl-p1", ALICE, {ALICE: 100, BOB: 0}, depth=7, ts=100)
    c2.pl("pl-p2", BOB, {ALICE: 100, BOB: 90, CAROL: 50}, depth=8, ts=100)
    d.pl("pl-p3", ALICE, {ALICE: 100, BOB: 90, CAROL: 20}, depth=9, ts=100)
    S.vec(V1, "v1/power-levels-stop-at-first-failure", r, [a.ids(), c2.ids(), d.ids()], base_ids(a),
          (V1DESC % ", bob 90") + ". Three branches: $v1-pl-p1 (alice demotes bob to 0, depth 7), $v1-pl-p2 (bob "
          "raises carol to 50, depth 8), $v1-pl-p3 (alice sets carol 20, depth 9). Ascending depth: $v1-pl-p1 goes "
          "into R unchecked; $v1-pl-p2 is checked against R: bob has 0 there < state_default 50, REJECTED, so the "
          "pass stops -- $v1-pl-p3 is never tried although alice could send it. Result: $v1-pl-p1.", SPEC_V1)

    r, b = v1room({BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    a.jr("jr-invite", ALICE, "invite", depth=9)
    c2.jr("jr-private", BOB, "private", depth=8)
    S.vec(V1, "v1/join-rules-ascending-depth", r, [a.ids(), c2.ids()], base_ids(a),
          (V1DESC % ", bob 50, carol 50") + ". Fork: $v1-jr-private (bob, depth 8) and $v1-jr-invite (alice, "
          "depth 9). No power_levels conflict. join_rules: ascending depth, $v1-jr-private into R, then "
          "$v1-jr-invite passes and replaces it. Result: $v1-jr-invite.", SPEC_V1)

    r, b = v1room({BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.member("ban-carol", ALICE, CAROL, "ban", depth=7)
    c2.member("leave-carol", CAROL, CAROL, "leave", depth=9)
    S.vec(V1, "v1/member-conflict-ascending-depth", r, [a.ids(), c2.ids()], base_ids(a),
          (V1DESC % ", bob 50") + ". Fork: alice bans carol ($v1-ban-carol, depth 7); carol leaves "
          "($v1-leave-carol, depth 9). Conflict: carol's membership. Ascending depth: the ban goes into R first; "
          "carol's leave is then checked against R, where carol is banned: a self-leave needs membership invite "
          "or join, REJECTED, stop. Result: carol banned.", SPEC_V1)

    r, b = v1room({BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    a.topic("topic-hi", BOB, "deeper", depth=10)
    c2.topic("topic-lo", CAROL, "shallower", depth=7)
    S.vec(V1, "v1/other-highest-depth", r, [a.ids(), c2.ids()], base_ids(a),
          (V1DESC % ", bob 50, carol 50") + ". Fork: $v1-topic-hi (bob, depth 10), $v1-topic-lo (carol, depth 7). "
          "Other conflicts: the candidate with the highest depth that passes auth in R: $v1-topic-hi passes (bob "
          "50 >= state_default 50). Result: $v1-topic-hi.", SPEC_V1)

    r, b = v1room({BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 50, CAROL: 0}, depth=7)
    a.topic("topic-lo", BOB, "bob's", depth=8)
    c2.topic("topic-hi", CAROL, "carol's", depth=11)
    S.vec(V1, "v1/other-highest-depth-fails-next-passes", r, [a.ids(), c2.ids()], base_ids(a),
          (V1DESC % ", bob 50, carol 50") + ". Branch A: alice demotes carol to 0 ($v1-pl1, depth 7), bob sets "
          "$v1-topic-lo (depth 8). Branch B: carol sets $v1-topic-hi (depth 11, cites $v1-pl0). power_levels "
          "{$v1-pl0, $v1-pl1}: $v1-pl0 first, $v1-pl1 passes. Topic: highest depth first: $v1-topic-hi fails in R "
          "(carol 0 < 50); next $v1-topic-lo passes. Result: $v1-topic-lo, $v1-pl1.", SPEC_V1)

    r, b = v1room({BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    ta = a.topic("topic-a", BOB, "a", depth=9)
    tb = c2.topic("topic-b", CAROL, "b", depth=9)
    lo = min([ta, tb], key=sha)
    S.vec(V1, "v1/other-same-depth-lowest-sha1", r, [a.ids(), c2.ids()], base_ids(a if lo == ta else c2),
          (V1DESC % ", bob 50, carol 50") + ". Fork: %s and %s, both depth 9, both pass. Same depth: the lowest "
          "sha1(event_id) wins: sha1(%s) = %s, sha1(%s) = %s. Result: %s." % (ta, tb, ta, sha(ta), tb, sha(tb), lo),
          SPEC_V1)

    r, b = v1room({BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    b.room.ts = 30
    d = b.fork()
    d.pl("pl1", ALICE, {ALICE: 100, BOB: 0, CAROL: 0}, depth=7)
    a.topic("topic-b", BOB, "b", depth=8)
    c2.topic("topic-c", CAROL, "c", depth=9)
    S.vec(V1, "v1/other-none-passes-left-out", r, [a.ids(), c2.ids(), d.ids()], base_ids(d),
          (V1DESC % ", bob 50, carol 50") + ". Three branches: $v1-pl1 (alice demotes bob and carol to 0, depth 7), "
          "$v1-topic-b (bob, depth 8), $v1-topic-c (carol, depth 9). power_levels {$v1-pl0, $v1-pl1}: $v1-pl1 "
          "passes and is in R. Topic {$v1-topic-b, $v1-topic-c} is a conflict (two sets, two events); candidates "
          "by highest depth: $v1-topic-c fails (carol 0), $v1-topic-b fails (bob 0). The spec does not say what "
          "happens when no candidate passes; mxstate leaves the key out. Result: no topic. DIVERGENCE: Synapse's "
          "v1 resolution takes the last candidate in that order ($v1-topic-b) when none passes.", HAND,
          flags=["divergence"])


# ---------------------------------------------------------------------------------------------
# v2.1.json: room version 12
# ---------------------------------------------------------------------------------------------
V12DESC = ("Room version 12: $create (alice; no room_id; room_id of the others is \"!create\"; never listed in "
           "auth_events, it is implied), $join-alice, $pl0 (%s), $jr0 (public), $join-bob, $join-carol")


def v21(S):
    r, b = base_room("12", {})
    S.vec(V21, "v2.1/no-state-sets", r, [], [],
          "A room version 12 room's events (create, alice's join, power levels, join rules) and an EMPTY list of "
          "state sets. As in v2 the unconflicted map (a union of zero maps) and the conflicted state set are "
          "empty; v2.1's conflicted state subgraph, built from the conflicted events, is empty too; the result is "
          "the empty state.", SPEC_V21)

    r, b = base_room("12", {BOB: 50, CAROL: 50})
    a, c2 = b.fork(), b.fork()
    a.topic("topic-bob", BOB, "bob's", ts=20)
    c2.topic("topic-carol", CAROL, "carol's", ts=10)
    S.vec(V21, "v2.1/implied-create-topic-conflict", r, [a.ids(), c2.ids()], base_ids(a),
          (V12DESC % "users bob 50, carol 50; alice is a creator and may not be listed") + ". Fork: $topic-bob "
          "(ts 20), $topic-carol (ts 10), both cite $pl0 (and not the create event). Conflicted: topic only; "
          "conflicted state subgraph: none (neither topic is an auth ancestor of anything); literal auth difference: "
          "$join-bob, $join-carol (each cited in one set only). No power events: step 2 applies nothing to the EMPTY "
          "map, so the partial state has no power_levels, the mainline is empty and every position is infinity. "
          "Step 3 by ts: $join-bob, $join-carol, $topic-carol (10), $topic-bob (20), all pass; each is authorised with the create event taken from room_id. "
          "Step 5 restores the unconflicted map, including $create. Result: topic $topic-bob; v2 would give the same here (mainline [$pl0], all at position 0, same order).", SPEC_V21)

    r, b = base_room("12", {BOB: 50})
    a, c2 = b.fork(), b.fork()
    c2.member("ban-carol", BOB, CAROL, "ban", ts=10)
    a.pl("pl1", ALICE, {BOB: 0}, ts=20)
    S.vec(V21, "v2.1/ban-by-demoted-moderator-rejected", r, [a.ids(), c2.ids()], base_ids(a),
          (V12DESC % "users bob 50") + ". Fork: alice (creator) demotes bob ($pl1, ts 20); bob bans carol "
          "($ban-carol, ts 10, cites $pl0). Conflicted: power_levels {$pl0, $pl1}, carol {$join-carol, "
          "$ban-carol}. Conflicted state subgraph: the events on auth paths between them: $pl1 -> $pl0, $ban-carol -> "
          "$join-carol -> $jr0 -> $pl0, $ban-carol -> $join-bob -> $pl0, so it adds $jr0 and $join-bob. X = {$pl0, "
          "$jr0, $pl1, $join-bob, $join-carol, $ban-carol}; order: $pl0, $jr0 (ts 4), $pl1 (alice: creator, "
          "infinite), $join-bob (50), $join-carol (0), $ban-carol (bob 50, after its ancestors). Step 2 from the EMPTY map: $pl0, $jr0, $pl1 pass (missing auth state comes from their "
          "own auth_events), $join-bob and $join-carol pass (join_rules from its auth_events: public), $ban-carol is checked "
          "against $pl1 (bob 0 < 50): rejected. Result: $pl1, carol joined.", HAND)

    r, b = base_room("12", {BOB: 100}, joiners=(BOB, CAROL), jr="public")
    r2 = r
    a, c2 = b.fork(), b.fork()
    a.jr("jr-alice", ALICE, "invite", ts=20)
    c2.jr("jr-bob", BOB, "knock", ts=10)
    S.vec(V21, "v2.1/creator-sorts-first", r2, [a.ids(), c2.ids()], base_ids(c2),
          (V12DESC % "users bob 100") + ". Fork: $jr-alice by the creator (ts 20) and $jr-bob by bob, power 100 "
          "(ts 10), both citing $pl0. In v12 room creators have infinite power: alice's power read from her "
          "event's auth_events (the implied create event makes her a creator) is infinite > 100, so $jr-alice "
          "sorts first; $join-bob (literal auth difference, ancestor of $jr-bob) then fails against invite "
          "(harmless, restored in step 5); $jr-bob is last and passes (bob's membership from its own auth_events). "
          "Result: join_rules $jr-bob. (Treating the creator as 0 "
          "because she is absent from users -- the bug of continuwuity 39b08f73f, U24 -- puts $jr-bob first and "
          "gives $jr-alice; so does ordering by timestamp.)", HAND, flags=["regression"])

    r = Room("12")
    b = r.create(extra={"additional_creators": [CAROL]})
    b.join("join-alice", ALICE)
    b.pl("pl0", ALICE, {BOB: 100})
    b.jr("jr0", ALICE, "public")
    b.join("join-bob", BOB)
    b.join("join-carol", CAROL)
    a, c2 = b.fork(), b.fork()
    a.jr("jr-carol", CAROL, "invite", ts=30)
    c2.jr("jr-bob", BOB, "knock", ts=10)
    S.vec(V21, "v2.1/additional-creator-sorts-first", r, [a.ids(), c2.ids()], base_ids(c2),
          "Room version 12 whose $create lists carol in additional_creators; $join-alice, $pl0 (users bob 100), "
          "$jr0 (public), $join-bob, $join-carol. Fork: $jr-carol (carol, ts 30) and $jr-bob (bob 100, ts 10). "
          "Carol is a creator (additional_creators of the implied create event): infinite power, so $jr-carol "
          "(after its ancestor $join-carol) sorts first, then $join-bob (fails against invite, restored in step 5) "
          "and $jr-bob last; both join_rules pass (carol infinite, bob 100 >= 50). Result: $jr-bob.", HAND,
          flags=["regression"])


# ---------------------------------------------------------------------------------------------
# the creator's first join, checked inside a resolution (v11 in spec-steps.json, v12 in v2.1.json)
# ---------------------------------------------------------------------------------------------
def creator_first_join(S):
    for rv, fname, tid in (("11", ST, "v2/creator-first-join-conflicted"),
                           ("12", V21, "v2.1/creator-first-join-conflicted")):
        r = Room(rv)
        b = r.create()
        a = b.fork()
        b.join("join-alice", ALICE)
        b.pl("pl0", ALICE, {ALICE: 100} if rv == "11" else {})
        if rv == "11":
            walk = ("Unconflicted: $create. Conflicted: alice's membership and power_levels (missing from A). "
                    "Auth chains, literally: C_A = {} ($create has no auth events), C_B = {$create, $join-alice} "
                    "(cited by $join-alice and $pl0), so the auth difference is {$create, $join-alice} and the "
                    "full conflicted set {$create, $join-alice, $pl0}. X = $pl0 plus its auth ancestors in that "
                    "set; Kahn: $create, $join-alice, $pl0. Step 2 from the unconflicted map: $create passes; "
                    "$join-alice is checked against {$create}, where alice has no membership and there are no "
                    "join rules, so only join rule 1 can allow it")
        else:
            walk = ("Unconflicted: $create. Conflicted: alice's membership and power_levels (missing from A). "
                    "Auth chains, literally (the create event is implied, never cited): C_A = {}, C_B = "
                    "{$join-alice} (cited by $pl0), so the auth difference is {$join-alice}; the conflicted "
                    "state subgraph adds nothing, and the full conflicted set is {$join-alice, $pl0}. Kahn: "
                    "$join-alice, $pl0. Step 2 starts from the EMPTY map: $join-alice is checked with the "
                    "implied $create, where alice has no membership and there are no join rules, so only join "
                    "rule 1 can allow it")
        S.vec(fname, tid, r, [a.ids(), b.ids()], b.ids(),
              "Room version %s: $create (alice), then $join-alice with prev_events [$create] and $pl0. Set A is a "
              "server that has seen only $create; set B has all three. %s: its only previous event is the create "
              "event and its state_key is the create event's sender, so it passes; then $pl0 (alice joined, "
              "creator's power) passes. Result: {$create, $join-alice, $pl0}. An implementation that does not "
              "apply member join rule 1 inside the iterative auth checks (or finds the creator elsewhere%s) "
              "rejects $join-alice, then $pl0 (alice not in the room), and leaves the room with no members."
              % (rv, walk, ", e.g. in the create event's content, which has no 'creator' from v11 on"),
              SPEC_V2 if rv == "11" else SPEC_V21)

    # the same rule refuses anyone else's first join: bob (v11), an additional creator (v12)
    for rv, fname, tid in (("11", ST, "v2/non-creator-join-after-create-rejected"),
                           ("12", V21, "v2.1/additional-creator-join-after-create-rejected")):
        r = Room(rv)
        joiner = BOB if rv == "11" else CAROL
        b = r.create(extra={"additional_creators": [CAROL]} if rv == "12" else None)
        other = b.fork()
        other.join("join-" + joiner[1:].split(":")[0], joiner, ts=5, allowed=False)
        b.join("join-alice", ALICE, ts=6)
        b.pl("pl0", ALICE, {ALICE: 100} if rv == "11" else {}, ts=7)
        who = ("bob" if rv == "11" else
               "carol, whom $create lists in additional_creators (a creator, but not its sender)")
        S.vec(fname, tid, r, [b.ids(), other.ids()], b.ids(),
              "Room version %s: $create (alice%s). One server's state: $join-alice (prev_events [$create]) and "
              "$pl0. Another's: $join-%s, a join by %s with prev_events [$create] and auth_events %s -- an "
              "event that fails its own auth checks, as a faulty or hostile server may still send. Unconflicted: "
              "$create. Conflicted: alice's membership, %s's membership and power_levels. The full conflicted "
              "set holds $join-alice, $pl0 and $join-%s; X = {$join-alice, $pl0} (the join is not a power "
              "event), and both pass (join rule 1 for alice, the creator). Step 3: $join-%s has no power_levels "
              "ancestor and is checked against %s: join rule 1 does not apply (its "
              "state_key is not the create event's sender), %s has no membership, and there is no join_rules "
              "event, so no later join rule allows it: REJECTED. Result: {$create, $join-alice, $pl0}. An "
              "implementation that allows any first join after the create event%s keeps the join."
              % (rv, "" if rv == "11" else ", additional_creators [carol]", joiner[1:].split(":")[0], who,
                 "[$create]" if rv == "11" else "[] (the create event is implied)",
                 joiner[1:].split(":")[0], joiner[1:].split(":")[0], joiner[1:].split(":")[0],
                 "{$create, $join-alice, $pl0}" if rv == "11" else
                 "{$join-alice, $pl0} (step 2 began from the empty map) with the implied $create",
                 joiner[1:].split(":")[0], "" if rv == "11" else ", or by any creator,"),
              SPEC_V2 if rv == "11" else SPEC_V21)


# ---------------------------------------------------------------------------------------------
# regressions.json: anchors U5-U8, U21, U23, U24, D9, D10, D13
# ---------------------------------------------------------------------------------------------
def regressions(S):
    # D9 / U23: no PL ancestor = infinity sorts first
    for rv in ("11", "12"):
        r = Room(rv)
        b = r.create()
        b.join("join-alice", ALICE)
        early = b.fork()
        t_old = early.topic("topic-nopl", ALICE, "before power levels", ts=50)
        b.pl("pl0", ALICE, {ALICE: 100} if rv == "11" else {})
        b.topic("topic-pl0", ALICE, "after power levels", ts=10)
        a = b.fork()
        a2 = b.fork()
        a2.state[("m.room.topic", "")] = t_old
        if rv == "12":
            S.vec(V21, "v2.1/unconflicted-power-levels-in-literal-auth-difference", r, [a.ids(), a2.ids()],
                  base_ids(a),
                  "Room version 12 (create implied, never in auth_events): $create, $join-alice (auth_events "
                  "empty), alice sets $topic-nopl (ts 50) before any power levels (creator: infinite power), then "
                  "$pl0 (users {}) and $topic-pl0 (ts 10, cites $pl0). Set A has topic $topic-pl0, set B "
                  "$topic-nopl; create, join-alice and $pl0 are unconflicted. Full auth chains, literally (a set's "
                  "own events count only if something in the set cites them): C_A = {$join-alice, $pl0} ($pl0 is "
                  "cited by $topic-pl0), C_B = {$join-alice}. So the auth difference is {$pl0}: full conflicted "
                  "set = {$topic-pl0, $topic-nopl, $pl0}. Step 1: X = {$pl0}; from the EMPTY map it passes, the "
                  "partial state has power_levels $pl0. Step 3: mainline [$pl0]; $topic-pl0 position 0, "
                  "$topic-nopl position infinity (no PL ancestor) sorts first; both pass; $topic-pl0 last. "
                  "Result: $topic-pl0. DIVERGENCE: Synapse and ruma count each set's own events in its auth chain, "
                  "so $pl0 is in both and not in the difference; v2.1 step 2 then starts from the empty map with "
                  "nothing to apply, the partial state has NO power_levels, the mainline is empty, both topics are "
                  "at infinity and the timestamp picks $topic-nopl (ts 50).", HAND, flags=["divergence"])
            continue
        S.vec(REG, "d9/mainline-no-power-levels-ancestor-sorts-first-v" + rv, r, [a.ids(), a2.ids()], base_ids(a),
              "D9 / U23 (ruma 9c9dccc93 \"Reserve mainline-position for events with no PL ancestor\"; continuwuity "
              "still 0-based). Room version 11: $create, $join-alice; alice sets $topic-nopl (ts 50) BEFORE any "
              "power levels exist, so its auth_events cite no m.room.power_levels (allowed: the creator has power "
              "100 with no power levels); then $pl0 and $topic-pl0 (ts 10, cites $pl0). Set A has topic "
              "$topic-pl0, set B (a server that missed $topic-pl0) has $topic-nopl; everything else is shared. "
              "Conflicted: the topic only. Literal auth difference: {$pl0} (cited by $topic-pl0, by nothing in B); "
              "X = {$pl0}, it passes (from the unconflicted map, which already holds it). "
              "Mainline of $pl0 = [$pl0]: $topic-pl0 is at position 0; $topic-nopl has no PL ancestor, position "
              "infinity, which is greater than any position and sorts FIRST. Both pass; $topic-pl0 is applied "
              "last. Result: $topic-pl0, although its timestamp is older. An implementation numbering the "
              "mainline from 0 and also using 0 for 'no PL ancestor' ties the two and lets ts pick $topic-nopl.",
              HAND, flags=["regression"])

    # U24 / D13 covered in v2.1.json; a second one with a regular user of higher power than 0
    # U7: unban whose auth_events lack the ban; the ban comes back when the unban's ts is older
    r, b = base_room("5", {BOB: 50})
    b.member("ban-carol", ALICE, CAROL, "ban", ts=20)
    a = b.fork()
    c2 = b.fork()
    a.member("unban-carol", ALICE, CAROL, "leave", auth=["create", "pl0", "join-alice", "join-carol"], ts=15)
    a2 = b.fork()
    S.vec(REG, "u7/unban-without-ban-in-auth-events", r, [a.ids(), c2.ids()], base_ids(c2),
          "U7 (matrix-org/synapse#6520, 'State reset in a v5 room': the unban's auth_events lacked the ban, so "
          "the ban came back). Room version 5: base (alice 100, bob 50, public, bob and carol joined), alice bans "
          "carol ($ban-carol, ts 20), then alice 'unbans' her with $unban-carol (membership leave, ts 15 by a "
          "skewed clock) whose auth_events cite carol's JOIN instead of the ban -- valid against those auth "
          "events as a kick. Sets: A has carol = $unban-carol, B (not yet seeing the unban) has $ban-carol. "
          "Conflicted: carol's membership {$ban-carol, $unban-carol}, both power events (sender != state_key); "
          "auth difference empty ($join-carol is cited in both sets). No auth edge links the two (the unban does not cite the ban), so the "
          "order falls to power (alice 100 both) then ts: $unban-carol (15) first, $ban-carol (20) last; both "
          "pass. Result: carol BANNED -- the ban comes back, as the issue reports; the spec's verdict.",
          HAND, flags=["regression"])

    # U5 / U6: join_rules sender has left in the unconflicted state (v10 vs v12)
    for rv in ("10", "12"):
        r, b = base_room(rv, {BOB: 50}, jr="public")
        b.jr("jr-invite", ALICE, "invite", ts=20)
        b.member("leave-alice", ALICE, ALICE, "leave", ts=21)
        a, c2 = b.fork(), b.fork()
        a.send("bob-name", "m.room.member", BOB, {"membership": "join", "displayname": "Bob"}, BOB, ts=22)
        c2.send("carol-name", "m.room.member", CAROL, {"membership": "join", "displayname": "Carol"}, CAROL, ts=23)
        # partially synchronised sets: A has the old join_rules, B the new one
        sa = [i for i in a.ids() if i != r.eid("jr-invite")] + [r.eid("jr0")]
        sb = c2.ids()
        exp = [i for i in base_ids(b) if i not in (r.eid("join-bob"), r.eid("join-carol"))]
        exp += [r.eid("bob-name"), r.eid("carol-name")]
        if rv == "10":
            exp = [i for i in exp if i != r.eid("jr-invite")]
        S.vec(REG, "u6/join-rules-sender-left-v" + rv, r, [sa, sb], exp,
              "U5 / U6 (element-hq/synapse#8629 'state resets still happen in v2 rooms', #16629 'join_rules "
              "reset'; the root cause of MSC4297, fixed by room v12, U21). Room version %s: base (alice%s, bob 50, "
              "public, bob and carol joined); alice sets $jr-invite (ts 20) and leaves ($leave-alice, ts 21); bob "
              "and carol change display names ($bob-name ts 22, $carol-name ts 23). The state sets are partially "
              "synchronised: A holds $bob-name with the OLD $jr0, B holds $carol-name with $jr-invite. "
              "Unconflicted: $create, alice = $leave-alice, $pl0. Literal auth difference: $join-bob, $join-carol "
              "(already conflicted). Conflicted: join_rules {$jr0, $jr-invite}, bob {$join-bob, $bob-name}, carol "
              "{$join-carol, $carol-name}. Power order: $jr0, $jr-invite (alice, by ts). %s"
              % (rv, " 100" if rv == "10" else " creator",
                 "v2 step 2 starts from the unconflicted map, where alice has LEFT: both join_rules events fail. "
                 "Step 3 (all at mainline position 0, by ts): $join-bob, $join-carol, $bob-name, $carol-name all "
                 "pass (missing join_rules taken from their own auth_events). Result: NO join_rules -- the reset."
                 if rv == "10" else
                 "v2.1 step 2 starts from the EMPTY map: alice's membership comes from each event's own "
                 "auth_events (joined), so $jr0 then $jr-invite pass. Step 3 from {join_rules: $jr-invite} (no power_levels in "
                 "the partial state: empty mainline, all positions infinity, by ts): $join-bob, $join-carol (ts 5, 6) fail (no invite), $bob-name and $carol-name pass (their "
                 "auth_events carry the earlier join). Step 5 restores the unconflicted entries. Result: "
                 "join_rules $jr-invite kept."),
              HAND, flags=["regression"])

    # U8: v1 membership reset by stop-at-first-failure
    r, b = v1room({BOB: 50})
    a, c2, d = b.fork(), b.fork(), b.fork()
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 0}, depth=7)
    c2.member("kick-carol-bob", BOB, CAROL, "leave", depth=8)
    d.member("kick-carol-alice", ALICE, CAROL, "leave", depth=9)
    S.vec(REG, "u8/v1-membership-reset", r, [a.ids(), c2.ids(), d.ids()], base_ids(a),
          "U8 (matrix-org/synapse#1953 'Spontaneous leaving/rejoining rooms [state resets]', v1 state res "
          "rewinds membership). Room version 1, base (alice 100, bob 50, carol joined, depths 1-6). Three "
          "branches: alice demotes bob ($v1-pl1, depth 7); bob kicks carol ($v1-kick-carol-bob, depth 8, valid "
          "under $v1-pl0); alice kicks carol ($v1-kick-carol-alice, depth 9). power_levels {$v1-pl0, $v1-pl1}: "
          "$v1-pl1 passes. Carol's membership {$v1-join-carol (set A), $v1-kick-carol-bob (B), $v1-kick-carol-alice (C)}: "
          "ascending depth, $v1-join-carol (depth 6) into R, bob's kick checked against R (bob 0 < kick 50): "
          "fails, STOP -- alice's valid kick is never tried. Result: carol joined again, although two of the "
          "three servers saw her kicked.", SPEC_V1, flags=["regression"])


def build_files():
    S = Suite()
    gen_stateres_ruma.build(S, SHARED)
    steps(S)
    v1(S)
    v21(S)
    creator_first_join(S)
    regressions(S)
    desc = {
        "ruma.json": "ruma-state-res's resolution scenarios (bootstrap, tie-breaks, ban/topic/PL/join-rule races, "
                     "MSC4297 problems A and B under v2 and v2.1), converted to state sets",
        ST: "State resolution v2 (room versions 2-11), one step or tie-break per vector",
        V1: "State resolution v1 (room version 1): conflicts, depth and sha1 ordering, stop at first failure",
        V21: "State resolution v2.1 (room version 12): empty start, conflicted state subgraph, implied create, "
             "creators' power",
        REG: "State resolution regressions and divergences from known issues (anchors U5-U8, U21, U23, U24, D9, D13)",
    }
    refs = ["rooms/v1.md: State resolution", "rooms/fragments/v2-state-res.md", "rooms/v12.md: State resolution",
            "MSC4297: State Resolution v2.1"]
    out = {}
    for name in ["ruma.json", ST, V1, V21, REG]:
        out["state-res/" + name] = c.vfile("state-res", desc[name], refs, S.files[name])
    return out
