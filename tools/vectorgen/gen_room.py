"""room suite: whole rooms replayed event by event (receipt steps 4-5), hand-worked.

Each vector gives the events of a room in some order; the expected outcome is the set of
rejected events and the room's current state at its forward extremities. Every comment walks
through the replay; gen_room_core.Suite.vec() refuses a vector unless gen_room_ref (auth rules by
gen_auth_ref, state resolution by gen_stateres_ref, both transcribed from the spec) reproduces the
declared rejections (with the step and rule of each), extremities and state.
Files: linear.json, forks.json, regressions.json, v12.json.
"""
import common as c
from gen_room_core import ALICE, BOB, CAROL, DAVE, HAND, Suite, base_room

LIN = "linear.json"
FORK = "forks.json"
REG = "regressions.json"
V12 = "v12.json"
SOFT = "soft-failure.json"

BASE = ("Base (in DAG order): $create (alice), $join-alice, $pl0 (%s), $jr0 (%s), %s. ")


def base_desc(rv, users, jr="public", joiners="$join-bob, $join-carol"):
    n = int(rv)
    u = ("alice is the creator (infinite power in v12, not listed in users)" if n >= 12 else "alice 100")
    for k, v in users.items():
        u += ", %s %d" % (k[1:].split(":")[0], v)
    s = BASE % (u, jr, joiners)
    if n <= 2:
        s += ("Room version %s: auth_events and prev_events in the [[id, {sha256}]] wire form, IDs carry a "
              "server name (written here without it). " % rv)
    return s


def all_base(extra=(), drop=()):
    names = ["create", "join-alice", "pl0", "jr0", "join-bob", "join-carol"]
    names = [x for x in names if x not in drop]
    return names + list(extra)


