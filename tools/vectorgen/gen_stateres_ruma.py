"""state-res/ruma.json: every scenario of ruma-state-res's resolve tests, converted.

Source data: /work/shared/vectors/third-party/ruma-state-res/ (ruma/ruma@0908aaa9, MIT).
How ruma combines the fixture files is in tests/it/resolve.rs at that commit:
* snapshot_test_batches!(name, [files...]): the PDUs of the files form a DAG (prev_events); ruma
  resolves it event by event and also in batches and atomically, and asserts all three agree.
  Converted here to one state-res vector whose state sets are the states after the DAG's leaves
  (the events no prev_events points to), each computed as the spec defines it: the resolution of
  the states after its prev_events, plus the event itself. That is the last resolution ruma's
  iterative mode performs.
* snapshot_test_state_maps!(name, [state files], [pdu files]): the state sets are given; converted as is.
Fixture events are copied unchanged except that ruma's non-event "test-comments" field is moved
into the vector's comment.
"""
import copy
import json
import os

import gen_stateres_ref as ref
from gen_stateres_core import RUMA

SCEN = [
    ("minimal-private-chat", "batches", ["bootstrap-private-chat.json"], None,
     "minimal_private_chat",
     "A linear room (create, alice's join, power levels, join_rule invite, history_visibility, guest_access): "
     "one leaf, so one state set; with one set nothing is conflicted and the result is that set unchanged."),
    ("minimal-public-chat", "batches", ["bootstrap-public-chat.json"], None, "minimal_public_chat",
     "The public_chat bootstrap (join_rule public, bob joins, alice raises bob to 50 in $01-m-room-power_levels): one "
     "leaf, one state set, no conflict; the result is the set."),
    ("origin-server-ts-tiebreak", "batches", ["bootstrap-private-chat.json", "origin-server-ts-tiebreak.json"],
     None, "origin_server_ts_tiebreak",
     "Two join_rules events fork from $00-m-room-guest_access: $02-m-room-join_rules (restricted, ts 6) and "
     "$01-m-room-join_rules (public, ts 7), both by alice citing $00-m-room-power_levels (alice 100). State sets: "
     "the two leaf states; conflicted: join_rules {$02, $01}; the auth difference is empty (neither is an auth "
     "event of anything). Both are power events with no auth edge between them; same sender power (100) so "
     "origin_server_ts decides before event_id: $02 (ts 6) then $01 (ts 7), although $01 < $02 as strings. "
     "Iterative checks from the unconflicted map: both pass (alice 100 >= state_default 50), the later "
     "$01-m-room-join_rules is applied last and wins."),
    ("ban-vs-power-levels", "batches",
     ["bootstrap-public-chat.json", "ban-vs-power-levels-alice.json", "ban-vs-power-levels-bob.json"], None,
     "ban_vs_power_levels",
     "After the public_chat bootstrap (alice 100, bob 50 in $01-m-room-power_levels), alice bans bob "
     "($00-m-room-member-ban-bob, ts 8) while bob concurrently sends $02-m-room-power_levels (ts 8, unchanged "
     "levels). State sets: the two leaf states (alice's: $01 + ban; bob's: $02 + bob's join). Conflicted: "
     "power_levels {$01, $02}, bob's membership {join, ban}; auth difference empty. Power events: $01, $02, the "
     "ban; X also takes bob's join (in the ban's and $02's auth chains and in the full conflicted set). Order "
     "(Kahn, sender power from each event's own auth_events): $01 (alice 100; ancestor of $02), bob's join (an "
     "ancestor of the ban, so it must precede it although bob's power is 0 there), the ban (alice 100), $02 "
     "(bob 50). Checks from the unconflicted map: $01, bob's join and the ban pass; $02 fails (bob is banned). "
     "Nothing is left for step 3. Result: power_levels $01, bob banned."),
    ("topic-vs-power-levels", "batches",
     ["bootstrap-public-chat.json", "topic-vs-power-levels-alice.json", "topic-vs-power-levels-bob.json"], None,
     "topic_vs_power_levels",
     "Alice sets a topic ($00-m-room-topic-alice, ts 8) then demotes bob to 0 ($02-m-room-power_levels-alice, "
     "ts 9); concurrently bob (50) sets $01-m-room-topic-bob (ts 8, citing $01-m-room-power_levels). Conflicted: "
     "topic {alice's, bob's}, power_levels {$01, $02-alice}. Auth difference (literal): bob's join, cited by "
     "bob's topic but by nothing in alice's set (it is unconflicted; re-applying it changes nothing). Power "
     "order: $01 (ancestor) then $02-alice; both pass. Mainline of $02-alice: [$02-alice, $01, $00]. Step 3: "
     "bob's join (cites $00: position 2), then the two topics (both cite $01: position 1; same ts 8, so "
     "event_id: $00-m-room-topic-alice < $01-m-room-topic-bob). Bob's join passes, alice's topic passes, bob's "
     "topic fails (bob 0 < state_default 50 under $02-alice). Result: alice's topic and $02-alice."),
    ("power-levels-admin-vs-mod", "batches",
     ["bootstrap-public-chat.json", "power-levels-admin-vs-mod-alice.json", "power-levels-admin-vs-mod-bob.json"],
     None, "power_levels_admin_vs_mod",
     "Concurrently alice (100) demotes bob to 0 ($02-m-room-power_levels-alice, ts 8) and bob (50) sets "
     "users_default -1 ($02-m-room-power_levels-bob, ts 8); both cite $01-m-room-power_levels. Conflicted: "
     "power_levels {alice's, bob's}; auth difference (literal): bob's join (cited by bob's PL only), which X "
     "takes as an ancestor of bob's PL. Order: alice's PL (100), bob's join (0, but an ancestor of bob's PL), "
     "bob's PL (50). Checks from the unconflicted map: alice's passes; bob's join passes (public); bob's PL is "
     "checked against alice's (bob 0 < state_default 50) and fails. Result: $02-m-room-power_levels-alice."),
    ("topic-vs-ban", "batches",
     ["bootstrap-public-chat.json", "topic-vs-ban-common.json", "topic-vs-ban-alice.json", "topic-vs-ban-bob.json"],
     None, "topic_vs_ban",
     "After alice sets $00-m-room-topic, alice bans bob ($00-m-room-member-ban-bob) while bob (50) sets "
     "$01-m-room-topic; all ts 8. Conflicted: bob's membership {join, ban}, topic {$00, $01}. X: the ban and "
     "bob's join (its auth ancestor); order: bob's join, ban; both pass. Step 3 (mainline [$01-m-room-power_levels, "
     "$00]): both topics cite $01 (position 0), same ts 8, so $00-m-room-topic < $01-m-room-topic by event_id. "
     "$00 passes, $01 fails (bob is banned, not joined). Result: bob banned, topic $00-m-room-topic."),
    ("join-rules-vs-join", "batches",
     ["bootstrap-public-chat.json", "join-rules-vs-join-common.json", "join-rules-vs-join-alice.json",
      "join-rules-vs-join-ella.json"], None, "join_rules_vs_join",
     "After bob's $02-m-room-power_levels, alice switches to invite ($01-m-room-join_rules, ts 9) while ella "
     "joins under the public rule ($00-m-room-member-join-ella, ts 9). Conflicted: join_rules {$00 (public), $01 "
     "(invite)}, ella's membership {join, absent}. Power order: $00 (ts 3) then $01 (ts 9), both alice 100 ($00 "
     "is also $01's auth ancestor through $02 and bob's join); both pass. Step 3: ella's join is checked against "
     "join_rule invite with no invite and fails. Result: join_rules $01, no ella."),
    ("concurrent-joins", "batches",
     ["bootstrap-public-chat.json", "concurrent-joins-charlie.json", "concurrent-joins-ella.json"], None,
     "concurrent_joins",
     "charlie and ella join concurrently (public room). Each key is missing from the other set, so both joins "
     "are conflicted (v2: a key absent from one set is conflicted); no power events; mainline-sorted and both "
     "pass. Result: both members joined."),
    ("msc4297-problem-a-v2.0", "maps", ["MSC4297-problem-A/pdus-v11.json"],
     ["MSC4297-problem-A/state-bob.json", "MSC4297-problem-A/state-charlie.json"],
     "msc4297_problem_a_state_res_v2_0",
     "MSC4297 problem A in room version 11 (state res v2). Alice (creator) makes the room invite-only "
     "($01-m-room-join_rules) and leaves; bob and charlie change display names. The two given state sets are "
     "partially synchronised: bob's has $01-m-room-join_rules but charlie's old join, charlie's has "
     "$00-m-room-join_rules (public) but bob's old join. Unconflicted: create, $00-m-room-power_levels, alice's "
     "leave. Conflicted: join_rules {$00, $01}, bob {join, bob++}, charlie {join, charlie++}. Power order: $00 "
     "(ts 3), $01 (ts 6), both alice 100. Step 2 starts from the unconflicted map, where alice has LEFT: both "
     "join_rules fail (sender not joined). Step 3 (mainline [$00-m-room-power_levels], all at position 0, by ts): "
     "bob's join, charlie's join, bob++, charlie++: each takes the missing join_rules from its own auth_events "
     "and passes. Result: NO join_rules at all, the state reset MSC4297 describes."),
    ("msc4297-problem-a-v2.1", "maps", ["MSC4297-problem-A/pdus-v12.json"],
     ["MSC4297-problem-A/state-bob.json", "MSC4297-problem-A/state-charlie.json"],
     "msc4297_problem_a_state_res_v2_1",
     "MSC4297 problem A in room version 12 (state res v2.1; create implied, alice not in power_levels users). "
     "Same conflicts as the v11 vector. The conflicted state subgraph adds nothing (no auth path between two "
     "conflicted events passes through an unconflicted one). Step 2 now starts from the EMPTY map: $00 then "
     "$01-m-room-join_rules are checked with alice's join taken from their own auth_events, and pass (alice is "
     "a creator). Step 3 from {join_rules: $01 (invite)}: bob's and charlie's first joins fail (no invite; "
     "their membership is absent from the partial state and from their own auth_events), bob++ and charlie++ "
     "pass (their auth_events carry their earlier join). Step 5 restores the unconflicted entries. Result: "
     "join_rules $01-m-room-join_rules is kept, unlike v2.0."),
    ("msc4297-problem-b-v2.0", "maps", ["MSC4297-problem-B/pdus-v11.json"],
     ["MSC4297-problem-B/state-eve.json", "MSC4297-problem-B/state-zara.json"],
     "msc4297_problem_b_state_res_v2_0",
     "MSC4297 problem B in room version 11. Alice raises bob to 50 ($01-m-room-power_levels), bob raises charlie "
     "($02); zara and eve join under $02. Eve's state set still has $00-m-room-power_levels, zara's has $02. "
     "Conflicted: power_levels {$00, $02}, eve {eve++ / absent}, zara {join / absent}. Auth difference: eve's "
     "first join (only eve's set cites it). $01-m-room-power_levels is in both full auth chains, so it is NOT "
     "in the full conflicted set. Power order: $00 (alice 100), $02 (bob 50). Step 2: $00 passes; $02 is checked "
     "against $00, where bob has 0: fails. Step 3 (mainline [$00]): zara (ts 8), eve's join (ts 9, $00-...) and "
     "eve++ (ts 9, $01-...) pass (public). Result: power_levels reset to $00-m-room-power_levels."),
    ("msc4297-problem-b-v2.1", "maps", ["MSC4297-problem-B/pdus-v12.json"],
     ["MSC4297-problem-B/state-eve.json", "MSC4297-problem-B/state-zara.json"],
     "msc4297_problem_b_state_res_v2_1",
     "MSC4297 problem B in room version 12. The conflicted state subgraph contains every event on an auth path "
     "from $02-m-room-power_levels (or eve++/zara's join) down to $00-m-room-power_levels: $01-m-room-power_levels, "
     "bob's join and $00-m-room-join_rules. X = those power events and bob's join; order: $00, $00-join_rules "
     "(ts 3), $01 (ts 6), bob's join (bob 0 < alice), $02. Step 2 from the empty map: all pass ($01 gives bob 50, "
     "so bob's $02 is allowed). Step 3 (mainline [$02, $01, $00]): zara, eve's join, eve++ pass. Result: "
     "power_levels $02-m-room-power_levels, unlike v2.0."),
]

