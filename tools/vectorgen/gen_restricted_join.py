"""restricted-join suite: would a resident server let a user join a restricted room without an invite?

Input: {"room": [target room state events], "rooms": {room_id: [state events]} (the rooms the allow
list names whose state the resident server has), "user_id", "authoriser" (optional: the user the
join would name in join_authorised_via_users_server)}. valid = the join goes through, with expected
{"matched_room": the room of the first satisfied condition, or null when none was needed}; invalid
carries {"error": code} (mxstate's codes, informational for other implementations).

Every expectation is hand-worked from the spec text named in the comment; check() below re-derives
each one with a few lines transcribed from those sections (not from mxstate) and refuses a vector
that disagrees with its own comment. File: restricted-join/decisions.json.
"""
import common as c

FILE = "decisions.json"
ROOM = "!room:example.org"
SPACE = "!space:example.org"
OTHER = "!other:example.org"
ALICE, BOB, CAROL, DAVE = "@alice:example.org", "@bob:example.org", "@carol:example.org", "@dave:example.org"
JOINER, LEFT, EVE, INVITED = "@joiner:remote.org", "@left:remote.org", "@eve:remote.org", "@invited:remote.org"

CS = "client-server API, Restricted rooms / Conditions"
SS = "server-server API, Restricted rooms"
AUTH = "rooms/v%s Authorization rules, m.room.member join, restricted"
FEAT = "rooms feature matrix (restricted from v8, knock_restricted from v10)"


HYDRA = "org.matrix.hydra.11"


def num(rv):
    """The numbered version whose rules a version has (hydra: the pre-release name of v12)."""
    return 12 if rv == HYDRA else int(rv)


def ev(type, key, sender, content, room=ROOM, eid=None):
    e = {"type": type, "state_key": key, "sender": sender, "content": content,
         "event_id": eid or "$%s-%s" % (type.split(".")[-1], key.strip("@!").split(":")[0] or "0")}
    if room:
        e["room_id"] = room
    return e


def member(user, membership, room=ROOM):
    return ev("m.room.member", user, user, {"membership": membership}, room,
              "$%s-%s-%s" % (room[1:].split(":")[0], membership, user[1:].split(":")[0]))


def target(rv, join_rule="restricted", allow=None, members=None, invite=50):
    v12 = num(rv) >= 12
    users = {BOB: 50, CAROL: 0} if v12 else {ALICE: 100, BOB: 50, CAROL: 0}
    create = {"room_version": rv} if num(rv) >= 11 else {"room_version": rv, "creator": ALICE}
    evs = [ev("m.room.create", "", ALICE, create, None if v12 else ROOM, "$create")]
    evs.append(ev("m.room.power_levels", "", ALICE, {"users": users, "invite": invite}, ROOM, "$pl"))
    jr = {"join_rule": join_rule}
    if allow is not None:
        jr["allow"] = allow
    evs.append(ev("m.room.join_rules", "", ALICE, jr, ROOM, "$jr"))
    ms = {ALICE: "join", BOB: "join", CAROL: "join", DAVE: "leave", EVE: "ban", INVITED: "invite"}
    ms.update(members or {})
    evs += [member(u, m) for u, m in sorted(ms.items())]
    return evs


def space(members, room=SPACE):
    evs = [ev("m.room.create", "", ALICE, {"room_version": "10", "creator": ALICE, "type": "m.space"}, room,
              "$%s-create" % room[1:].split(":")[0])]
    evs += [member(u, m, room) for u, m in sorted(members.items())]
    return evs


ALLOW_SPACE = [{"type": "m.room_membership", "room_id": SPACE}]