# ---------------------------------------------------------------------------------------------
# linear.json
# ---------------------------------------------------------------------------------------------
def linear(S):
    # 1. non-member's state event rejected; later events citing it in prev_events accepted
    for rv in ("1", "6"):
        r, b = base_room(rv, {BOB: 50})
        b.topic("topic-dave", DAVE, "spam", keep=False)
        b.msg("msg-alice", ALICE)
        b.topic("topic-alice", ALICE, "hello")
        S.vec(LIN, "v%s/non-member-state-event-rejected" % rv, r, {"topic-dave": "step4:sender_joined"},
              ["join-carol", "topic-alice"], all_base(["topic-alice"]),
              base_desc(rv, {BOB: 50}) + "Then dave, who never joined, sends $topic-dave (auth_events: $create, "
              "$pl0; prev_events: $join-carol): against its own auth events it fails the rule 'the sender's "
              "membership is not join => reject' (dave has no membership at all), so it is REJECTED at step 4 "
              "and does not enter any state (the state after it is the state before it). $msg-alice cites "
              "$topic-dave in prev_events: that does not taint it -- its state before is the state after "
              "$topic-dave, i.e. the base, and alice is joined: accepted. $topic-alice follows, accepted. "
              "Forward extremities (accepted events that no ACCEPTED event cites in prev_events): $topic-alice "
              "and also $join-carol, whose only child is the rejected $topic-dave. Current state: the resolution "
              "of {base} and {base, $topic-alice}: the topic key, missing from one set, is conflicted; "
              "$topic-alice passes. Result: the base plus $topic-alice; no trace of dave.", flags=["edge-case"] if rv == "1" else ())

    # 2. power levels raising oneself above one's own level
    r, b = base_room("6", {BOB: 50})
    b.pl("pl-bob", BOB, {ALICE: 100, BOB: 100}, keep=False)
    b.topic("topic-bob", BOB, "bob's topic")
    b.msg("msg-carol", CAROL)
    S.vec(LIN, "v6/power-levels-self-promotion-rejected", r, {"pl-bob": "step4:pl.user_new"}, ["join-carol", "msg-carol"],
          all_base(["topic-bob"]),
          base_desc("6", {BOB: 50}) + "Bob (50) sends $pl-bob raising himself to 100 (cites $pl0): the "
          "power_levels rule 'for each user whose level changes, if the new value is greater than the sender's "
          "current level, reject' fails (100 > 50): REJECTED at step 4. Bob's $topic-bob (prev_events "
          "$pl-bob, auth_events $pl0) is checked with bob at 50 >= state_default 50: accepted, both against its "
          "auth events and against the state before it (which still holds $pl0, since $pl-bob never entered "
          "state). $msg-carol follows. Forward extremities: $msg-carol and $join-carol (its only child, "
          "$pl-bob, is rejected, and a rejected event does not retire its prev_events). State: resolution of "
          "{base} and {base, $topic-bob}: the topic passes; base with $pl0 and $topic-bob.")

    # 3. passes its own (stale) auth events, fails against the state before it
    r, b = base_room("9", {BOB: 50})
    b.pl("pl1", ALICE, {ALICE: 100, BOB: 0})
    b.topic("topic-bob", BOB, "stale", auth=["create", "pl0", "join-bob"], keep=False)
    b.msg("msg-alice", ALICE)
    S.vec(LIN, "v9/stale-auth-events-fail-against-state-before", r, {"topic-bob": "step5:required"},
          ["msg-alice", "pl1"], all_base(["pl1"], drop=["pl0"]),
          base_desc("9", {BOB: 50}) + "Alice demotes bob to 0 ($pl1). Bob's server then sends $topic-bob with "
          "prev_events [$pl1] but auth_events citing the OLD $pl0 (bob 50). Step 4: against $pl0 bob has "
          "50 >= state_default 50, so it passes. Step 5: the state before it is the state after $pl1, where "
          "bob has 0 < 50: REJECTED ('the sender's power level is lower than the required level'). "
          "$msg-alice (prev $topic-bob) is accepted. Forward extremities: $msg-alice and $pl1 (cited only by the "
          "rejected $topic-bob); both have the same state after. State: base with $pl1, no topic.")

    # 4. invite-only room: join without invite rejected, invite then join accepted (room v2)
    r, b = base_room("2", {}, jr="invite", joiners=())
    b.join("join-bob-early", BOB, keep=False)
    b.member("invite-bob", ALICE, BOB, "invite")
    b.join("join-bob", BOB)
    b.msg("msg-bob", BOB)
    b.topic("topic-bob", BOB, "no power", keep=False)
    S.vec(LIN, "v2/invite-only-join-then-invite", r,
          {"join-bob-early": "step4:join.not_invited", "topic-bob": "step4:required"}, ["jr0", "msg-bob"], ["create", "join-alice", "pl0", "jr0", "join-bob"],
          "Room version 2 (wire-form references, IDs carry ':example.org'). $create, $join-alice, $pl0 "
          "(alice 100), $jr0 (invite). Bob sends $join-bob-early: join_rule is invite and bob is neither "
          "invited nor joined: REJECTED at step 4. Alice then invites bob ($invite-bob, prev $join-bob-early): "
          "accepted (alice joined, 100 >= invite 0, bob has no membership). $join-bob (auth: $invite-bob) is "
          "accepted, then $msg-bob. $topic-bob fails 'power level lower than required' (bob 0 < "
          "state_default 50): REJECTED at step 4. Forward extremities: $msg-bob (its only child $topic-bob is "
          "rejected) and $jr0 (its only child is the rejected $join-bob-early). The current state resolves {$create, "
          "$join-alice, $pl0, $jr0} and the same plus $join-bob: bob's key, missing from one set, is "
          "conflicted; $join-bob passes, bob's invite being taken from its own auth events. State: bob = "
          "$join-bob.")

    # 5. U12 isolated: the only fault of the dependant is its rejected auth event
    for rv in ("10", "12"):
        r, b = base_room(rv, {BOB: 50})
        b.pl("pl-bad", BOB, {ALICE: 100, BOB: 50, CAROL: 100} if rv == "10" else {BOB: 50, CAROL: 100},
             keep=False)
        b.topic("topic-alice", ALICE, "built on a rejected event",
                auth=(["create"] if rv == "10" else []) + ["pl-bad", "join-alice"], keep=False)
        b.msg("msg-alice", ALICE)
        S.vec(LIN if rv == "10" else V12, "v%s/rejected-auth-event-rejects-dependant" % rv, r,
              {"pl-bad": "step4:pl.user_new", "topic-alice": "step4:ae.rejected"}, ["join-carol", "msg-alice"],
              all_base(),
              base_desc(rv, {BOB: 50}) + "U12 (matrix-org/complement PR #210 'Test auth of events with "
              "rejected auth_events'; fixed in Synapse by synapse#9595/#10956, Dendrite had the bug). Bob (50) "
              "sends $pl-bad giving carol 100: 'new value greater than the sender's level' (100 > 50): REJECTED. "
              "Alice then sends $topic-alice whose auth_events cite $pl-bad (prev_events: $pl-bad). Taken on "
              "its own it is fine: alice %s in $pl-bad, and against the state before (which holds $pl0) alice "
              "may set a topic too. It is REJECTED only because one of its auth events was rejected (receipt "
              "step 4: 'the event must pass the auth checks based on the auth events'; an auth event that was "
              "rejected cannot authorise anything). $msg-alice (prev $topic-alice) is accepted. Forward "
              "extremities: $msg-alice and $join-carol (whose only child, $pl-bad, is rejected); same state "
              "after both. State: the base, no topic, $pl0." % ("has 100" if rv == "10" else "is the creator"),
              flags=["regression"])

    # 6. Complement-style U12: rejected join, then a message citing the rejected join
    r, b = base_room("11", {}, joiners=(BOB,))
    b.jr("jr1", ALICE, "invite")
    b.join("join-dave-bad", DAVE, auth=["create", "pl0", "jr1"], keep=False)
    b.msg("msg-dave", DAVE, auth=["create", "pl0", "join-dave-bad"])
    b.member("invite-dave", ALICE, DAVE, "invite")
    b.join("join-dave", DAVE)
    b.msg("msg-dave2", DAVE)
    S.vec(LIN, "v11/message-citing-rejected-join", r,
          {"join-dave-bad": "step4:join.not_invited", "msg-dave": "step4:ae.rejected"}, ["jr1", "msg-dave2"],
          ["create", "join-alice", "pl0", "jr1", "join-bob", "join-dave"],
          "Room version 11. $create, $join-alice, $pl0 (alice 100), $jr0 (public), $join-bob, then alice "
          "makes the room invite-only ($jr1). Dave sends $join-dave-bad citing $jr1: not invited: REJECTED "
          "(step 4). Dave then sends $msg-dave whose auth_events cite $join-dave-bad: against those auth "
          "events dave looks joined, but his membership event was rejected, so $msg-dave is REJECTED too "
          "(U12, matrix-org/complement PR #210; the same message would also fail step 5, dave having no "
          "membership in the state before). Alice invites dave ($invite-dave, prev $msg-dave: accepted), "
          "dave joins ($join-dave, accepted) and talks ($msg-dave2). Forward extremities: $msg-dave2 and $jr1 "
          "(cited only by the rejected $join-dave-bad); resolving {.., $jr1} and {.., $jr1, $join-dave}: dave's "
          "join (invite taken from its own auth events) passes. State: "
          "join_rules $jr1, dave = $join-dave.", flags=["regression"])


    # 7. auth_events naming an event type the selection does not allow
    r, b = base_room("10", {BOB: 50})
    b.msg("msg-bob-bad", BOB, auth=["create", "pl0", "jr0", "join-bob"])
    b.msg("msg-bob", BOB)
    S.vec(LIN, "v10/auth-events-not-in-selection", r, {"msg-bob-bad": "step4:ae.select"}, ["join-carol", "msg-bob"],
          all_base(),
          base_desc("10", {BOB: 50}) + "Bob sends $msg-bob-bad, a message whose auth_events also cite $jr0. "
          "A message may only cite the create event, the power levels and the sender's membership ('Auth events "
          "selection'); the auth rules reject an event with an auth event of an unexpected (type, state_key): "
          "REJECTED at step 4, although bob could send it. $msg-bob (prev $msg-bob-bad, proper auth events) is "
          "accepted. Forward extremities: $msg-bob and $join-carol (its only child, $msg-bob-bad, is "
          "rejected); messages change no state, so both states after are the base. State: the base.")


