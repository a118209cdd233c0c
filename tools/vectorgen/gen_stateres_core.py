"""Shared machinery of the state-res suite: a small room/branch builder and the vector checker.

A vector declares its resolved state by hand (a list of event IDs); vec() refuses it unless
gen_stateres_ref.resolve (the literal spec text) gives exactly that state, and unless the
`divergence` flag is present whenever one of the reference's interop knobs (Synapse/ruma
behaviours, see gen_stateres_ref) changes the result.
"""
import base64
import copy
import hashlib

import common as c
import gen_auth_ref as ar
import gen_stateres_ref as ref
import mxcore as m

ALICE = "@alice:example.org"
BOB = "@bob:example.org"
CAROL = "@carol:example.org"
DAVE = "@dave:example.org"
ERIN = "@erin:example.org"
FRANK = "@frank:example.org"

SPEC_V2 = c.spec("rooms/fragments/v2-state-res.md")
SPEC_V1 = c.spec("rooms/v1.md \"State resolution\"")
SPEC_V21 = c.spec("rooms/v12.md \"State resolution\" (v2.1, MSC4297)")
HAND = "hand-worked (reasoning in comment; cross-checked by tools/vectorgen/gen_stateres_ref.py)"
RUMA = "ruma-state-res 0908aaa9847093ecb32bc6edf0af525f726717fd (tests/it/resolve.rs + snapshots)"

KNOBS = ["own_in_chain", "create_power", "direct_edges"]


def fake_hash(eid):
    return base64.b64encode(hashlib.sha256(eid.encode()).digest()).decode().rstrip("=")


class Room:
    """Events of one room. Branches carry a state map and pick auth_events from it."""

    def __init__(self, rv, prefix=""):
        self.rv = rv
        self.n = m.vnum(rv)
        self.prefix = prefix
        self.events = []
        self.byid = {}
        self.ts = 0
        self.room_id = "!room:example.org"

    def eid(self, name):
        if name.startswith("$"):
            return name
        return "$" + self.prefix + name + (":example.org" if self.n <= 2 else "")

    def refs(self, idlist):
        if self.n <= 2:
            return [[i, {"sha256": fake_hash(i)}] for i in idlist]
        return list(idlist)

    def add(self, name, typ, sender, content, sk="", auth=(), prev=(), ts=None, depth=None, allowed=True):
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
        ev.update({"type": typ, "state_key": sk, "sender": sender, "content": content,
                   "auth_events": self.refs(auth), "prev_events": self.refs(prev),
                   "depth": depth, "origin_server_ts": ts})
        if sk is None:
            del ev["state_key"]
        self.events.append(ev)
        self.byid[eid] = ev
        # every event must be allowed by the auth rules against its own auth_events, unless the vector
        # needs one that is not (allowed=False: it must then be rejected)
        supplied = [self.byid[a] for a in auth]
        if self.n >= 12 and typ != "m.room.create":
            supplied.append(self.byid["$" + self.room_id[1:]])
        verdict = ar.check(self.rv, ev, supplied)
        assert (verdict[0] == "allow") == allowed, (eid, verdict)
        return eid

    def create(self, name="create", creator=ALICE, extra=None):
        content = {"room_version": self.rv}
        if self.n <= 10:
            content["creator"] = creator
        content.update(extra or {})
        eid = self.add(name, "m.room.create", creator, content, "", [], [])
        if self.n >= 12:
            self.room_id = "!" + eid[1:]
            for e in self.events:
                pass
        b = Branch(self, {("m.room.create", ""): eid}, [eid])
        return b


class Branch:
    def __init__(self, room, state, heads):
        self.room = room
        self.state = dict(state)
        self.heads = list(heads)

    def fork(self):
        return Branch(self.room, self.state, self.heads)

    def auth_for(self, typ, sender, content, sk):
        probe = {"type": typ, "sender": sender, "content": content}
        if sk is not None:
            probe["state_key"] = sk
        keys = ar.selection_keys(probe, self.room.n)
        return [self.state[k] for k in sorted(keys, key=lambda k: (k[0], k[1] or "")) if k in self.state]

    def send(self, name, typ, sender, content, sk="", auth=None, drop=(), ts=None, prev=None, depth=None,
             allowed=True):
        if auth is None:
            auth = self.auth_for(typ, sender, content, sk)
            auth = [a for a in auth if a not in [self.room.eid(d) for d in drop]]
        else:
            auth = [self.room.eid(a) for a in auth]
        prev = self.heads if prev is None else [self.room.eid(p) for p in prev]
        eid = self.room.add(name, typ, sender, content, sk, auth, prev, ts, depth, allowed)
        if sk is not None:
            self.state[(typ, sk)] = eid
        self.heads = [eid]
        return eid

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

    def ids(self):
        return sorted(self.state.values())


def base_room(rv, users=None, jr="public", joiners=(BOB, CAROL), prefix=""):
    """create, alice join, power levels (alice 100 unless v12, others per users), join rules, joins."""
    r = Room(rv, prefix)
    b = r.create()
    b.join("join-alice", ALICE)
    u = {ALICE: 100} if r.n <= 11 else {}
    u.update(users or {})
    if r.n >= 12:
        u.pop(ALICE, None)
    b.pl("pl0", ALICE, u)
    b.jr("jr0", ALICE, jr)
    for j in joiners:
        b.join("join-" + j[1:].split(":")[0], j)
    return r, b


class Suite:
    def __init__(self):
        self.files = {}

    def vec(self, fname, tid, room, sets, expect, comment, source=HAND, flags=(), events=None):
        rv = room.rv
        events = copy.deepcopy(events if events is not None else room.events)
        state_sets = [sorted(s) for s in sets]
        exp = ref.as_expected(rv, events, {ref.key(room.byid[i]): i for i in expect})
        assert len(exp_ids(exp)) == len(expect), (tid, "two expected events share a key")
        got = ref.as_expected(rv, events, ref.resolve(rv, events, state_sets))
        if got != exp:
            raise AssertionError("%s: declared %s\nreference %s" % (tid, exp, got))
        varies = []
        if m.vnum(rv) >= 2:
            for k in KNOBS:
                alt = ref.as_expected(rv, events, ref.resolve(rv, events, state_sets, **{k: True}))
                if alt != exp:
                    varies.append(k)
        if varies and "divergence" not in flags:
            raise AssertionError("%s: knobs %s change the result but no divergence flag" % (tid, varies))
        # every state set and every event is reachable/consistent
        known = {e["event_id"] for e in events}
        n = m.vnum(rv)
        for e in events:
            for f in ("auth_events", "prev_events"):
                for x in ref.ids(e.get(f), n):
                    assert x in known, (tid, e["event_id"], x)
        for s in state_sets:
            for x in s:
                assert x in known, (tid, x)
        t = c.test("state-res/" + tid, comment, {"events": events, "state_sets": state_sets}, "valid", source,
                   room_version=rv, expected=exp, flags=list(flags))
        self.files.setdefault(fname, []).append(t)
        return t

    def trace(self, room, sets):
        tr = {}
        ref.resolve(room.rv, room.events, [sorted(s) for s in sets], trace=tr)
        return tr


def exp_ids(exp):
    return [i for d in exp["state"].values() for i in d.values()]
