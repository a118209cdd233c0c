"""Shared machinery of the `room` suite: a DAG builder that can also make events the auth rules
refuse, and the vector checker.

A vector declares by hand which events are rejected (with the step and rule that rejects each),
the forward extremities, and the room's current state; vec() refuses it unless
gen_room_ref.replay (steps 4-5 of the spec's receipt checks, with gen_auth_ref and gen_stateres_ref)
gives exactly that, and unless the `divergence` flag is present whenever one of gen_stateres_ref's
interop knobs (Synapse/ruma readings of state resolution) changes the result.
"""
import base64
import copy
import hashlib
import random

import common as c
import gen_auth_ref as ar
import gen_room_ref as ref
import mxcore as m

ALICE = "@alice:example.org"
BOB = "@bob:example.org"
CAROL = "@carol:example.org"
DAVE = "@dave:example.org"
ERIN = "@erin:example.org"

HAND = ("hand-worked (reasoning in comment); checked with tools/vectorgen/gen_auth_ref.py and "
        "gen_stateres_ref.py (replayed by tools/vectorgen/gen_room_ref.py)")
KNOBS = ["own_in_chain", "create_power", "direct_edges"]


def fake_hash(eid):
    return base64.b64encode(hashlib.sha256(eid.encode()).digest()).decode().rstrip("=")


class Room:
    def __init__(self, rv):
        self.rv = rv
        self.n = m.vnum(rv)
        self.events = []
        self.byid = {}
        self.ts = 0
        self.room_id = "!room:example.org"

    def eid(self, name):
        if name.startswith("$"):
            return name
        return "$" + name + (":example.org" if self.n <= 2 else "")

    def refs(self, idlist):
        if self.n <= 2:
            return [[i, {"sha256": fake_hash(i)}] for i in idlist]
        return list(idlist)

    def add(self, name, typ, sender, content, sk, auth, prev, ts=None, depth=None):
        eid = self.eid(name)
        assert eid not in self.byid, eid
        if ts is None:
            self.ts += 1
            ts = self.ts
        else:
            self.ts = max(self.ts, ts)
        if depth is None:
            depth = 1 + max([self.byid[p]["depth"] for p in prev] or [0])
        ev = {"event_id": eid}
        if not (self.n >= 12 and typ == "m.room.create"):
            ev["room_id"] = self.room_id
        ev.update({"type": typ})
        if sk is not None:
            ev["state_key"] = sk
        ev.update({"sender": sender, "content": content, "auth_events": self.refs(auth),
                   "prev_events": self.refs(prev), "depth": depth, "origin_server_ts": ts})
        self.events.append(ev)
        self.byid[eid] = ev
        return eid

    def create(self, creator=ALICE, extra=None):
        content = {"room_version": self.rv}
        if self.n <= 10:
            content["creator"] = creator
        content.update(extra or {})
        eid = self.add("create", "m.room.create", creator, content, "", [], [])
        if self.n >= 12:
            self.room_id = "!" + eid[1:]
        return View(self, {("m.room.create", ""): eid}, [eid])


class View:
    """What one server believes: a state map (to pick auth_events from) and its forward heads."""

    def __init__(self, room, state, heads):
        self.room = room
        self.state = dict(state)
        self.heads = list(heads)

    def fork(self):
        return View(self.room, self.state, self.heads)

    def auth_for(self, typ, sender, content, sk):
        probe = {"type": typ, "sender": sender, "content": content}
        if sk is not None:
            probe["state_key"] = sk
        keys = ar.selection_keys(probe, self.room.n)
        return [self.state[k] for k in sorted(keys, key=lambda k: (k[0], k[1] or "")) if k in self.state]

    def send(self, name, typ, sender, content, sk="", auth=None, prev=None, ts=None, depth=None, keep=True):
        """keep=False: the event does not update this view's state (it is expected to be rejected)."""
        if auth is None:
            auth = self.auth_for(typ, sender, content, sk)
        else:
            auth = [self.room.eid(a) for a in auth]
        prev = self.heads if prev is None else [self.room.eid(p) for p in prev]
        eid = self.room.add(name, typ, sender, content, sk, auth, prev, ts, depth)
        if sk is not None and keep:
            self.state[(typ, sk)] = eid
        self.heads = [eid]
        return eid

    def merge(self, other, name, sender, ts=None, body="merge"):
        """A message citing both views' heads; the resulting view takes `state` as given later."""
        prev = self.heads + [h for h in other.heads if h not in self.heads]
        return self.send(name, "m.room.message", sender, {"msgtype": "m.text", "body": body}, None, prev=prev,
                         ts=ts)

    def join(self, name, user, **kw):
        return self.send(name, "m.room.member", user, {"membership": "join"}, user, **kw)

    def member(self, name, sender, target, membership, **kw):
        return self.send(name, "m.room.member", sender, {"membership": membership}, target, **kw)

    def pl(self, name, sender, users, extra=None, **kw):
        content = {"users": users}
        content.update(extra or {})
        return self.send(name, "m.room.power_levels", sender, content, "", **kw)

    def jr(self, name, sender, rule, **kw):
        return self.send(name, "m.room.join_rules", sender, {"join_rule": rule}, "", **kw)

    def topic(self, name, sender, text, **kw):
        return self.send(name, "m.room.topic", sender, {"topic": text}, "", **kw)

    def msg(self, name, sender, body="hi", **kw):
        return self.send(name, "m.room.message", sender, {"msgtype": "m.text", "body": body}, None, **kw)