# ---------------------------------------------------------------------------------------------
# forks.json
# ---------------------------------------------------------------------------------------------
def kick_on_merged_fork(S, rv, shuffle=False):
    r, b = base_room(rv, {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 0} if rv != "12" else {BOB: 0}, ts=20)
    c2.msg("msg-carol", CAROL, ts=21)
    c2.member("kick-carol", BOB, CAROL, "leave", prev=["pl1", "msg-carol"], ts=22, keep=False)
    tid = "v%s/kick-by-demoted-moderator-after-merge%s" % (rv, "-shuffled" if shuffle else "")
    S.vec(FORK, tid, r, {"kick-carol": "step5:leave.otherwise"}, ["msg-carol", "pl1"],
          all_base(["pl1"], drop=["pl0"]),
          base_desc(rv, {BOB: 50}) + "Fork: alice demotes bob to 0 ($pl1, ts 20); concurrently carol "
          "talks ($msg-carol, ts 21). Bob's server, which had seen $pl1 only as a prev_event, sends "
          "$kick-carol with prev_events [$pl1, $msg-carol] but auth_events citing $pl0 (bob 50 >= kick 50, "
          "carol 0 < 50): step 4 passes. The state before it is the resolution of the states after its "
          "prev_events, {base, $pl1} and {base} (the message changes nothing): power_levels conflicted "
          "{$pl0, $pl1}; %s; result $pl1. Against "
          "that state bob has 0 < kick 50: REJECTED at step 5 (rule: kick needs the sender's level >= kick "
          "and above the target's). Forward extremities: $kick-carol is rejected, so $pl1 and $msg-carol stay "
          "extremities; current state = the same resolution: $pl1, carol still joined.%s"
          % ("v1 resolution: ascending depth, $pl0 (depth 3) into the partial state, then $pl1 (depth 7) "
             "checked against it: alice 100 may change bob's 50 to 0, it passes" if rv == "1" else
             "$pl1 cites $pl0 so $pl0 goes first and $pl1 last; both pass",
             " The events are listed in a shuffled order; an implementation must sort them itself "
             "(prev_events and auth_events first)." if shuffle else ""))


