"""auth suite: ruma-state-res 0908aaa9 authorization tests (MIT) converted to vectors.

Data only: each ruma #[test] in crates/ruma-state-res/src/event_auth/tests.rs builds a room with
ruma's RoomTimelineFactory (public_chat preset: $room-create by @alice:matrix.local,
$room-member-alice-join, $room-power-levels (v1-11: users {alice: 100}), $room-join-rules
(public), $room-member-bob-join) and checks one event. Here the same events are rebuilt; the
event's auth_events is the auth-events selection from the room state (as ruma's factory does),
and input.auth_events holds exactly those events (+ the create event in v12). Where ruma checks
one assertion under several rule sets, one vector per assertion is emitted with a suffix.
The verdict is ruma's, checked against gen_auth_ref (a transcription of the spec's rules); where
they differ the spec's verdict is kept and the vector flagged `divergence`.
"""
import copy

import common as c
import gen_auth_ref as ref
import mxcore as m

COMMIT = "0908aaa9847093ecb32bc6edf0af525f726717fd"
F = "ruma.json"
HASH = "aGFzaCBvZiAnJXMnIChub3QgY2hlY2tlZCBieSB0aGUgYXV0aCBzdWl0ZSk"
ALICE, BOB, CHARLIE, ZARA = ("@alice:matrix.local", "@bob:matrix.local", "@charlie:matrix.local",
                            "@zara:other.local")
FILES = {"t": "event_auth/tests.rs", "m": "event_auth/room_member/tests.rs",
         "p": "event_auth/tests/room_power_levels.rs"}

# ruma verdicts the spec does not share: test id -> explanation. (filled in after review)
DIVERGE = {}


def _ids(n, ids):
    return [[i, {"sha256": HASH}] for i in ids] if n <= 2 else list(ids)


def eid(n, local):
    """ruma's event IDs; v1-2 IDs need a server name."""
    return local + ":matrix.local" if n <= 2 else local


class Room:
    def __init__(self, rv, create_content=None, preset=True):
        self.rv = rv
        self.n = m.vnum(rv)
        self.ts = 0
        self.state = {}
        self.events = {}
        self.last = None
        cc = {"room_version": rv}
        if self.n <= 10:
            cc["creator"] = ALICE
        if create_content is not None:
            cc = create_content
        cid = eid(self.n, "$room-create")
        self.room_id = "!" + cid[1:] if self.n >= 12 else "!room:matrix.local"
        create = {"event_id": cid, "type": "m.room.create", "state_key": "", "sender": ALICE,
                  "content": cc, "origin_server_ts": 0, "depth": 1, "prev_events": [],
                  "auth_events": []}
        if self.n < 12:
            create["room_id"] = self.room_id
        self._add(create)
        if preset:
            self.member("$room-member-alice-join", ALICE, "join")
            self.pl("$room-power-levels", {})
            self.add(self.make("$room-join-rules", ALICE, "m.room.join_rules", {"join_rule": "public"}, ""))
            self.member("$room-member-bob-join", BOB, "join")

    def _add(self, ev):
        self.events[ev["event_id"]] = ev
        if "state_key" in ev:
            self.state[(ev["type"], ev["state_key"])] = ev
        self.last = ev["event_id"]
        return ev

    def make(self, local, sender, typ, content, state_key=None):
        self.ts += 1
        ev = {"event_id": eid(self.n, local), "room_id": self.room_id, "type": typ, "sender": sender,
              "content": content, "origin_server_ts": self.ts, "depth": self.ts + 1,
              "prev_events": _ids(self.n, [self.last])}
        if state_key is not None:
            ev["state_key"] = state_key
        self.select(ev)
        return ev

    def select(self, ev):
        keys = ref.selection_keys(ev, self.n)
        order = [("m.room.create", ""), ("m.room.power_levels", ""), ("m.room.join_rules", "")]
        order += sorted([k for k in keys if k not in order], key=lambda x: (x[0], str(x[1])))
        picked = [self.state[k]["event_id"] for k in order if k in keys and k in self.state]
        ev["auth_events"] = _ids(self.n, picked)
        return ev

    def add(self, ev):
        return self._add(ev)

    def member(self, local, target, membership, sender=None, extra=None, add=True):
        content = {"membership": membership}
        content.update(extra or {})
        ev = self.make(local, sender or target, "m.room.member", content, target)
        return self.add(ev) if add else ev

    def pl(self, local, extra, add=True):
        content = {} if self.n >= 12 else {"users": {ALICE: 100}}
        for k, v in extra.items():
            if k == "users":
                content.setdefault("users", {}).update(v)
            else:
                content[k] = v
        ev = self.make(local, ALICE, "m.room.power_levels", content, "")
        return self.add(ev) if add else ev

    def supplied(self, ev):
        if ev["type"] == "m.room.create":
            return []
        ids = [x[0] if isinstance(x, list) else x for x in ev.get("auth_events", [])]
        out = [self.events[i] for i in ids if i in self.events]
        cid = "$" + self.room_id[1:]
        if self.n >= 12 and cid in self.events and cid not in ids:
            out.insert(0, self.events[cid])
        return copy.deepcopy(out)