def base_room(rv, users=None, jr="public", joiners=(BOB, CAROL), create_extra=None):
    """$create, $join-alice, $pl0 (alice 100 unless v12, others per users), $jr0, joins."""
    r = Room(rv)
    b = r.create(extra=create_extra)
    b.join("join-alice", ALICE)
    u = {ALICE: 100} if r.n <= 11 else {}
    u.update(users or {})
    b.pl("pl0", ALICE, u)
    b.jr("jr0", ALICE, jr)
    for j in joiners:
        b.join("join-" + j[1:].split(":")[0], j)
    return r, b


class Suite:
    def __init__(self):
        self.files = {}

    def vec(self, fname, tid, room, rejected, extremities, state, comment, source=HAND, flags=(),
            shuffle=False, arrival=None):
        """rejected: {name: "step4:rule" | "step5:rule" | "step6:rule" (soft failed)};
        extremities, state: lists of names; arrival: names in arrival order (input.arrival_order:
        soft failure is judged, and expected.soft_failed lists the "step6" names)."""
        rv = room.rv
        e = room.eid
        events = copy.deepcopy(room.events)
        if shuffle:
            random.Random("mxstate-room/" + tid).shuffle(events)
            assert [x["event_id"] for x in events] != [x["event_id"] for x in room.events]
        st = {}
        for name in state:
            ev = room.byid[e(name)]
            k = (ev["type"], ev["state_key"])
            assert k not in st, (tid, "two expected events share a key", k)
            st[k] = ev["event_id"]
        arrival_ids = None if arrival is None else [e(x) for x in arrival]
        soft = None if arrival is None else {e(x) for x, why in rejected.items() if why.startswith("step6")}
        exp = ref.as_expected({e(x) for x, why in rejected.items() if not why.startswith("step6")}, st, soft)
        got = ref.replay(rv, events, arrival=arrival_ids)
        gexp = ref.as_expected(got["rejected"], got["state"], None if arrival is None else got["soft_failed"])
        if gexp != exp:
            raise AssertionError("%s: declared %s\nreference %s\nreasons %s" % (tid, exp, gexp, got["reasons"]))
        for name, why in rejected.items():
            if not got["reasons"][e(name)].startswith(why):
                raise AssertionError("%s: %s declared %s, reference %s" % (tid, name, why, got["reasons"][e(name)]))
        if sorted(e(x) for x in extremities) != got["extremities"]:
            raise AssertionError("%s: extremities declared %s, reference %s" % (tid, extremities, got["extremities"]))
        varies = []
        if m.vnum(rv) >= 2:
            for k in KNOBS:
                alt = ref.replay(rv, events, arrival=arrival_ids, **{k: True})
                if ref.as_expected(alt["rejected"], alt["state"],
                                   None if arrival is None else alt["soft_failed"]) != exp:
                    varies.append(k)
        if varies and "divergence" not in flags:
            raise AssertionError("%s: knobs %s change the result but no divergence flag" % (tid, varies))
        inp = {"events": events}
        if arrival_ids is not None:
            inp["arrival_order"] = arrival_ids
        t = c.test("room/" + tid, comment, inp, "valid", source, room_version=rv, expected=exp,
                   flags=list(flags))
        self.files.setdefault(fname, []).append(t)
        return t

    def debug(self, room):
        got = ref.replay(room.rv, room.events)
        return got