def two_admins(S, rv, shuffle=False):
    r, b = base_room(rv, {BOB: 100})
    a, c2 = b.fork(), b.fork()
    if rv == "12":
        ua, ub = {BOB: 100, CAROL: 50}, {BOB: 100, DAVE: 50}
    else:
        ua, ub = {ALICE: 100, BOB: 100, CAROL: 50}, {ALICE: 100, BOB: 100, DAVE: 50}
    a.pl("pl-a", ALICE, ua, ts=20)
    a.send("name-a", "m.room.name", ALICE, {"name": "Alice's room"}, ts=30)
    c2.pl("pl-b", BOB, ub, ts=10)
    c2.send("name-b", "m.room.name", BOB, {"name": "Bob's room"}, ts=11)
    a.merge(c2, "merge", CAROL, ts=40)
    a.topic("topic-carol", CAROL, "carol can now",
            auth=(["create"] if rv != "12" else []) + ["pl-a", "join-carol"], ts=41)
    tid = "v%s/two-admins-concurrent%s" % (rv, "-shuffled" if shuffle else "")
    head = (base_desc(rv, {BOB: 100}) + "Two admins act concurrently from the same point. Alice: $pl-a "
            "(ts 20, adds carol 50) then $name-a (ts 30, cites $pl-a). Bob: $pl-b (ts 10, adds dave 50) then "
            "$name-b (ts 11, cites $pl-b). Carol merges ($merge, prev [$name-a, $name-b]). State before "
            "$merge = resolution of {base, $pl-a, $name-a} and {base, $pl-b, $name-b}: conflicted "
            "power_levels {$pl-a, $pl-b} and name {$name-a, $name-b}. ")
    if rv != "12":
        S.vec(FORK, tid, r, {}, ["topic-carol"], all_base(["pl-a", "name-a", "topic-carol"], drop=["pl0"]),
              head + "Power events ordered by sender power (alice and bob both 100 per $pl0), then ts: $pl-b "
              "(10), $pl-a (20); $pl-a passes against $pl-b (it only drops dave's 50 and adds carol's 50, both "
              "<= alice's level) and wins. Mainline of $pl-a: [$pl-a, $pl0]; $name-a sits at position 0, "
              "$name-b (via $pl-b -> $pl0) at 1: greater position first, so $name-b then $name-a, both pass; "
              "$name-a wins. Carol then sets $topic-carol (prev $merge, auth $pl-a where she has 50 = "
              "state_default): accepted against the resolved state. Nothing rejected. Extremity: "
              "$topic-carol. State: $pl-a, $name-a, $topic-carol.%s"
              % (" Events listed shuffled." if shuffle else ""), shuffle=shuffle)
        return
    S.vec(V12, tid, r, {"topic-carol": "step5:required"}, ["merge"],
          all_base(["pl-b", "name-b"], drop=["pl0"]),
          head + "Version 12 (state resolution v2.1, creators): the power ordering reads sender power from "
          "each event's own auth events, and alice, the creator, has INFINITE power, above bob's 100: $pl-a "
          "sorts FIRST, $pl-b last (timestamps are not reached). $pl-b passes against $pl-a (bob 100 drops "
          "carol's 50 and adds dave's 50) and wins -- the opposite of the same DAG in v9 "
          "(forks.json v9/two-admins-concurrent). Mainline of $pl-b: [$pl-b, $pl0]; $name-b at position 0, "
          "$name-a (via $pl-a -> $pl0) at 1: $name-a first, $name-b last and wins. Carol's $topic-carol "
          "(prev $merge, auth_events citing $pl-a where she has 50) passes step 4 but fails step 5: under "
          "$pl-b carol has 0 < state_default 50. REJECTED. Extremity: $merge. State: $pl-b, $name-b. "
          "(U24: continuwuity sorted creators as power 0 before 39b08f73f, which would also change the "
          "order here.)", flags=["regression"])


def ban_vs_pl(S, rv, merge=True, fname=FORK):
    r, b = base_room(rv, {BOB: 50})
    a, c2 = b.fork(), b.fork()
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 0} if rv != "12" else {BOB: 0}, ts=20)
    c2.member("ban-carol", BOB, CAROL, "ban", ts=10)
    if merge:
        a.merge(c2, "merge", ALICE, ts=30)
        a.msg("msg-carol", CAROL, auth=(["create"] if rv != "12" else []) + ["pl1", "join-carol"], ts=31)
        ext = ["msg-carol"]
    else:
        ext = ["ban-carol", "pl1"]
    tid = "v%s/ban-races-power-levels%s" % (rv, "" if merge else "-no-merge")
    tail = ("Alice merges ($merge, prev [$pl1, $ban-carol]); its state before is that resolution, so "
            "carol's $msg-carol (prev $merge, auth_events citing $join-carol) is ACCEPTED: carol is a member "
            "again for everyone. Extremity: $msg-carol." if merge else
            "No event merges the fork: the forward extremities are $pl1 and $ban-carol, and the current state "
            "is the resolution of the states after them.")
    S.vec(fname, tid, r, {}, ext, all_base(["pl1"], drop=["pl0"]),
          base_desc(rv, {BOB: 50}) + "synapse#8629-style race (U5: 'state resets still happen in v2 rooms'). "
          "Fork: alice demotes bob to 0 ($pl1, ts 20); concurrently bob (still 50 in his view) bans carol "
          "($ban-carol, ts 10, auth $pl0). NEITHER is rejected: each passes against its auth events and the "
          "state before it (its own branch). Resolution of {base, $pl1} and {base, $ban-carol}: conflicted "
          "power_levels {$pl0, $pl1} and carol {$join-carol, $ban-carol}; %s $pl0 precedes $pl1 and "
          "$join-carol precedes the ban (auth ancestors); the ban is checked after $pl1, where bob has "
          "0 < ban 50: it fails and is dropped from the resolved state, although its timestamp is earlier. "
          "Result: $pl1, carol joined. %s"
          % ("(v2.1: step 2 starts from the empty map, the conflicted subgraph brings $join-carol, on the "
             "auth path $ban-carol -> $join-carol -> $pl0)" if rv == "12" else "", tail),
          flags=["regression"])


