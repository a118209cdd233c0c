"""auth suite: hand-worked authorization vectors for room versions 1-12 and org.matrix.hydra.11.

Each vector declares its verdict and the deciding rule by hand (the comment walks through the
rules); gen_auth_core.vec() refuses any vector where gen_auth_ref.check (a separate transcription
of the spec rules) disagrees. The gomatrixserverlib cases are converted in gen_auth_gmsl.py.
"""
import copy

import common as c
import mxcore as m
from gen_auth_core import (A, ALICE, ALL_RV, B, BOB, C3, CAROL, DAVE, ERIN, FRANK, GRACE, HEIDI, IVAN,
                           OSCAR, SUITE, ZOE, Room, T, std_create_content, std_pl_content, std_room,
                           supplied_for, vec)
import gen_auth_3pid as tp


def N(rv):
    return m.vnum(rv)


def redacts_fields(rv, target):
    if N(rv) >= 11:
        return {"content": {"redacts": target, "reason": "spam"}}, {}
    return {"content": {"reason": "spam"}}, {"redacts": target}


# ---------------------------------------------------------------------------
# create.json
# ---------------------------------------------------------------------------
def create_vectors():
    F = "create.json"
    for rv in ALL_RV:
        n = N(rv)
        r = Room(rv)
        ok = r.event("create", "m.room.create", ALICE, "", std_create_content(rv), prev=[])
        if n >= 12:
            ok.pop("room_id")
        T(F, "ok", rv, r, ok, "valid", "create.allow",
          "A create event with no prev_events%s, a recognised content.room_version%s"
          % (", no room_id" if n >= 12 else ", room_id on the sender's server (example.org)",
             "" if n >= 11 else " and content.creator") + "; nothing else is checked for it (its auth_events is empty)")
        ev = copy.deepcopy(ok)
        ev["prev_events"] = r.ref(["$something-earlier"])
        T(F, "has-prev-events", rv, r, ev, "invalid", "create.prev",
          "The create event must be the first event of the room: it lists one prev_event")
        ev = copy.deepcopy(ok)
        ev["content"]["room_version"] = "foo.bar.99"
        T(F, "unknown-room-version", rv, r, ev, "invalid", "create.version",
          "content.room_version is \"foo.bar.99\", a version no implementation recognises")
        ev = copy.deepcopy(ok)
        del ev["content"]["room_version"]
        T(F, "no-room-version", rv, r, ev, "valid", "create.allow",
          "content.room_version is absent; the rule only rejects a room_version that is present and unrecognised")
        if n <= 11:
            ev = copy.deepcopy(ok)
            ev["sender"] = CAROL
            if n <= 10:
                ev["content"]["creator"] = CAROL
            T(F, "room-id-domain-mismatch", rv, r, ev, "invalid", "create.domain",
              "room_id !room:example.org is on example.org but the sender @carol:remote.example.net is on "
              "remote.example.net")
            ev = copy.deepcopy(ok)
            ev["content"]["creator"] = CAROL
            T(F, "creator-on-other-server", rv, r, ev, "valid", "create.allow",
              "The sender @alice:example.org matches the room_id's domain; content.creator is "
              "@carol:remote.example.net, whose domain is never compared%s"
              % (" (and in v11 content.creator has no meaning at all)" if n == 11 else ""))
        if n <= 10:
            ev = copy.deepcopy(ok)
            del ev["content"]["creator"]
            T(F, "missing-creator", rv, r, ev, "invalid", "create.creator",
              "content has no creator property, which this version requires")
        else:
            ev = copy.deepcopy(ok)
            T(F, "no-creator-needed", rv, r, ev, "valid", "create.allow",
              "content has no creator property; since v11 it is not required (the creator is the sender)")
        if n >= 12:
            ev = copy.deepcopy(ok)
            ev["room_id"] = "!create"
            T(F, "has-room-id", rv, r, ev, "invalid", "create.room_id",
              "The create event carries a room_id (\"!create\"); in this version the room ID is derived from the "
              "create event and the event must not have one")
            for slug, val, verdict, why in [
                    ("additional-creators-ok", [BOB, ZOE], "valid", "content.additional_creators is an array of two valid user IDs"),
                    ("additional-creators-empty", [], "valid", "content.additional_creators is an empty array, which is an array of strings"),
                    ("additional-creators-not-array", BOB, "invalid", "content.additional_creators is a string, not an array"),
                    ("additional-creators-non-string", [BOB, 5], "invalid", "content.additional_creators holds the integer 5"),
                    ("additional-creators-bad-user-id", [BOB, "zoe"], "invalid",
                     "content.additional_creators holds \"zoe\", which fails user-ID validation (no @ sigil, no server name)"),
                    ("additional-creators-room-id", ["!abc:example.org"], "invalid",
                     "content.additional_creators holds a room ID, not a user ID"),
                    ("additional-creators-empty-localpart", [BOB, "@:" + A], "valid",
                     "content.additional_creators holds \"@:%s\", a user ID with an empty localpart: appendices "
                     "'User Identifiers' says servers MUST accept historical localparts of any code points but ':' "
                     "and NUL, 'including ... the empty string'" % A),
                    ("additional-creators-255-bytes", ["@" + "z" * (254 - 1 - len(A)) + ":" + A], "valid",
                     "content.additional_creators holds a user ID of exactly 255 bytes, the limit (appendices "
                     "'User Identifiers': 'MUST NOT exceed 255 bytes')"),
                    ("additional-creators-256-bytes", ["@" + "z" * (255 - 1 - len(A)) + ":" + A], "invalid",
                     "content.additional_creators holds a user ID of 256 bytes: rule 1.4 applies 'the same user ID "
                     "validation applied to sender', and a user ID 'MUST NOT exceed 255 bytes' (appendices 'User "
                     "Identifiers'; the sender's 255-byte limit of the PDU size limits)")]:
                ev = copy.deepcopy(ok)
                ev["content"]["additional_creators"] = val
                T(F, slug, rv, r, ev, verdict, "create.additional" if verdict == "invalid" else "create.allow", why)
        if n == 11:
            ev = copy.deepcopy(ok)
            ev["content"]["additional_creators"] = "not-an-array"
            T(F, "additional-creators-ignored", rv, r, ev, "valid", "create.allow",
              "content.additional_creators is malformed, but the additional_creators rule only exists from v12; "
              "in v11 it is ordinary content")