TESTS = []


def emit(fkey, name, suffix, rv, ev, supplied, ruma, why, rule, rejected=None):
    """ruma: 'valid'/'invalid' (ruma's assertion). rule: the spec rule in rv's numbering."""
    n = m.vnum(rv)
    ev = copy.deepcopy(ev)
    tid = "auth/ruma/%s%s" % (name, "/" + suffix if suffix else "")
    if rejected:
        got = ("reject", "rejected-auth-event")
    else:
        got = ref.check(rv, ev, supplied)
    spec_v = "valid" if got[0] == "allow" else "invalid"
    flags = ["cross-check"]
    comment = "ruma-state-res %s (%s): %s Ruma: %s. Spec (v%s): %s." % (
        name, FILES[fkey], why.rstrip(".") + ".", "allowed" if ruma == "valid" else "refused", rv, rule)
    if spec_v != ruma:
        if tid not in DIVERGE:
            raise AssertionError("ruma vector %s: ruma says %s, reference check says %s by %s"
                                 % (tid, ruma, spec_v, got[1]))
        flags.append("divergence")
        comment += " DIVERGENCE: ruma %s; the spec's verdict (%s) is kept: %s" % (
            "allows" if ruma == "valid" else "refuses", spec_v, DIVERGE[tid])
    inp = {"event": ev, "auth_events": supplied}
    if rejected:
        inp["rejected_auth_events"] = rejected
    TESTS.append(c.test(tid, comment, inp, spec_v,
                        "ruma-state-res %s (crates/ruma-state-res/src/%s::%s)" % (COMMIT, FILES[fkey], name),
                        room_version=rv, flags=flags))


def create_ev(rv, content=None, room_id=True, prev=None):
    r = Room(rv, content, preset=False)
    ev = copy.deepcopy(r.events[r.last])
    if rv != "12" and room_id is False:
        del ev["room_id"]
    if rv == "12" and room_id is True is not None and room_id == "force":
        pass
    if prev:
        ev["prev_events"] = prev
    return ev