def join_vs_join_rules(S, rv):
    r, b = base_room(rv, {}, joiners=(BOB,))
    a, c2 = b.fork(), b.fork()
    a.jr("jr1", ALICE, "invite", ts=20)
    c2.join("join-dave", DAVE, ts=10)
    a.merge(c2, "merge", ALICE, ts=30)
    a.msg("msg-dave", DAVE, auth=(["create"] if rv != "12" else []) + ["pl0", "join-dave"], ts=31, prev=["merge"])
    S.vec(FORK, "v%s/join-races-join-rules" % rv, r, {"msg-dave": "step5:sender_joined"}, ["merge"],
          ["create", "join-alice", "pl0", "jr1", "join-bob"],
          base_desc(rv, {}, joiners="$join-bob") + "Fork: alice makes the room invite-only ($jr1, ts 20); "
          "concurrently dave joins under $jr0 (public) ($join-dave, ts 10): accepted in its branch. Alice "
          "merges ($merge, prev [$jr1, $join-dave]). Resolution of {base, $jr1} and {base, $join-dave}: "
          "conflicted join_rules {$jr0, $jr1} and dave {$join-dave} (absent from one set). Power events "
          "$jr0, $jr1 (alice both; $jr0 older) pass in that order; then the mainline step checks $join-dave "
          "against join_rule invite: fails, dave is not in the resolved state. Dave's $msg-dave (prev $merge, "
          "auth_events citing his $join-dave) passes step 4 but fails step 5, dave having no membership in "
          "the state before: REJECTED. Extremity: $merge. State: $jr1, no dave.")


def forks(S):
    kick_on_merged_fork(S, "1")
    kick_on_merged_fork(S, "6")
    kick_on_merged_fork(S, "9", shuffle=True)
    for rv in ("3", "4", "5", "7", "8"):  # every version has a room vector
        kick_on_merged_fork(S, rv)
    two_admins(S, "9")
    two_admins(S, "2", shuffle=True)
    ban_vs_pl(S, "10")
    ban_vs_pl(S, "2", merge=False)
    join_vs_join_rules(S, "11")
    join_vs_join_rules(S, "6")


# ---------------------------------------------------------------------------------------------
# regressions.json
# ---------------------------------------------------------------------------------------------
def u7_unban(S, rv, shuffle=False):
    r, b = base_room(rv, {BOB: 50})
    b.member("ban-carol", ALICE, CAROL, "ban", ts=20)
    a, c2 = b.fork(), b.fork()
    a.member("unban-carol", ALICE, CAROL, "leave",
             auth=(["create"] if rv != "12" else []) + ["pl0", "join-alice", "join-carol"], ts=15)
    c2.topic("topic-bob", BOB, "meanwhile", ts=25)
    a.merge(c2, "merge", ALICE, ts=30)
    a.join("rejoin-carol", CAROL, auth=(["create"] if rv != "12" else []) + ["pl0", "jr0", "unban-carol"],
           ts=31, keep=False)
    tid = "v%s/u7-unban-without-ban-in-auth-events%s" % (rv, "-shuffled" if shuffle else "")
    S.vec(REG, tid, r, {"rejoin-carol": "step5:join.banned"}, ["merge"],
          all_base(["ban-carol", "topic-bob"], drop=["join-carol"]),
          base_desc(rv, {BOB: 50}) + "U7 (matrix-org/synapse#6520 'State reset in a v5 room': the unban's "
          "auth_events lacked the ban, so the ban came back). Alice bans carol ($ban-carol, ts 20). Then she "
          "unbans her with $unban-carol (membership leave, ts 15 by a skewed clock, prev [$ban-carol]) whose "
          "auth_events cite carol's JOIN instead of the ban: step 4 passes (a kick: alice 100 >= kick 50 > "
          "carol 0), step 5 too (state before: carol banned, alice 100 >= ban 50, then the kick rule). So it "
          "is accepted. Concurrently bob sets $topic-bob (ts 25, prev [$ban-carol]). Alice merges ($merge, "
          "prev [$unban-carol, $topic-bob]): resolution of {.., carol $unban-carol} and {.., carol "
          "$ban-carol, topic $topic-bob}. Both memberships are power events; no auth edge links them (the "
          "unban does not cite the ban), equal power (alice), so ts orders: $unban-carol (15) then "
          "$ban-carol (20), both pass, the BAN is applied last and comes back; $topic-bob passes. Carol's "
          "$rejoin-carol (prev $merge, auth_events citing $unban-carol, public room) passes step 4 but fails "
          "step 5: banned. REJECTED. Extremity: $merge (the rejoin is rejected). State: carol banned, topic "
          "$topic-bob -- the spec's verdict, reproducing the reported reset.%s"
          % (" Events listed shuffled." if shuffle else ""), flags=["regression"], shuffle=shuffle)