RUMA_DIR = "third-party/ruma-state-res"


class FixtureRoom:
    def __init__(self, rv, events):
        self.rv = rv
        self.events = events
        self.byid = {e["event_id"]: e for e in events}


def load(shared, rel):
    return json.load(open(os.path.join(shared, "vectors", RUMA_DIR, "fixtures", rel), encoding="utf-8"))


def snapshot(shared, name):
    t = open(os.path.join(shared, "vectors", RUMA_DIR, "snapshots", name + "@resolved_state.snap"),
             encoding="utf-8").read()
    body = t.split("---", 2)[2]
    return [e["event_id"] for e in json.loads(body)]


def leaf_states(rv, events):
    """The states after the DAG's leaves, by the spec's definition of the state after an event."""
    byid = {e["event_id"]: e for e in events}
    n = ref.n_of(rv)
    after = {}

    def state_after(eid):
        if eid in after:
            return after[eid]
        ev = byid[eid]
        prevs = ref.ids(ev.get("prev_events"), n)
        if prevs:
            sets = [sorted(state_after(p).values()) for p in prevs]
            st = dict(ref.resolve(rv, events, sets))
        else:
            st = {}
        if "state_key" in ev:
            st[(ev["type"], ev["state_key"])] = eid
        after[eid] = st
        return st

    pointed = {p for e in events for p in ref.ids(e.get("prev_events"), n)}
    leaves = [e["event_id"] for e in events if e["event_id"] not in pointed]
    return [sorted(state_after(l).values()) for l in leaves]


def build(S, shared):
    F = "ruma.json"
    for tid, kind, pdus, maps, snap, why in SCEN:
        events = []
        notes = []
        for p in pdus:
            for e in load(shared, p):
                e = copy.deepcopy(e)
                tc = e.pop("test-comments", None)
                if tc:
                    notes.append("%s: %s" % (e["event_id"], "".join(tc)))
                events.append(e)
        rv = events[0]["content"]["room_version"]
        room = FixtureRoom(rv, events)
        if kind == "maps":
            sets = [load(shared, s) for s in maps]
            how = "state sets = %s as given" % " and ".join(maps)
        else:
            sets = leaf_states(rv, events)
            how = ("fixtures %s; state sets = the states after the DAG's %d leaves (ruma resolves the DAG "
                   "event by event; this is its final resolution)" % (", ".join(pdus), len(sets)))
        expect = snapshot(shared, snap)
        comment = "ruma scenario %s (%s). %s" % (snap, how, why)
        if notes:
            comment += " Fixture notes (ruma's test-comments field, removed from the events): " + " ".join(notes)
        comment += " The snapshot agrees with the spec reading."
        S.vec(F, "ruma/" + tid, room, sets, expect, comment, source=RUMA, events=events)