# ---------------------------------------------------------------------------
# auth-events.json (list checks) and v12 rule 2
# ---------------------------------------------------------------------------
def auth_events_vectors():
    F = "auth-events.json"
    for rv in ALL_RV:
        n = N(rv)
        r = std_room(rv)
        msg = lambda name, sender=DAVE: r.event(name, "m.room.message", sender, None, {"msgtype": "m.text", "body": "hi"})
        ev = msg("msg")
        T(F, "baseline", rv, r, ev, "valid", "otherwise",
          "A message from @dave (joined, power 0) citing exactly the selected events (%spower levels, his "
          "own member event); events_default 0 <= 0" % ("create, " if n <= 11 else ""))
        # duplicate (type, state_key)
        dup = r.add("dave-join-2", "m.room.member", DAVE, DAVE, {"membership": "join", "displayname": "Dave"})
        ev = msg("msg-dup")
        ev["auth_events"] = r.ref(r.select(ev) + ["$dave-join"])
        T(F, "duplicate-member", rv, r, ev, "invalid", "ae.dup",
          "auth_events cites two m.room.member events with state_key @dave ($dave-join and $dave-join-2). "
          "matrix-org/synapse PR #11009 (anchor U13): a rejected auth event hidden behind another with the same "
          "(type, state_key) was accepted; the duplicate rule refuses such lists outright", flags=["regression"])
        r2 = std_room(rv)
        r2.add("power-levels-2", "m.room.power_levels", ALICE, "", std_pl_content(rv, ban=60))
        ev = r2.event("msg-dup-pl", "m.room.message", DAVE, None, {"body": "hi"})
        ev["auth_events"] = r2.ref(r2.select(ev) + ["$power-levels"])
        T(F, "duplicate-power-levels", rv, r2, ev, "invalid", "ae.dup",
          "auth_events cites two m.room.power_levels events ($power-levels-2 and $power-levels)")
        # not selected
        ev = msg("msg-jr")
        ev["auth_events"] = r.ref(r.select(ev) + ["$join-rules"])
        T(F, "message-cites-join-rules", rv, r, ev, "invalid", "ae.select",
          "A message cites the m.room.join_rules event, which the selection only picks for join/invite/knock "
          "membership events")
        ev = msg("msg-other-member")
        ev["auth_events"] = r.ref(r.select(ev) + ["$carol-join"])
        T(F, "message-cites-other-member", rv, r, ev, "invalid", "ae.select",
          "A message from @dave cites @carol's member event; only the sender's member event is selected for a "
          "non-member event")
        ev = r.event("leave-jr", "m.room.member", DAVE, DAVE, {"membership": "leave"})
        ev["auth_events"] = r.ref(r.select(ev) + ["$join-rules"])
        T(F, "leave-cites-join-rules", rv, r, ev, "invalid", "ae.select",
          "@dave's own leave cites m.room.join_rules; join_rules is selected only for join, invite and knock")
        ev = r.event("ban-jr", "m.room.member", BOB, ERIN, {"membership": "ban"})
        ev["auth_events"] = r.ref(r.select(ev) + ["$join-rules"])
        T(F, "ban-cites-join-rules", rv, r, ev, "invalid", "ae.select",
          "@bob bans @erin and cites m.room.join_rules, which is not selected for membership ban")
        ev = r.event("ban-ok", "m.room.member", BOB, ERIN, {"membership": "ban"})
        T(F, "ban-baseline", rv, r, ev, "valid", "ban.allow",
          "@bob (joined, 100) bans @erin (no membership, power 0) citing exactly the selected events; "
          "100 >= ban level 50 and 0 < 100")
        # 3pi cited for a plain invite
        r3 = std_room(rv)
        r3.add("tpi", "m.room.third_party_invite", BOB, "tok123", tp.tpi_content(tp.KEY1))
        ev = r3.event("invite-tpi", "m.room.member", BOB, ERIN, {"membership": "invite"})
        ev["auth_events"] = r3.ref(r3.select(ev) + ["$tpi"])
        T(F, "invite-cites-unused-third-party-invite", rv, r3, ev, "invalid", "ae.select",
          "A plain invite (no content.third_party_invite) cites an m.room.third_party_invite event; that event is "
          "selected only when content.third_party_invite.signed.token names it")
        # authoriser's member event cited
        rj = std_room(rv, join_rule="public")
        ev = rj.event("join-auth", "m.room.member", ERIN, ERIN,
                      {"membership": "join", "join_authorised_via_users_server": CAROL})
        if n >= 8:
            T(F, "join-cites-authoriser", rv, rj, ev, "valid", "join.public",
              "@erin joins a public room with join_authorised_via_users_server @carol and cites @carol's member "
              "event, which the selection picks in room versions supporting restricted rooms (v8+); the "
              "authoriser is irrelevant under a public join rule (its server signature is taken as met)")
        else:
            ev["auth_events"] = r.ref(rj.select(ev) + ["$carol-join"])
            T(F, "join-cites-authoriser", rv, rj, ev, "invalid", "ae.select",
              "@erin's join names join_authorised_via_users_server @carol and cites @carol's member event; the "
              "selection picks that member event only in room versions that support restricted rooms (v8+), so "
              "here it is an unexpected entry")
        # no create (v1-11) / create cited (v12)
        ev = msg("msg-nocreate")
        if n <= 11:
            ev["auth_events"] = r.ref([i for i in r.select(ev) if i != "$create"])
            T(F, "no-create", rv, r, ev, "invalid", "ae.nocreate",
              "auth_events lists only the power levels and @dave's member event: no m.room.create event")
        else:
            ev["auth_events"] = r.ref(["$create"] + r.select(ev))
            T(F, "create-cited", rv, r, ev, "invalid", "ae.select",
              "auth_events lists the m.room.create event; in this version the create event must not be selected "
              "(the room_id implies it)")
        # wrong room
        ro = std_room(rv)
        other_room = "!elsewhere" if n >= 12 else "!elsewhere:example.org"
        pl_other = copy.deepcopy(ro.state[("m.room.power_levels", "")])
        pl_other["event_id"] = "$pl-other-room"
        pl_other["room_id"] = other_room
        ev = ro.event("msg-wrong-room", "m.room.message", DAVE, None, {"body": "hi"})
        ev["auth_events"] = ro.ref([("$pl-other-room" if i == "$power-levels" else i) for i in ro.select(ev)])
        sup = supplied_for(ro, ev, extra=[pl_other])
        vec(F, "wrong-room", rv, ev, sup, "invalid", "ae.room",
            "The cited power-levels event $pl-other-room belongs to room %s, not to the event's room %s. MSC4307 "
            "(matrix-spec#2165) made this check explicit for every room version; Synapse has applied it since "
            "1.7.1" % (other_room, ro.room_id), flags=["regression"],
            source=None)
        # missing
        ev = msg("msg-missing")
        ev["auth_events"] = r.ref(r.select(ev) + ["$ghost"])
        T(F, "missing", rv, r, ev, "invalid", "ae.missing",
          "auth_events names $ghost, which is not supplied in input.auth_events, so the event cannot be "
          "authorised against its auth events (harness convention: an auth event that cannot be found)",
          flags=["edge-case"])
        # omitted PL: allowed (selection is "if any"; nothing requires citing it)
        ev = r.event("name-omits-pl", "m.room.name", ALICE, "", {"name": "x"})
        ev["auth_events"] = r.ref([i for i in r.select(ev) if i != "$power-levels"])
        T(F, "omits-power-levels", rv, r, ev, "valid", "otherwise",
          "@alice sets m.room.name citing %s her member event but not the current power-levels event. "
          "No rule requires every selected event to be cited, so the rules see a room without power levels: "
          "%s; the state_default of 50 applies" % ("the create event and" if n <= 11 else "(implicitly the create event and)",
                                                    "the creator has 100 in v1-11" if n <= 11 else "creators have infinite power"),
          flags=["edge-case"])
        if n >= 12:
            # rule 2
            ev = msg("msg-roomid")
            ev["room_id"] = "!not-a-create"
            sup = supplied_for(r, ev)
            vec(F, "room-id-not-create", rv, ev, sup, "invalid", "roomid",
                "The event's room_id !not-a-create does not name the supplied create event $create (its room ID would "
                "be !create)")
            rb = Room(rv, create_extra={"prev_events": ["$earlier"]})
            rb.member(ALICE, "join")
            rb.create["prev_events"] = ["$earlier"]
            ev = rb.event("msg-bad-create", "m.room.message", ALICE, None, {"body": "hi"})
            vec(F, "create-rejected", rv, ev, supplied_for(rb, ev), "invalid", "roomid",
                "The room's create event $create has prev_events, so it is itself rejected by rule 1.1; rule 2 "
                "requires room_id to name an accepted (not rejected) create event. Cf. matrix-org/complement PR #210 "
                "(auth of events with rejected auth events, U12), the one rejected-auth-event case this format can "
                "express", flags=["regression"])
            rb = Room(rv, create_extra={"room_id": "!create"})
            rb.member(ALICE, "join")
            ev = rb.event("msg-create-room-id", "m.room.message", ALICE, None, {"body": "hi"})
            vec(F, "create-has-room-id", rv, ev, supplied_for(rb, ev), "invalid", "roomid",
                "The room's create event carries a room_id, so rule 1.2 rejects it and rule 2 then rejects every "
                "event of the room")