def build():
    TESTS.clear()
    # ---- event_auth/tests.rs
    emit("t", "valid_room_create", "v6", "6", create_ev("6"), [], "valid",
         "a v6 create event with creator and room_version", "rule 1: no prev_events, room_id domain = sender domain, creator present: allow")
    emit("t", "valid_room_create", "v1-creator-only", "1", create_ev("1", {"creator": ALICE}), [], "valid",
         "a create event whose content is only creator (room version defaults to 1)", "rule 1.4 creator present, so allowed (rule 1.5)")
    emit("t", "valid_room_create", "v11", "11", create_ev("11"), [], "valid",
         "a v11 create event without creator", "rule 1: v11 removed the creator requirement; allow")
    emit("t", "valid_room_create", "v11-invalid-predecessor", "11",
         create_ev("11", {"room_version": "11", "predecessor": "!XPoLiaavxVgyMSiRwK:localhost"}), [], "valid",
         "a v11 create event whose predecessor is a string (malformed, but the auth rules do not read it)", "rule 1 does not look at predecessor; allow")
    emit("t", "valid_room_create", "v11-invalid-type", "11",
         create_ev("11", {"room_version": "11", "type": True}), [], "valid",
         "a v11 create event whose type is a boolean (not looked at by the auth rules)", "rule 1 does not look at type; allow")
    emit("t", "valid_room_create", "v11-invalid-additional-creators", "11",
         create_ev("11", {"room_version": "11", "additional_creators": ["@::example.org"]}), [], "valid",
         "a v11 create event with an invalid additional_creators entry: the field only exists from v12", "rule 1 in v11 has no additional_creators check; allow")
    emit("t", "valid_room_create", "v12-additional-creators", "12",
         create_ev("12", {"room_version": "12", "additional_creators": [ALICE]}), [], "valid",
         "a v12 create event (no room_id) with additional_creators = [a valid user ID]", "rule 1: additional_creators are all valid user IDs; allow")

    ev = create_ev("6"); ev["prev_events"] = ["$other-room-create"]
    emit("t", "invalid_room_create", "v6-prev-events", "6", ev, [], "invalid",
         "a create event with prev_events", "rule 1.1: a create event with prev_events is rejected")
    ev = create_ev("6", {"creator": ZARA, "room_version": "6"}); ev["sender"] = ZARA
    emit("t", "invalid_room_create", "v6-sender-domain", "6", ev, [], "invalid",
         "create event sent by @zara:other.local in room !room:matrix.local", "rule 1.2: room_id domain differs from the sender's; reject")
    emit("t", "invalid_room_create", "v6-no-creator", "6", create_ev("6", {"room_version": "6"}), [], "invalid",
         "a v6 create event without creator", "rule 1.4: content has no creator; reject")
    ev = create_ev("12"); ev["room_id"] = "!room:matrix.local"
    emit("t", "invalid_room_create", "v12-room-id", "12", ev, [], "invalid",
         "a v12 create event carrying a room_id", "rule 1.2 (v12): a create event with a room_id is rejected")
    emit("t", "invalid_room_create", "v12-invalid-additional-creators", "12",
         create_ev("12", {"room_version": "12", "additional_creators": ["@::example.org"]}), [], "invalid",
         "a v12 create event with additional_creators [\"@::example.org\"] (invalid server name)",
         "rule 1.5 (v12): an additional_creators entry that is not a valid user ID: reject")

    # redaction checks (v1 only), built by hand in ruma; here a v1 room: create, alice join, PL
    for name, pl_users, redacts, ruma, why, rule in [
        ("redact_higher_power_level", {}, "$other-event:other.local", "invalid",
         "v1 redaction by @alice:matrix.local (power 0; power levels {} so redact = 50) of an event from other.local",
         "rule 11: sender level 0 < redact 50 (11.1 fails) and the redacted event's domain other.local differs from the sender's (11.2 fails); reject (11.3)"),
        ("redact_same_power_level", {"users": {ALICE: 50}}, "$other-event:other.local", "valid",
         "v1 redaction by @alice:matrix.local with power 50 = redact level 50, of an event from another server",
         "rule 11.1: sender level >= redact level; allow"),
        ("redact_same_server", {}, "$other-event:matrix.local", "valid",
         "v1 redaction by @alice:matrix.local (power 0) of an event from her own server matrix.local",
         "rule 11.2: the redacted event's domain matches the sender's; allow"),
    ]:
        r = Room("1", preset=False)
        r.member("$room-member-alice-join", ALICE, "join")
        ev = r.make("$powerlevels", ALICE, "m.room.power_levels", pl_users, "")
        r.add(ev)
        ev = r.make("$redaction", ALICE, "m.room.redaction", {})
        ev["redacts"] = redacts
        emit("t", name, "", "1", ev, r.supplied(ev), ruma, why, rule)

    r = Room("6")
    ev = r.make("$hello", ALICE, "m.room.message", {"msgtype": "m.text", "body": "Hello!"})
    ev["auth_events"].remove("$room-create")
    emit("t", "reject_missing_room_create_auth_events", "", "6", ev, r.supplied(ev), "invalid",
         "a message whose auth_events omit the create event", "rule 2.4 (v6 rule 2: no m.room.create among the auth events); reject")

    r = Room("6", {"creator": ALICE, "m.federate": False})
    ev = r.member("$room-member-zara-join", ZARA, "join", add=False)
    emit("t", "no_federate", "other-server", "6", ev, r.supplied(ev), "invalid",
         "@zara:other.local joins a public room whose create event has m.federate false", "rule 3: m.federate false and the sender's domain differs from the create sender's; reject")
    ev = r.member("$room-member-charlie-join", CHARLIE, "join", add=False)
    emit("t", "no_federate", "same-server", "6", ev, r.supplied(ev), "valid",
         "@charlie:matrix.local joins a public room whose create event has m.federate false", "rule 3 passes (same domain), then 4.3.5 join with public join rule: allow")

    al = {"aliases": ["#alias:matrix.local", "#other_alias:matrix.local"]}
    for name, sk, cases in [
        ("room_aliases_no_state_key", None, [("v3", "3", "invalid", "rule 4.1 (v3): m.room.aliases without state_key; reject"),
                                            ("v6", "6", "valid", "v6 removed the m.room.aliases rule; the sender is joined and events_default 0; allow")]),
        ("room_aliases_other_server", "other.local", [("v3", "3", "invalid", "rule 4.2 (v3): state_key other.local differs from the sender's domain; reject"),
                                                     ("v8", "8", "valid", "v6+ have no m.room.aliases rule; state_default 50 but alice has 100; allow")]),
        ("room_aliases_same_server", "matrix.local", [("v3", "3", "valid", "rule 4.3 (v3): state_key equals the sender's domain; allow"),
                                                     ("v8", "8", "valid", "v6+ have no m.room.aliases rule; alice (100) >= state_default 50; allow")]),
    ]:
        for suf, rv, ruma, rule in cases:
            r = Room(rv)
            ev = r.make("$room-aliases", ALICE, "m.room.aliases", al, sk)
            emit("t", name, suf, rv, ev, r.supplied(ev), ruma,
                 "m.room.aliases from @alice:matrix.local with %s" % ("no state_key" if sk is None else "state_key " + sk), rule)

    r = Room("6")
    ev = r.make("$hello", CHARLIE, "m.room.message", {"msgtype": "m.text", "body": "Hello!"})
    emit("t", "sender_not_in_room", "", "6", ev, r.supplied(ev), "invalid",
         "a message from @charlie:matrix.local, who never joined", "rule 6: sender not joined; reject")

    TPI = {"display_name": "z...@o...",
           "key_validity_url": "https://identity.local/_matrix/identity/v2/pubkey/isvalid",
           "public_key": "Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE",
           "public_keys": [{"key_validity_url": "https://identity.local/_matrix/identity/v2/pubkey/isvalid",
                            "public_key": "Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE"},
                           {"key_validity_url": "https://identity.local/_matrix/identity/v2/pubkey/ephemeral/isvalid",
                            "public_key": "VmTAw9B8j/gpkrXl1R7N2NNAyfWuwJnRf5YWHnO3rW4"}]}
    r = Room("6")
    ev = r.make("$room-third-party-invite-zara", BOB, "m.room.third_party_invite", TPI, "uniquetoken")
    emit("t", "room_third_party_invite", "enough-power", "6", ev, r.supplied(ev), "valid",
         "m.room.third_party_invite from @bob:matrix.local (power 0, invite level default 0)", "rule 7.1: sender level >= invite level; allow")
    r.pl("$room-power-levels-invite", {"invite": 50})
    ev = r.make("$room-third-party-invite-zara", BOB, "m.room.third_party_invite", TPI, "uniquetoken")
    emit("t", "room_third_party_invite", "not-enough-power", "6", ev, r.supplied(ev), "invalid",
         "the same m.room.third_party_invite after power levels raise invite to 50", "rule 7.1: bob's 0 < invite 50; reject (7.2)")

    r = Room("6")
    msg = {"msgtype": "m.text", "body": "Hello!"}
    ev = r.make("$hello", BOB, "m.room.message", msg)
    emit("t", "event_type_not_enough_power", "enough", "6", ev, r.supplied(ev), "valid",
         "a message from @bob:matrix.local (power 0, events_default 0)", "rule 8: required level 0 <= 0; the remaining rules do not apply; allow")
    r.pl("$room-power-levels-invite", {"events": {"m.room.message": 10}})
    ev = r.make("$hello", BOB, "m.room.message", msg)
    emit("t", "event_type_not_enough_power", "not-enough", "6", ev, r.supplied(ev), "invalid",
         "a message from @bob:matrix.local after events[m.room.message] is raised to 10", "rule 8: bob's 0 < required 10; reject")

    r = Room("6")
    ev = r.make("$fake-state-event", ALICE, "dev.ruma.fake_state_event", {}, ZARA)
    emit("t", "user_id_state_key_not_sender", "", "6", ev, r.supplied(ev), "invalid",
         "a state event from @alice:matrix.local whose state_key is @zara:other.local", "rule 9: state_key starts with @ and differs from the sender; reject")
    ev = r.make("$fake-state-event", ALICE, "dev.ruma.fake_state_event", {}, ALICE)
    emit("t", "user_id_state_key_is_sender", "", "6", ev, r.supplied(ev), "valid",
         "a state event from @alice:matrix.local whose state_key is her own user ID", "rule 9 passes; alice 100 >= state_default 50 (rule 8); allow")

    r = Room("6", preset=False)
    ev = r.member("$room-member-alice-join", ALICE, "join", add=False)
    ev["room_id"] = "!wrongroom:matrix.local"
    emit("t", "auth_event_in_different_room", "", "6", ev, r.supplied(ev), "invalid",
         "alice's join carries room_id !wrongroom:matrix.local while its auth event $room-create is in !room:matrix.local",
         "rule 2 (auth events must be in the event's room; spec rule 2.1/2.2 in v11 numbering, the room check of the auth-events rule); reject")

    r = Room("6")
    r.member("$room-member-alice-displayname", ALICE, "join", extra={"displayname": "Alice"})
    ev = r.make("$hello", ALICE, "m.room.message", msg)
    ev["auth_events"].append("$room-member-alice-join")
    emit("t", "duplicate_auth_event_type", "", "6", ev, r.supplied(ev), "invalid",
         "a message citing two m.room.member events of alice ($room-member-alice-displayname and $room-member-alice-join)",
         "rule 2.1: duplicate (type, state_key) among the auth events; reject")

    r = Room("6")
    ev = r.make("$hello", ALICE, "m.room.message", msg)
    ev["auth_events"].append("$room-join-rules")
    emit("t", "unexpected_auth_event_type", "", "6", ev, r.supplied(ev), "invalid",
         "a message citing $room-join-rules, which the selection does not allow for a message",
         "rule 2.2: an auth event whose (type, state_key) the selection algorithm does not list; reject")

    r = Room("6")
    r.member("$room-member-charlie-knock", CHARLIE, "knock")
    ev = r.member("$room-member-charlie-invite", CHARLIE, "invite", sender=BOB, add=False)
    emit("t", "rejected_auth_event", "", "6", ev, r.supplied(ev), "invalid",
         "@bob:matrix.local invites @charlie:matrix.local, citing charlie's knock $room-member-charlie-knock, which was rejected (knocking is not in v6); input.rejected_auth_events names it",
         "rule 2.3: an auth event that was rejected; reject", rejected=["$room-member-charlie-knock"])

    emit("t", "room_create_with_allowed_or_rejected_room_id", "v11-with-room-id", "11", create_ev("11"), [], "valid",
         "a v11 create event with room_id !room:matrix.local", "rule 1: allow")
    emit("t", "room_create_with_allowed_or_rejected_room_id", "v11-without-room-id", "11", create_ev("11", room_id=False), [], "invalid",
         "a v11 create event without room_id", "rule 1.2: the room_id has no domain to match the sender's; reject")
    ev = create_ev("12"); ev["room_id"] = "!room:matrix.local"
    emit("t", "room_create_with_allowed_or_rejected_room_id", "v12-with-room-id", "12", ev, [], "invalid",
         "a v12 create event with a room_id", "rule 1.2 (v12): a create event with room_id is rejected")
    emit("t", "room_create_with_allowed_or_rejected_room_id", "v12-without-room-id", "12", create_ev("12"), [], "valid",
         "a v12 create event without room_id", "rule 1: allow")

    r = Room("11")
    ev = r.make("$hello", ALICE, "m.room.message", msg)
    del ev["room_id"]
    emit("t", "event_without_room_id", "", "11", ev, r.supplied(ev), "invalid",
         "a v11 message without room_id", "rule 2 (auth events must belong to the event's room) fails: the auth events are in !room:matrix.local, the event in none; reject")

    r = Room("12")
    ev = r.make("$hello", ALICE, "m.room.message", msg)
    emit("t", "allow_missing_room_create_auth_events", "", "12", ev, r.supplied(ev), "valid",
         "a v12 message whose auth_events do not list the create event (supplied, derived from room_id !room-create)",
         "rule 2 (v12): the create event is not an auth event; rule 3 passes; alice is a creator; allow")
    ev = r.make("$hello", ALICE, "m.room.message", msg)
    ev["auth_events"].insert(0, "$room-create")
    emit("t", "reject_room_create_in_auth_events", "", "12", ev, r.supplied(ev), "invalid",
         "a v12 message that lists $room-create in auth_events",
         "rule 3.2 (v12): m.room.create is not in the selection for v12, so listing it is an unexpected auth event; reject")
    ev = r.make("$hello", ALICE, "m.room.message", msg)
    sup = [e for e in r.supplied(ev) if e["event_id"] != "$room-create"]
    emit("t", "missing_room_create_in_fetch_event", "", "12", ev, sup, "invalid",
         "a v12 message whose create event $room-create (from room_id !room-create) is not available",
         "rule 2 (v12): the create event named by the room_id must be found and valid; reject")
    r = Room("12", preset=False)
    ev = r.member("$room-member-alice-join", ALICE, "join", add=False)
    emit("t", "rejected_room_create_in_fetch_event", "", "12", ev, r.supplied(ev), "invalid",
         "alice's v12 join whose create event $room-create was rejected (input.rejected_auth_events)",
         "rule 2 (v12): the event's create event was rejected; reject", rejected=["$room-create"])

    # ---- event_auth/room_member/tests.rs
    r = Room("8")
    r.pl("$room-power-levels-invite", {"invite": 50})
    ev = r.member("$room-member-charlie-invite", CHARLIE, "invite", sender=BOB, add=False)
    emit("m", "invite_sender_not_enough_power", "", "8", ev, r.supplied(ev), "invalid",
         "@bob:matrix.local (power 0) invites @charlie:matrix.local after invite is raised to 50",
         "rule 4.4.3 (v8): sender's level 0 < invite level 50; reject")
    r = Room("8")
    ev = r.member("$room-member-charlie-invite", CHARLIE, "invite", sender=BOB, add=False)
    emit("m", "invite", "", "8", ev, r.supplied(ev), "valid",
         "@bob:matrix.local (joined, power 0, invite level default 0) invites @charlie:matrix.local",
         "rule 4.4.4 (v8): sender joined, target neither joined nor banned, level >= invite; allow")
    return TESTS


def build_file():
    return c.vfile("auth", "ruma-state-res 0908aaa9 authorization unit tests (MIT), converted to full "
                   "auth vectors: the verdict is ruma's, checked against the spec; `divergence` where they differ.",
                   ["rooms/v1..v12: authorization rules", "server-server API: auth events selection"], build())