def u8_v1(S):
    r, b = base_room("1", {BOB: 50})
    a, c2, d = b.fork(), b.fork(), b.fork()
    a.pl("pl1", ALICE, {ALICE: 100, BOB: 0})
    c2.msg("msg-bob", BOB)
    c2.member("kick-carol-bob", BOB, CAROL, "leave")
    d.msg("msg-alice1", ALICE)
    d.msg("msg-alice2", ALICE)
    d.member("kick-carol-alice", ALICE, CAROL, "leave")
    a.send("merge", "m.room.message", ALICE, {"msgtype": "m.text", "body": "merge"}, None,
           prev=["pl1", "kick-carol-bob", "kick-carol-alice"])
    a.msg("msg-carol", CAROL, auth=["create", "pl1", "join-carol"])
    S.vec(REG, "v1/u8-membership-reset", r, {}, ["msg-carol"], all_base(["pl1"], drop=["pl0"]),
          base_desc("1", {BOB: 50}) + "Depths 1-6. U8 (matrix-org/synapse#1953 'Spontaneous leaving/rejoining "
          "rooms [state resets]'). Three branches from $join-carol: alice demotes bob ($pl1, depth 7); bob "
          "talks then kicks carol ($kick-carol-bob, depth 8, allowed under $pl0 in his branch); alice talks "
          "twice then kicks carol ($kick-carol-alice, depth 9). None is rejected. Alice merges all three "
          "($merge, prev [$pl1, $kick-carol-bob, $kick-carol-alice]); the state before it is the v1 "
          "resolution: power_levels {$pl0, $pl1} by ascending depth, $pl0 first then $pl1 passes; carol "
          "{$join-carol, $kick-carol-bob, $kick-carol-alice} by ascending depth: $join-carol, then bob's kick "
          "checked against the partial state (bob 0 < kick 50) fails and v1 STOPS, so alice's valid kick is "
          "never tried. Carol is joined again; her $msg-carol (prev $merge) is accepted. Extremity: "
          "$msg-carol. State: $pl1, carol = $join-carol.", source=HAND, flags=["regression"])


def u6_join_rules_reset(S, rv):
    r, b = base_room(rv, {BOB: 50})
    x, y = b.fork(), b.fork()
    x.jr("jr-bob", BOB, "invite", ts=20)
    y.member("leave-bob", BOB, BOB, "leave", ts=21)
    z = y.fork()
    x.merge(y, "merge1", ALICE, ts=22)
    z.topic("topic-alice", ALICE, "meanwhile", ts=23)
    x.merge(z, "merge2", ALICE, ts=24)
    jd = x.join("join-dave", DAVE, auth=(["create"] if rv != "12" else []) + ["jr0", "pl0"], ts=25,
                keep=(rv != "12"))
    if rv == "12":
        rej, ext = {"join-dave": "step5:join.not_invited"}, ["merge2"]
        st = ["create", "join-alice", "pl0", "jr-bob", "leave-bob", "join-carol", "topic-alice"]
    else:
        rej, ext = {}, ["join-dave"]
        st = ["create", "join-alice", "pl0", "jr0", "leave-bob", "join-carol", "topic-alice", "join-dave"]
    common = (base_desc(rv, {BOB: 50}) + "U5 / U6 (element-hq/synapse#8629, #16629 'join_rules reset'; root "
              "cause of MSC4297, fixed by room v12). Fork: bob (50 = state_default) makes the room invite-only "
              "($jr-bob, ts 20); concurrently bob leaves ($leave-bob, ts 21). Alice merges them ($merge1): "
              "conflicted join_rules {$jr0, $jr-bob} and bob {$join-bob, $leave-bob}; bob's membership is not "
              "in the starting map, so $jr-bob is checked with bob joined ($join-bob, its auth ancestor, "
              "passes first): both join rules pass, $jr-bob last; $leave-bob then applies. State after $merge1: "
              "$jr-bob, bob left. Meanwhile, on the branch after $leave-bob, alice sets $topic-alice (that "
              "branch still has $jr0). Alice merges again ($merge2, prev [$merge1, $topic-alice]): sets "
              "{$jr-bob, $leave-bob} and {$jr0, $leave-bob, $topic-alice}; bob's leave is now UNCONFLICTED. ")
    if rv == "12":
        tail = ("State resolution v2.1 starts step 2 from the EMPTY map: $jr0, then $join-bob (conflicted "
                "subgraph: on the auth path $jr-bob -> $join-bob -> $jr0), then $jr-bob, checked with bob "
                "joined: passes and wins; the unconflicted $leave-bob is re-applied at the end. join_rules "
                "stays $jr-bob (invite). Dave's $join-dave (prev $merge2, auth_events citing $jr0, public) "
                "passes step 4 but fails step 5 (invite, not invited): REJECTED. Extremity: $merge2. State: "
                "$jr-bob, bob left, $topic-alice.")
    else:
        tail = ("State resolution v2 starts step 2 from the unconflicted map, in which bob has LEFT: $jr0 "
                "passes, $jr-bob fails ('sender not joined') -- the join rules RESET to public ($jr0). Dave's "
                "$join-dave (prev $merge2, auth_events citing $jr0) is therefore ACCEPTED, in a room its admins "
                "had closed. Extremity: $join-dave. State: $jr0, bob left, $topic-alice, dave joined. The spec's "
                "verdict for v%s; compare v12/u6-join-rules-reset-fixed." % rv)
    S.vec(REG if rv != "12" else V12, "v%s/u6-join-rules-reset%s" % (rv, "-fixed" if rv == "12" else ""), r,
          rej, ext, st, common + tail, flags=["regression"])