# ---------------------------------------------------------------------------
# other-rules.json: m.federate, aliases, sender joined, 3pi type, required power, @ state keys,
# redactions
# ---------------------------------------------------------------------------
def other_vectors():
    F = "other-rules.json"
    for rv in ALL_RV:
        n = N(rv)
        r = std_room(rv, federate=False)
        ev = r.event("msg-remote", "m.room.message", CAROL, None, {"body": "hi"})
        T(F, "federate-false-remote-sender", rv, r, ev, "invalid", "federate",
          "The create event has m.federate false and the sender @carol is on remote.example.net, not the create "
          "sender's example.org")
        ev = r.event("msg-local", "m.room.message", BOB, None, {"body": "hi"})
        T(F, "federate-false-local-sender", rv, r, ev, "valid", "otherwise",
          "m.federate is false but @bob is on example.org like the create sender; he is joined and "
          "events_default 0 <= 100")
        rp = std_room(rv, federate=False, join_rule="public")
        ev = rp.event("join-remote", "m.room.member", ERIN, ERIN, {"membership": "join"})
        T(F, "federate-false-remote-join", rv, rp, ev, "invalid", "federate",
          "m.federate is false and @erin (third.example.com) tries to join a public room; the federation rule "
          "precedes the membership rules")
        r = std_room(rv, federate=True)
        ev = r.event("msg-remote-true", "m.room.message", CAROL, None, {"body": "hi"})
        T(F, "federate-true", rv, r, ev, "valid", "otherwise",
          "m.federate is true: remote senders are fine; @carol is joined, events_default 0 <= 50")
        if rv in ("1", "6", "10", "11", "12"):
            r = std_room(rv, federate=0)
            ev = r.event("msg-remote-zero", "m.room.message", CAROL, None, {"body": "hi"})
            T(F, "federate-zero", rv, r, ev, "valid", "otherwise",
              "m.federate is the integer 0, not false. The rule applies only when the property is \"set to false\", "
              "so read literally this room federates (mxstate decision). Synapse tests the value for truthiness "
              "(`not content.get(\"m.federate\", True)`), treats 0 as non-federating and would reject",
              flags=["divergence", "edge-case"])
            r = std_room(rv, federate="false")
            ev = r.event("msg-remote-string", "m.room.message", CAROL, None, {"body": "hi"})
            T(F, "federate-string-false", rv, r, ev, "valid", "otherwise",
              "m.federate is the string \"false\", not the boolean false, so the rule does not apply (a non-empty "
              "string is also truthy for Synapse)", flags=["edge-case"])
        # aliases
        r = std_room(rv)
        ev = r.event("aliases", "m.room.aliases", CAROL, B, {"aliases": ["#x:" + B]})
        if n <= 5:
            T(F, "aliases-own-server", rv, r, ev, "valid", "aliases.allow",
              "m.room.aliases with state_key remote.example.net, the sender @carol's server")
        else:
            T(F, "aliases-own-server", rv, r, ev, "valid", "otherwise",
              "Since v6 m.room.aliases has no special rule; @carol (joined, 50) meets state_default 50 and the "
              "state_key does not start with @")
        ev = r.event("aliases-nonmember", "m.room.aliases", ERIN, C3, {"aliases": ["#x:" + C3]})
        if n <= 5:
            T(F, "aliases-non-member", rv, r, ev, "valid", "aliases.allow",
              "@erin is not in the room, but the aliases rule comes before the sender-must-be-joined rule and "
              "allows: state_key third.example.com is her server")
        else:
            T(F, "aliases-non-member", rv, r, ev, "invalid", "sender_joined",
              "Since v6 m.room.aliases is an ordinary state event, and @erin is not joined")
        ev = r.event("aliases-other", "m.room.aliases", BOB, B, {"aliases": ["#x:" + B]})
        if n <= 5:
            T(F, "aliases-other-server", rv, r, ev, "invalid", "aliases.wrong_server",
              "@bob (example.org, power 100) sends m.room.aliases with state_key remote.example.net, not his server")
        else:
            T(F, "aliases-other-server", rv, r, ev, "valid", "otherwise",
              "Since v6 there is no server check: @bob (100) meets state_default 50")
        ev = r.event("aliases-nosk", "m.room.aliases", BOB, None, {"aliases": ["#x:" + A]})
        if n <= 5:
            T(F, "aliases-no-state-key", rv, r, ev, "invalid", "aliases.no_state_key",
              "m.room.aliases without a state_key")
        else:
            T(F, "aliases-no-state-key", rv, r, ev, "valid", "otherwise",
              "Since v6, an m.room.aliases without state_key is just a non-state event: @bob is joined and "
              "events_default 0 <= 100")
        ev = r.event("aliases-dave", "m.room.aliases", DAVE, B, {"aliases": ["#x:" + B]})
        if n <= 5:
            T(F, "aliases-low-power", rv, r, ev, "valid", "aliases.allow",
              "@dave has power 0, below state_default 50, but the aliases rule allows before power is considered")
        else:
            T(F, "aliases-low-power", rv, r, ev, "invalid", "required",
              "@dave (power 0) sends a state event; state_default 50 > 0")
        # sender joined
        r = std_room(rv)
        for slug, who, st in [("sender-not-in-room", ERIN, "has no membership"), ("sender-invited", GRACE, "is only invited"),
                              ("sender-banned", FRANK, "is banned"), ("sender-left", HEIDI, "has left")] + \
                ([("sender-knocking", IVAN, "is only knocking")] if n >= 7 else []):
            ev = r.event(slug, "m.room.message", who, None, {"body": "hi"})
            T(F, slug, rv, r, ev, "invalid", "sender_joined", "The message sender %s %s" % (who, st))
        # m.room.third_party_invite
        ev = r.event("tpi-dave", "m.room.third_party_invite", DAVE, "tokdave", tp.tpi_content(tp.KEY1))
        T(F, "third-party-invite-event", rv, r, ev, "valid", "tpi_type",
          "@dave (power 0) sends m.room.third_party_invite: only the invite level (0) matters, not state_default 50")
        ri = std_room(rv, pl_over={"invite": 50})
        ev = ri.event("tpi-dave", "m.room.third_party_invite", DAVE, "tokdave", tp.tpi_content(tp.KEY1))
        T(F, "third-party-invite-event-low-power", rv, ri, ev, "invalid", "tpi_type",
          "@dave (power 0) sends m.room.third_party_invite but the invite level is 50")
        ev = ri.event("tpi-carol", "m.room.third_party_invite", CAROL, "tokcarol", tp.tpi_content(tp.KEY1))
        T(F, "third-party-invite-event-equal-power", rv, ri, ev, "valid", "tpi_type",
          "@carol (50) sends m.room.third_party_invite; invite level 50 <= 50")
        # required power level
        ev = r.event("name-dave", "m.room.name", DAVE, "", {"name": "x"})
        T(F, "events-map-too-low", rv, r, ev, "invalid", "required",
          "events[\"m.room.name\"] is 50 and @dave has 0")
        ev = r.event("name-carol", "m.room.name", CAROL, "", {"name": "x"})
        T(F, "events-map-equal", rv, r, ev, "valid", "otherwise",
          "events[\"m.room.name\"] is 50 and @carol has 50")
        ev = r.event("hv-carol", "m.room.history_visibility", CAROL, "", {"history_visibility": "shared"})
        T(F, "events-map-above-state-default", rv, r, ev, "invalid", "required",
          "events[\"m.room.history_visibility\"] is 100, overriding state_default 50; @carol has 50")
        ev = r.event("custom-state-dave", "org.example.state", DAVE, "", {})
        T(F, "state-default", rv, r, ev, "invalid", "required",
          "org.example.state is not in events, so a state event (state_key \"\") needs state_default 50; @dave has 0")
        ev = r.event("custom-state-carol", "org.example.state", CAROL, "", {})
        T(F, "state-default-equal", rv, r, ev, "valid", "otherwise",
          "state_default 50 and @carol has 50")
        re_ = std_room(rv, pl_over={"events_default": 10})
        ev = re_.event("msg-dave-10", "m.room.message", DAVE, None, {"body": "hi"})
        T(F, "events-default-too-low", rv, re_, ev, "invalid", "required",
          "events_default is 10 and @dave has 0")
        re_ = std_room(rv, pl_over={"events": {"m.room.power_levels": 50, "m.reaction": 20}})
        ev = re_.event("reaction-dave", "m.reaction", DAVE, None, {"m.relates_to": {}})
        T(F, "events-map-message", rv, re_, ev, "invalid", "required",
          "events[\"m.reaction\"] is 20 for a non-state event; @dave has 0 (events_default 0 does not apply)")
        rn = std_room(rv, pl=False)
        ev = rn.event("state-dave-nopl", "org.example.state", DAVE, "", {})
        T(F, "no-power-levels-state-default", rv, rn, ev, "invalid", "required",
          "There is no power-levels event: @dave has 0 and state events still need the state_default of 50 "
          "(m.room.power_levels schema: \"If there is no state_default ... or there is no m.room.power_levels "
          "event, the state_default is 50\")")
        ev = rn.event("msg-dave-nopl", "m.room.message", DAVE, None, {"body": "hi"})
        T(F, "no-power-levels-message", rv, rn, ev, "valid", "otherwise",
          "No power-levels event: events_default is 0 and @dave has 0")
        ev = rn.event("state-alice-nopl", "org.example.state", ALICE, "", {})
        T(F, "no-power-levels-creator", rv, rn, ev, "valid", "otherwise",
          "No power-levels event: the creator @alice has %s >= state_default 50"
          % ("100" if n <= 11 else "infinite power"))
        # @ state keys
        ev = r.event("sk-own", "org.example.state", CAROL, CAROL, {})
        T(F, "state-key-own-user-id", rv, r, ev, "valid", "otherwise",
          "state_key is the sender's own user ID; @carol has 50 >= state_default 50")
        ev = r.event("sk-other", "org.example.state", CAROL, DAVE, {})
        T(F, "state-key-other-user-id", rv, r, ev, "invalid", "statekey",
          "state_key @dave:remote.example.net starts with @ and is not the sender @carol")
        ev = r.event("sk-at", "org.example.state", CAROL, "@", {})
        T(F, "state-key-bare-at", rv, r, ev, "invalid", "statekey",
          "state_key \"@\" starts with @ and is not the sender")
        ev = r.event("sk-plain", "org.example.state", CAROL, "carol:remote.example.net", {})
        T(F, "state-key-no-sigil", rv, r, ev, "valid", "otherwise",
          "state_key without a leading @ is not restricted")
        ev = r.event("sk-other-bob", "org.example.state", BOB, DAVE, {})
        T(F, "state-key-other-user-id-admin", rv, r, ev, "invalid", "statekey",
          "Even @bob (100) may not use another user's ID as state_key")
        # redaction
        cont, extra = redacts_fields(rv, "$target:" + B)
        ev = r.event("redact-bob:" + A, "m.room.redaction", BOB, None, cont["content"], **extra)
        T(F, "redaction-admin", rv, r, ev, "valid", "redact.power" if n <= 2 else "otherwise",
          "@bob (100) redacts $target:remote.example.net%s"
          % ("; 100 >= redact level 50" if n <= 2 else "; since v3 redactions only need events_default 0"))
        cont, extra = redacts_fields(rv, "$target:" + A)
        ev = r.event("redact-dave:" + A, "m.room.redaction", DAVE, None, cont["content"], **extra)
        if n <= 2:
            T(F, "redaction-same-domain", rv, r, ev, "valid", "redact.domain",
              "@dave (0 < redact level 50) redacts $target:example.org; the redaction's own event_id "
              "$redact-dave:example.org has the same domain")
        else:
            T(F, "redaction-same-domain", rv, r, ev, "valid", "otherwise",
              "@dave (0) sends a redaction: since v3 the redact level is not an auth rule; events_default 0")
        cont, extra = redacts_fields(rv, "$target:" + B)
        ev = r.event("redact-dave2:" + A, "m.room.redaction", DAVE, None, cont["content"], **extra)
        if n <= 2:
            T(F, "redaction-other-domain", rv, r, ev, "invalid", "redact.otherwise",
              "@dave (0 < redact level 50) redacts $target:remote.example.net from redaction "
              "$redact-dave2:example.org: the domains differ")
        else:
            T(F, "redaction-other-domain", rv, r, ev, "valid", "otherwise",
              "@dave (0) redacts an event of another server: allowed by the auth rules since v3 (whether the "
              "redaction is applied is decided separately)")
        rr = std_room(rv, pl_over={"events": {"m.room.power_levels": 50, "m.room.redaction": 50}})
        cont, extra = redacts_fields(rv, "$target:" + A)
        ev = rr.event("redact-dave3:" + A, "m.room.redaction", DAVE, None, cont["content"], **extra)
        T(F, "redaction-events-level", rv, rr, ev, "invalid", "required",
          "events[\"m.room.redaction\"] is 50 and @dave has 0; the required-power rule comes before %s"
          % ("the redaction rule, so the same-domain allowance is never reached" if n <= 2 else "the final allow"))
        # otherwise allow
        ev = r.event("msg-odd", "org.example.anything", DAVE, None, {"nested": {"k": [1, 2, 3]}})
        T(F, "otherwise-allow", rv, r, ev, "valid", "otherwise",
          "A custom non-state event from joined @dave: events_default 0, no other rule applies")