# ---- an independent re-derivation of each verdict, from the sections quoted above ----------------
def check(rv, inp):
    n = num(rv)
    state = {(e["type"], e["state_key"]): e for e in inp["room"]}
    jr = state.get(("m.room.join_rules", ""), {}).get("content", {})
    rule = jr.get("join_rule")
    restricted = (rule == "restricted" and n >= 8) or (rule == "knock_restricted" and n >= 10)

    def ms(st, u):
        return st.get(("m.room.member", u), {}).get("content", {}).get("membership")
    user = inp["user_id"]
    if ms(state, user) == "ban":
        return "restricted_join.banned"
    if not restricted:
        if rule in ("restricted", "knock_restricted"):
            return "restricted_join.unsupported"
        if rule == "public" or (rule in ("invite", "knock") and ms(state, user) in ("invite", "join")):
            return None
        return "restricted_join.not_restricted"
    if ms(state, user) in ("join", "invite"):
        return None
    allow = jr.get("allow") if isinstance(jr.get("allow"), list) else []
    rooms = inp.get("rooms", {})
    matched, unknown_room = None, False
    for a in allow:
        if not isinstance(a, dict) or a.get("type") != "m.room_membership" or "room_id" not in a:
            continue
        if a["room_id"] not in rooms:
            unknown_room = True
            continue
        other = {(e["type"], e["state_key"]): e for e in rooms[a["room_id"]]}
        if ms(other, user) == "join":
            matched = matched or a["room_id"]
    if matched is None:
        if not allow:
            return "restricted_join.no_conditions"
        return "restricted_join.unverifiable" if unknown_room else "restricted_join.no_condition_met"
    if "authoriser" not in inp:
        return ("ok", matched)
    a = inp["authoriser"]
    if ms(state, a) != "join":
        return "restricted_join.authoriser_not_joined"
    pl = state[("m.room.power_levels", "")]["content"]
    create = state[("m.room.create", "")]
    power = float("inf") if n >= 12 and a == create["sender"] else pl.get("users", {}).get(a, 0)
    return ("ok", matched) if power >= pl.get("invite", 0) else "restricted_join.authoriser_power"


class Suite:
    def __init__(self):
        self.tests = []

    def vec(self, rv, name, inp, outcome, comment, source, flags=()):
        derived = check(rv, inp)
        if isinstance(derived, tuple):
            derived = derived[1]
        want = outcome if not (isinstance(outcome, tuple)) else outcome[1]
        assert derived == want, (name, rv, derived, want)
        if isinstance(outcome, tuple) or outcome is None:
            t = c.test("restricted-join/v%s/%s" % (rv, name), comment, inp, "valid", source, rv,
                       {"matched_room": outcome[1] if outcome else None}, flags)
        else:
            t = c.test("restricted-join/v%s/%s" % (rv, name), comment, inp, "invalid", source, rv,
                       {"error": outcome}, flags)
        self.tests.append(t)