def regressions(S):
    u7_unban(S, "6")
    u7_unban(S, "11", shuffle=True)
    u8_v1(S)
    u6_join_rules_reset(S, "10")


# ---------------------------------------------------------------------------------------------
# v12.json
# ---------------------------------------------------------------------------------------------
def v12(S):
    r, b = base_room("12", {CAROL: 100}, create_extra={"additional_creators": [BOB]})
    b.member("kick-bob", CAROL, BOB, "leave", keep=False)
    b.pl("pl-carol", CAROL, {BOB: 50, CAROL: 100}, keep=False)
    b.pl("pl1", BOB, {CAROL: 0})
    b.topic("topic-create", ALICE, "cites create", auth=["create", "pl1", "join-alice"], keep=False)
    a, c2 = b.fork(), b.fork()
    a.topic("topic-a", ALICE, "alice", ts=40)
    c2.topic("topic-b", BOB, "bob", ts=30)
    a.merge(c2, "merge", CAROL, ts=50)
    S.vec(V12, "v12/additional-creators", r,
          {"kick-bob": "step4:leave.otherwise", "pl-carol": "step4:pl.creators", "topic-create": "step4:ae.select"},
          ["join-carol", "merge", "pl1"], ["create", "join-alice", "pl1", "jr0", "join-bob", "join-carol",
                                                "topic-a"],
          "Room version 12. $create (sender alice, additional_creators [bob]; room_id = '!' + create ID "
          "without '$'; never listed in auth_events), $join-alice (auth_events empty), $pl0 (users carol 100; "
          "creators not listed), $jr0 (public), $join-bob, $join-carol. Carol (100) kicks bob ($kick-bob): bob "
          "is a creator, infinite power, not below carol's 100: REJECTED (step 4). Carol sends $pl-carol "
          "listing bob in users: 'users must not contain a creator': REJECTED. Bob (creator) demotes carol to "
          "0 ($pl1): accepted. Alice sends $topic-create with auth_events [$create, $pl1, $join-alice]: the "
          "create event is not a permitted auth event in v12: REJECTED. Fork (both after $topic-create, which "
          "they cite in prev_events): alice $topic-a (ts 40), bob $topic-b (ts 30), both citing $pl1. Carol "
          "merges ($merge; events_default 0): the resolution has topic conflicted only; the conflicted "
          "subgraph is just the two topics; both at mainline position 0 of [$pl1, $pl0], ts orders $topic-b "
          "then $topic-a, both pass, $topic-a wins. Forward extremities: $merge, and also $join-carol and $pl1, "
          "whose only children ($kick-bob; $topic-create) are rejected. Current state: resolution of the "
          "three states after them, {base}, {base with $pl1} and {base with $pl1, $topic-a}: power_levels "
          "{$pl0, $pl1} ($pl1 cites $pl0; both pass), topic {$topic-a}; result $pl1, $topic-a.")
    ban_vs_pl(S, "12", fname=V12)
    u6_join_rules_reset(S, "12")
    kick_on_merged_fork(S, "12")
    two_admins(S, "12")