def build():
    create_vectors()
    auth_events_vectors()
    other_vectors()
    import gen_auth_member
    gen_auth_member.build()
    import gen_auth_pl
    gen_auth_pl.build()
    import gen_auth_gmsl
    gen_auth_gmsl.build()
    return SUITE.files


FILE_DESC = {
    "create.json": "Authorization of m.room.create events (rule 1 in every version; v12 room_id and additional_creators)",
    "auth-events.json": "Checks on the event's auth_events list (duplicates, unexpected entries, missing create, "
                        "other rooms, v12 create-not-cited and room_id-names-create rules)",
    "other-rules.json": "m.federate, v1-5 m.room.aliases, sender must be joined, m.room.third_party_invite, required "
                        "power levels, @-state keys, v1-2 redaction rule",
    "membership-join.json": "m.room.member join: first join, self, bans, invite/knock/public/private/unknown/missing join rules",
    "restricted.json": "Restricted and knock_restricted joins (v8+/v10+) and their absence in older versions",
    "membership-invite.json": "m.room.member invite, including third-party invites with real ed25519 signatures",
    "membership-leave-ban.json": "Leaving, kicking, unbanning and banning; v12 creators cannot be kicked or banned",
    "membership-knock.json": "Knocking (v7+): join rules, self, existing membership",
    "power-levels.json": "m.room.power_levels: value formats per version (strings v1-9, floats v1-5, integers v10+), "
                         "change rules, v12 creators",
    "gomatrixserverlib.json": "Every case of gomatrixserverlib's eventauth_test.go (Apache-2.0), converted; spec "
                              "verdicts where they differ (flagged divergence)",
}
REFS = ["rooms/fragments/v1-auth-rules.md", "rooms/fragments/v3-auth-rules.md", "rooms/v6.md", "rooms/v7.md",
        "rooms/fragments/v8-auth-rules.md", "rooms/v10.md", "rooms/v11.md", "rooms/v12.md",
        "server-server-api.md: Auth events selection, Definitions, Checks performed on receipt of a PDU",
        "rooms/fragments/v1-stringy-power-levels.md", "rooms/fragments/v1-floaty-power-levels.md"]


