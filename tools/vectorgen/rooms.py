"""Deterministic realistic rooms, one per room version, fully hashed and signed."""
import copy
import hashlib

import mxcore as m

A, B, C = "example.org", "remote.example.net", "third.example.com"
IDSRV = "id.example.net"
ALICE, BOB, CAROL, DAVE, ERIN = ("@alice:" + A, "@bob:" + B, "@carol:" + C, "@dave:" + C,
                                 "@erin:" + C)
KEYS = {
    A: m.derived_key(A, "ed25519:a_Kx3f"),
    B: m.derived_key(B, "ed25519:1"),
    C: m.derived_key(C, "ed25519:auto2"),
    IDSRV: m.derived_key(IDSRV, "ed25519:0"),
}
SPEC_KEY = m.Key("domain", "ed25519:1", m.SPEC_SEED)
TS0 = 1717000000000


def server_of(user_id):
    return user_id.split(":", 1)[1]


def server_keys(*servers):
    return {s: {KEYS[s].key_id: KEYS[s].public} for s in servers}


def tag(rv):
    return "v" + rv if rv.isdigit() else rv


def sign_with(ev, rv, signers, rehash=True):
    """Content-hash (unless rehash is False) then sign the redacted form with each signer."""
    ev = copy.deepcopy(ev)
    ev.pop("signatures", None)
    if rehash:
        ev.pop("hashes", None)
        ev["hashes"] = {"sha256": m.content_hash(ev)}
    sigs = {}
    for s in signers:
        key = KEYS[s] if isinstance(s, str) else s
        red = m.redact(ev, rv)
        red.pop("signatures", None)
        signed = m.sign_json(red, key)
        for srv, d in signed["signatures"].items():
            sigs.setdefault(srv, {}).update(d)
    ev["signatures"] = sigs
    return ev


class Room:
    def __init__(self, rv):
        self.rv = rv
        self.n = m.vnum(rv)
        self.events = {}   # name -> signed event
        self.ids = {}      # name -> event id
        self.order = []
        self.room_id = None if self.n >= 12 else "!Qm7vXcTr%sRsKdL:%s" % (rv.replace(".", ""), A)
        self._build()

    def ref(self, names):
        if self.n <= 2:
            return [[self.ids[x], {"sha256": m.reference_hash(self.events[x], self.rv)}] for x in names]
        return [self.ids[x] for x in names]

    def make(self, name, etype, sender, content, state_key=None, auth=(), extra=None, signers=None,
             sign=True):
        i = len(self.order)
        ev = {}
        if self.n <= 2:
            ev["event_id"] = "$%s:%s" % (
                m.b64url(hashlib.sha256(("%s/%s" % (self.rv, name)).encode()).digest())[:18],
                server_of(sender))
        ev["type"] = etype
        if state_key is not None:
            ev["state_key"] = state_key
        ev["sender"] = sender
        if not (self.n >= 12 and etype == "m.room.create"):
            ev["room_id"] = self.room_id
        ev["content"] = content
        ev["depth"] = i + 1
        ev["origin_server_ts"] = TS0 + 1000 * i
        ev["prev_events"] = self.ref([self.order[-1]]) if self.order else []
        auth = [a for a in auth if not (self.n >= 12 and a == "create")]
        ev["auth_events"] = self.ref(auth)
        if self.n <= 10:
            ev["origin"] = server_of(sender)
        if extra:
            ev.update(extra)
        if not sign:
            return ev
        ev = sign_with(ev, self.rv, signers or [server_of(sender)])
        return ev

    def add(self, name, ev):
        self.events[name] = ev
        self.ids[name] = m.event_id(ev, self.rv)
        self.order.append(name)
        if name == "create" and self.n >= 12:
            self.room_id = "!" + self.ids["create"][1:]

    def _build(self):
        n, rv = self.n, self.rv
        cc = {"room_version": rv, "m.federate": True}
        if n <= 10:
            cc["creator"] = ALICE
        if n >= 12:
            cc["additional_creators"] = [CAROL]
        self.add("create", self.make("create", "m.room.create", ALICE, cc, ""))
        self.add("alice-join", self.make("alice-join", "m.room.member", ALICE,
                                         {"membership": "join", "displayname": "Alice",
                                          "avatar_url": "mxc://example.org/SEsfnsuifSDFSSEF"},
                                         ALICE, ["create"]))
        users = {ALICE: 100, BOB: 50} if n < 12 else {BOB: 50}
        pl = {"ban": 50, "events": {"m.room.name": 50, "m.room.power_levels": 100,
                                    "m.room.history_visibility": 100},
              "events_default": 0, "invite": 0, "kick": 50, "notifications": {"room": 20},
              "redact": 50, "state_default": 50, "users": users, "users_default": 0}
        self.add("power-levels", self.make("power-levels", "m.room.power_levels", ALICE, pl, "",
                                           ["create", "alice-join"]))
        if n >= 8:
            jr = {"join_rule": "restricted",
                  "allow": [{"type": "m.room_membership", "room_id": "!SpaceRoomXyZ:" + A}]}
        elif n == 7:
            jr = {"join_rule": "knock"}
        else:
            jr = {"join_rule": "invite"}
        self.add("join-rules", self.make("join-rules", "m.room.join_rules", ALICE, jr, "",
                                         ["create", "power-levels", "alice-join"]))
        self.add("history-visibility", self.make("history-visibility", "m.room.history_visibility",
                                                 ALICE, {"history_visibility": "shared"}, "",
                                                 ["create", "power-levels", "alice-join"]))
        self.add("bob-invite", self.make("bob-invite", "m.room.member", ALICE,
                                         {"membership": "invite", "displayname": "Bob"}, BOB,
                                         ["create", "power-levels", "join-rules", "alice-join"]))
        self.add("bob-join", self.make("bob-join", "m.room.member", BOB,
                                       {"membership": "join", "displayname": "Bob"}, BOB,
                                       ["create", "power-levels", "join-rules", "bob-invite"]))
        self.add("message", self.make("message", "m.room.message", BOB,
                                      {"msgtype": "m.text", "body": "Hello from remote.example.net! \u2603"},
                                      None, ["create", "power-levels", "bob-join"],
                                      extra={"unsigned": {"age": 1234}}))
        if n >= 11:
            rc, extra = {"redacts": self.ids["message"], "reason": "spam"}, None
        else:
            rc, extra = {"reason": "spam"}, {"redacts": self.ids["message"]}
        self.add("redaction", self.make("redaction", "m.room.redaction", ALICE, rc, None,
                                        ["create", "power-levels", "alice-join"], extra=extra))
        if n >= 7:
            self.add("dave-knock", self.make("dave-knock", "m.room.member", DAVE,
                                             {"membership": "knock", "reason": "Let me in please"}, DAVE,
                                             ["create", "power-levels", "join-rules"]))
        if n >= 8:
            self.add("carol-restricted-join", self.make(
                "carol-restricted-join", "m.room.member", CAROL,
                {"membership": "join", "displayname": "Carol", "join_authorised_via_users_server": ALICE},
                CAROL, ["create", "power-levels", "join-rules", "alice-join"], signers=[C, A]))
        signed = m.sign_json({"mxid": ERIN, "sender": ALICE, "token": "Hv5Tq0aTokEn"}, KEYS[IDSRV])
        self.add("erin-3pid-invite", self.make(
            "erin-3pid-invite", "m.room.member", ALICE,
            {"membership": "invite",
             "third_party_invite": {"display_name": "e...@example.com", "signed": signed}},
            ERIN, ["create", "power-levels", "join-rules", "alice-join"], signers=[C, A]))