# ---------------------------------------------------------------------------------------------
# soft-failure.json (input.arrival_order: receipt step 6)
# ---------------------------------------------------------------------------------------------
def soft_failure(S):
    for rv in ("6", "10"):
        for late_first in (False, True):
            r, b = base_room(rv, {BOB: 50})
            stale = b.fork()
            b.member("ban-carol", ALICE, CAROL, "ban")
            stale.msg("late-carol", CAROL, "still here")
            arrival = all_base(["late-carol", "ban-carol"] if late_first else ["ban-carol", "late-carol"])
            if late_first:
                S.vec(SOFT, "v%s/message-before-ban-accepted" % rv, r, {}, ["ban-carol", "late-carol"],
                      all_base(["ban-carol"], drop=["join-carol"]),
                      base_desc(rv, {BOB: 50}) + "Alice bans carol ($ban-carol, prev $join-carol) while carol "
                      "sends $late-carol (prev $join-carol, auth events from the pre-ban state). input.arrival_order: "
                      "the base, then $late-carol, then $ban-carol. When $late-carol arrives the current state (the "
                      "state after the only forward extremity, $join-carol) has carol joined: it passes step 6 and "
                      "replaces $join-carol as an extremity. $ban-carol then passes steps 4-6 too (alice 100 >= ban 50 "
                      "> carol 0). Both cite $join-carol, so both are forward extremities; the current state resolves "
                      "{carol: join} against {carol: ban}: $ban-carol (a power event, sent by alice who may ban) is "
                      "applied and wins. Nothing soft failed.", arrival=arrival)
                continue
            S.vec(SOFT, "v%s/late-message-after-ban-soft-failed" % rv, r, {"late-carol": "step6:sender_joined"},
                  ["ban-carol"], all_base(["ban-carol"], drop=["join-carol"]),
                  base_desc(rv, {BOB: 50}) + "Alice bans carol ($ban-carol, prev $join-carol) while carol, not yet "
                  "aware, sends $late-carol citing her pre-ban $join-carol (prev and auth events from the pre-ban "
                  "state). input.arrival_order: the base, $ban-carol, then $late-carol. $ban-carol passes (alice 100 "
                  ">= ban 50 > carol 0) and becomes the only forward extremity, so the current state has carol "
                  "banned. $late-carol passes step 4 (its auth events have carol joined) and step 5 (the state "
                  "before it, after $join-carol, has carol joined), but against the current state carol's "
                  "membership is ban: 'the sender's current membership state is not join => reject', so it is SOFT "
                  "FAILED (s2s: Soft failure), not rejected: it is not in expected.rejected, it is never a forward "
                  "extremity, and the current state is the state after $ban-carol alone.", arrival=arrival)
    r, b = base_room("10", {BOB: 50})
    stale = b.fork()
    b.member("ban-carol", ALICE, CAROL, "ban")
    stale.msg("late-carol", CAROL, "still here")
    b.merge(stale, "msg-alice", ALICE, body="bye")
    S.vec(SOFT, "v10/soft-failed-event-cited-later", r, {"late-carol": "step6:sender_joined"}, ["msg-alice"],
          all_base(["ban-carol"], drop=["join-carol"]),
          base_desc("10", {BOB: 50}) + "As v10/late-message-after-ban-soft-failed ($late-carol soft failed after "
          "$ban-carol), then another server, which had received $late-carol before the ban, sends alice's "
          "$msg-alice citing both $ban-carol and $late-carol (the spec's A/B/C/D example). Soft failed events may "
          "be cited by later events and take part in state resolution as usual: the state before $msg-alice "
          "resolves {carol: ban} against {carol: join} (the state after $late-carol); $ban-carol is a power event "
          "alice may send and wins. Alice is joined there and in the current state: accepted, and it replaces "
          "both its prev events, so the only forward extremity is $msg-alice. $late-carol stays soft failed.",
          arrival=all_base(["ban-carol", "late-carol", "msg-alice"]))


def build_files():
    S = Suite()
    linear(S)
    forks(S)
    regressions(S)
    v12(S)
    soft_failure(S)
    desc = {
        LIN: "Linear rooms: events rejected against their auth events (step 4) or the state before them "
             "(step 5), rejected auth events, later events citing rejected ones in prev_events",
        FORK: "Forked rooms: concurrent admins, races merged by state resolution, events that pass their auth "
              "events but fail against the resolved state before them, shuffled input",
        REG: "Room-level replays of known state resets (anchors U5-U8, U12)",
        V12: "Room version 12: creators and additional_creators, implied create event, state resolution v2.1",
        SOFT: "Soft failure (receipt step 6) with the optional input arrival_order: an event that passes the "
              "state before it but not the current state when it arrived; expected.soft_failed",
    }
    refs = ["server-server API: Checks performed on receipt of a PDU (steps 4-5)",
            "rooms/fragments/v2-state-res.md: state before an event", "rooms/v12.md", "rooms/v1.md"]
    out = {}
    for name in [LIN, FORK, REG, V12, SOFT]:
        out["room/" + name] = c.vfile("room", desc[name], refs, S.files[name])
    return out