def cases(S):
    sp = {JOINER: "join", LEFT: "leave"}
    for rv in ("8", "9", "10", "11", "12"):
        cr = "alice (the creator: infinite power in v12, not listed in users)" if rv == "12" else "alice 100"
        base = ("Target %s (v%s): join rule restricted, allow [m.room_membership %s]; power levels %s, bob 50, "
                "carol 0, invite 50; alice, bob, carol joined, dave left, eve banned, invited has an invite. "
                % (ROOM, rv, SPACE, cr))
        src = c.spec("%s; %s" % (CS, AUTH % rv))
        S.vec(rv, "member-of-space-bob-signs",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space(sp)}, "user_id": JOINER,
               "authoriser": BOB},
              ("ok", SPACE), base + "joiner is joined to the space: the condition 'the user satisfies the "
              "condition if they are joined to the referenced room' holds. bob is joined with power 50 >= invite "
              "50, so the join naming him passes the auth rule (x.5.3). Allowed, matched %s." % SPACE, src)
        S.vec(rv, "member-of-space-no-authoriser",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space(sp)}, "user_id": JOINER},
              ("ok", SPACE), base + "No authorising user is proposed: the conditions alone decide; joiner is "
              "joined to the space. Allowed, matched %s." % SPACE, c.spec(CS))
        S.vec(rv, "left-the-space",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space(sp)}, "user_id": LEFT,
               "authoriser": BOB},
              "restricted_join.no_condition_met", base + "left's membership in the space is leave, not join: "
              "the only condition fails, so 'the joining server fails all conditions' and a 403 M_FORBIDDEN is "
              "used.", c.spec("%s; %s" % (CS, SS)))
        S.vec(rv, "space-state-unknown",
              {"room": target(rv, allow=ALLOW_SPACE), "user_id": JOINER, "authoriser": BOB},
              "restricted_join.unverifiable", base + "The resident server does not have the space's state: it is "
              "'unable to validate any of the conditions' (400 M_UNABLE_TO_AUTHORISE_JOIN), not a refusal.",
              c.spec(SS))
        S.vec(rv, "authoriser-without-invite-power",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space(sp)}, "user_id": JOINER,
               "authoriser": CAROL},
              "restricted_join.authoriser_power", base + "The condition matches, but carol (power 0 < invite 50) "
              "cannot authorise: the auth rule x.5.2 ('if the join_authorised_via_users_server user ... does not "
              "have sufficient power level to invite, reject') would reject the join, so this server is unable to "
              "grant it (M_UNABLE_TO_GRANT_JOIN).", c.spec("%s; %s" % (SS, AUTH % rv)))
        S.vec(rv, "authoriser-not-joined",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space(sp)}, "user_id": JOINER,
               "authoriser": DAVE},
              "restricted_join.authoriser_not_joined", base + "dave left the room: the authorising user must be "
              "a joined member (auth rule x.5.2), so the join cannot be granted through him.",
              c.spec("%s; %s" % (SS, AUTH % rv)))
        S.vec(rv, "already-invited",
              {"room": target(rv, allow=ALLOW_SPACE), "user_id": INVITED},
              None, base + "invited holds an invite: 'If the user has an invite to the room then the "
              "restrictions will not affect them' (auth rule x.5.1: membership invite => allow). No condition is "
              "needed, none is matched (the space's state is not even given).", c.spec("%s; %s" % (CS, AUTH % rv)))
        S.vec(rv, "banned",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space({EVE: "join"})}, "user_id": EVE,
               "authoriser": BOB},
              "restricted_join.banned", base + "eve is joined to the space but banned from the room: auth rule "
              "x.3 (sender banned => reject) comes before the join rule.", c.spec(AUTH % rv))
        S.vec(rv, "second-condition-matches",
              {"room": target(rv, allow=[{"type": "m.room_membership", "room_id": OTHER}] + ALLOW_SPACE),
               "rooms": {SPACE: space(sp)}, "user_id": JOINER, "authoriser": BOB},
              ("ok", SPACE), base.replace("allow [m.room_membership %s]" % SPACE,
                                          "allow [m.room_membership %s, m.room_membership %s]" % (OTHER, SPACE))
              + "The first room's state is not given, the second condition holds: 'The user needs only to "
              "satisfy one of the conditions'. Allowed, matched %s." % SPACE, c.spec("m.room.join_rules schema, allow"))
        S.vec(rv, "unknown-condition-type",
              {"room": target(rv, allow=[{"type": "org.example.token", "room_id": SPACE}]),
               "rooms": {SPACE: space(sp)}, "user_id": JOINER, "authoriser": BOB},
              "restricted_join.no_condition_met", base.replace("m.room_membership", "org.example.token") +
              "The only condition has a type the spec does not define: it matches no schema, and 'if no "
              "conditions are available, or none match the required schema, then the joining server is "
              "considered to have failed all conditions' (403).", c.spec(SS), ["edge-case"])
        S.vec(rv, "empty-allow",
              {"room": target(rv, allow=[]), "rooms": {SPACE: space(sp)}, "user_id": JOINER, "authoriser": BOB},
              "restricted_join.no_conditions", base.replace("allow [m.room_membership %s]" % SPACE, "allow []") +
              "'Improper or no allow conditions on a restricted join rule imply the room is effectively "
              "invite-only.'", c.spec("m.room.join_rules schema, allow"), ["edge-case"])
        kr = "knock_restricted join rule: 'can attempt to join having satisfied an allow condition per the " \
             "restricted join rule' (m.room.join_rules schema); supported from room version 10."
        if int(rv) >= 10:
            S.vec(rv, "knock-restricted-member-of-space",
                  {"room": target(rv, "knock_restricted", ALLOW_SPACE), "rooms": {SPACE: space(sp)},
                   "user_id": JOINER, "authoriser": BOB},
                  ("ok", SPACE), base.replace("join rule restricted", "join rule knock_restricted") + kr +
                  " joiner is joined to the space and bob can sign: allowed.", c.spec("%s; %s" % (CS, AUTH % rv)))
            S.vec(rv, "knock-restricted-not-member",
                  {"room": target(rv, "knock_restricted", ALLOW_SPACE), "rooms": {SPACE: space(sp)},
                   "user_id": LEFT, "authoriser": BOB},
                  "restricted_join.no_condition_met", base.replace("join rule restricted",
                                                                   "join rule knock_restricted") + kr +
                  " left is not joined to the space: no condition holds (left may knock instead).", c.spec(CS))
        else:
            S.vec(rv, "knock-restricted-unsupported",
                  {"room": target(rv, "knock_restricted", ALLOW_SPACE), "rooms": {SPACE: space(sp)},
                   "user_id": JOINER, "authoriser": BOB},
                  "restricted_join.unsupported", base.replace("join rule restricted", "join rule knock_restricted")
                  + "Room version %s has no knock_restricted join rule (%s): its auth rules fall through to "
                  "'Otherwise, reject'." % (rv, FEAT), c.spec("%s; %s" % (FEAT, AUTH % rv)))
    # v12: creators sign with infinite power; invite 100 leaves only them.
    S.vec("12", "creator-signs-invite-100",
          {"room": target("12", allow=ALLOW_SPACE, invite=100), "rooms": {SPACE: space({JOINER: "join"})},
           "user_id": JOINER, "authoriser": ALICE},
          ("ok", SPACE), "v12 target with invite level 100: alice sent the create event, so she is a creator with "
          "infinitely high power level (rooms/v12 client considerations) although absent from users: she can "
          "authorise.", c.spec("rooms/v12; %s" % (AUTH % "12")))
    S.vec("12", "admin-50-cannot-sign-invite-100",
          {"room": target("12", allow=ALLOW_SPACE, invite=100), "rooms": {SPACE: space({JOINER: "join"})},
           "user_id": JOINER, "authoriser": BOB},
          "restricted_join.authoriser_power", "v12 target with invite level 100: bob has 50 < 100, so he cannot "
          "sign the join (auth rule 5.3.5.2 in v12's numbering).", c.spec(AUTH % "12"))
    # org.matrix.hydra.11 has v12's rules (rooms/v12: the pre-release identifier).
    S.vec(HYDRA, "creator-signs-invite-100",
          {"room": target(HYDRA, allow=ALLOW_SPACE, invite=100), "rooms": {SPACE: space({JOINER: "join"})},
           "user_id": JOINER, "authoriser": ALICE},
          ("ok", SPACE), "org.matrix.hydra.11 (v12's rules): alice sent the create event, so she is a creator "
          "with infinitely high power level and can authorise although invite is 100.",
          c.spec("rooms/v12; %s" % (AUTH % "12")))
    S.vec(HYDRA, "admin-50-cannot-sign-invite-100",
          {"room": target(HYDRA, allow=ALLOW_SPACE, invite=100), "rooms": {SPACE: space({JOINER: "join"})},
           "user_id": JOINER, "authoriser": BOB},
          "restricted_join.authoriser_power", "org.matrix.hydra.11 (v12's rules): bob has 50 < invite 100, so he "
          "cannot sign the join.", c.spec(AUTH % "12"))
    S.vec(HYDRA, "not-in-space",
          {"room": target(HYDRA, allow=ALLOW_SPACE), "rooms": {SPACE: space({})},
           "user_id": JOINER, "authoriser": BOB},
          "restricted_join.no_condition_met", "org.matrix.hydra.11 (v12's rules): the joiner is not joined to the "
          "space the only allow condition names, so no condition is met ('Otherwise, reject').",
          c.spec("%s; %s" % (CS, AUTH % "12")))
    # Versions before 8: no restricted join rule at all.
    for rv in ("1", "2", "3", "4", "5", "6", "7"):
        S.vec(rv, "restricted-unsupported",
              {"room": target(rv, allow=ALLOW_SPACE), "rooms": {SPACE: space({JOINER: "join"})},
               "user_id": JOINER, "authoriser": BOB},
              "restricted_join.unsupported", "Room version %s predates the restricted join rule (%s): the join "
              "rule 'restricted' admits nobody ('Otherwise, reject'), whatever the space says." % (rv, FEAT),
              c.spec("%s; rooms/v%s Authorization rules" % (FEAT, rv)))
    S.vec("10", "public-room-needs-no-condition",
          {"room": target("10", "public", ALLOW_SPACE), "user_id": LEFT},
          None, "Join rule public: 'anyone can join the room without any prior action'; allow is ignored.",
          c.spec("m.room.join_rules schema"))
    S.vec("10", "invite-room-not-restricted",
          {"room": target("10", "invite", ALLOW_SPACE), "rooms": {SPACE: space({JOINER: "join"})},
           "user_id": JOINER, "authoriser": BOB},
          "restricted_join.not_restricted", "Join rule invite: allow conditions only apply to restricted rooms; "
          "joiner has no invite, so auth rule 4.3.4 (v10 numbering) rejects the join.",
          c.spec("m.room.join_rules schema; %s" % (AUTH % "10")))


def build_files():
    S = Suite()
    cases(S)
    refs = ["client-server API: Restricted rooms", "server-server API: Restricted rooms",
            "m.room.join_rules event schema (allow)", "rooms/v8.md ... v12.md Authorization rules"]
    desc = ("Restricted and knock_restricted joins decided as a resident server does: allow conditions "
            "against other rooms' state, the authorising user's membership and power, versions 1-12 and org.matrix.hydra.11")
    return {"restricted-join/" + FILE: c.vfile("restricted-join", desc, refs, S.tests)}