def rejected_auth_event_vectors(valid_tests):
    """Receipt rule 2.3 (v12: 3.3): "If there are entries which were themselves
    rejected under the checks performed on receipt of a PDU, reject." Built
    from valid vectors by marking one cited auth event rejected through the
    auth suite's optional input `rejected_auth_events`; every other rule is
    unchanged, and 2.1/2.2 (v12: 2, 3.1, 3.2) still pass, so 2.3 decides."""
    out = []
    for t in valid_tests:
        ev = t["input"]["event"]
        cited = [a[0] if isinstance(a, list) else a for a in ev.get("auth_events", [])]
        target = next((i for i in cited if i != "$create"), None)
        if target is None:
            continue
        v12 = t["room_version"] in ("12", "org.matrix.hydra.11")
        rule = "3.3" if v12 else "2.3"
        inp = dict(t["input"])
        inp["rejected_auth_events"] = [target]
        out.append(c.test(
            t["id"].replace("auth/auth-events/", "auth/rejected-auth-events/"),
            "Same event and auth events as the valid vector %s, but the cited auth event %s was "
            "itself rejected on receipt (input.rejected_auth_events). The list checks before it pass "
            "(no duplicates, every entry selected), so %s auth rule %s refuses: an event may not "
            "rest on a rejected auth event (synapse PR #11009 / complement PR #210: a rejected auth "
            "event must not be accepted, U12, U13)." % (t["id"], target, "v" + t["room_version"]
                                                        if not t["room_version"].startswith("org") else t["room_version"], rule),
            inp, "invalid", "hand-worked (rooms/vN auth rule %s, quoted in comment)" % rule,
            room_version=t["room_version"], expected={"error": "auth.auth_events.rejected"},
            flags=["regression"]))
    return out


def build_files():
    build()
    files = SUITE.select()
    out = {}
    for name in FILE_DESC:
        tests = files.get(name)
        if not tests:
            continue
        out["auth/" + name] = c.vfile("auth", FILE_DESC[name], REFS, tests)
    assert set(files) <= set(FILE_DESC), set(files) - set(FILE_DESC)
    valid = [t for t in out["auth/auth-events.json"]["tests"] if t["result"] == "valid"]
    out["auth/rejected-auth-events.json"] = c.vfile(
        "auth", "Rule 2.3 (v12: 3.3): an event citing an auth event that was itself rejected. Uses the "
        "auth suite's optional input `rejected_auth_events` (IDs among input.auth_events to treat as "
        "rejected on receipt).", REFS, rejected_auth_event_vectors(valid))
    import gen_auth_ruma
    out["auth/ruma.json"] = gen_auth_ruma.build_file()
    return out
