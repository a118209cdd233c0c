"""Reference state resolution used only to cross-check the hand-worked state-res vectors.

Every vector in spec-vectors/state-res/ declares its resolved state by hand (gen_stateres.py, the
comment walks through the algorithm); this module is a separate transcription of the algorithms
from the spec text (matrix-org/matrix-spec@d0ba2aaef801: rooms/v1.md "State resolution",
rooms/fragments/v2-state-res.md, rooms/v12.md), and the generator refuses a vector whose declared
state differs from it. It is written from the spec text only, never from mxstate.

The authorization checks inside resolution reuse gen_auth_ref.check (itself a transcription of the
auth rules): the event is checked against an auth state built from the (partial) state, so the
structural auth_events rules are met by construction and only the state-dependent rules decide.

Knobs (all off = the literal spec text, which is what the corpus encodes); the generator runs
every vector with each knob on as well, and a vector whose result changes must carry the
`divergence` flag and say why:
  own_in_chain   - Synapse/ruma: a state set's own events count in its full auth chain
  create_power   - Synapse/ruma: m.room.create is a power event, and power events need state_key ""
  direct_edges   - Synapse/ruma: Kahn's algorithm over direct auth_events edges inside X only
                   (literal reading here: x must precede y whenever x is in y's auth chain)
"""
import hashlib

import gen_auth_ref as ar
import mxcore as m

INF = float("inf")


def n_of(rv):
    return m.vnum(rv)


def ids(field, n):
    return [x[0] if n <= 2 else x for x in (field or [])]


def key(ev):
    return (ev["type"], ev["state_key"])


class Ctx:
    def __init__(self, rv, events, own_in_chain=False, create_power=False, direct_edges=False):
        self.rv = rv
        self.n = n_of(rv)
        self.byid = {e["event_id"]: e for e in events}
        self.own_in_chain = own_in_chain
        self.create_power = create_power
        self.direct_edges = direct_edges
        self._chain = {}

    # -- graph helpers ----------------------------------------------------------------
    def auth_ids(self, ev):
        return ids(ev.get("auth_events"), self.n)

    def chain(self, eid):
        """Auth chain of eid, not counting eid itself."""
        if eid in self._chain:
            return self._chain[eid]
        out = set()
        stack = list(self.auth_ids(self.byid[eid]))
        while stack:
            x = stack.pop()
            if x in out:
                continue
            out.add(x)
            stack.extend(self.auth_ids(self.byid[x]))
        self._chain[eid] = frozenset(out)
        return self._chain[eid]

    def create_of(self, ev):
        if self.n >= 12:
            if ev["type"] == "m.room.create":
                return ev
            return self.byid.get("$" + ev["room_id"][1:])
        for a in self.auth_ids(ev):
            if self.byid[a]["type"] == "m.room.create":
                return self.byid[a]
        return ev if ev["type"] == "m.room.create" else None

    def auth_event_of_type(self, ev, typ, sk=""):
        for a in self.auth_ids(ev):
            e = self.byid[a]
            if e["type"] == typ and e.get("state_key") == sk:
                return e
        return None

    # -- definitions ------------------------------------------------------------------
    def is_power(self, ev):
        if "state_key" not in ev:
            return False
        t = ev["type"]
        if self.create_power:
            if t in ("m.room.power_levels", "m.room.join_rules", "m.room.create"):
                return ev["state_key"] == ""
        elif t in ("m.room.power_levels", "m.room.join_rules"):
            return True
        if t == "m.room.member":
            mem = (ev.get("content") or {}).get("membership")
            return mem in ("leave", "ban") and ev["sender"] != ev["state_key"]
        return False

    def sender_power(self, ev):
        """Sender's power level looked up in the event's own auth_events."""
        create = self.create_of(ev)
        cc = (create.get("content") or {}) if create else {}
        sender = ev["sender"]
        if self.n >= 12:
            creators = {create["sender"]} | set(cc.get("additional_creators") or [])
            if sender in creators:
                return INF
        elif self.n == 11:
            creators = {create["sender"]} if create else set()
        else:
            creators = {cc.get("creator")}
        pl = self.auth_event_of_type(ev, "m.room.power_levels")
        if pl is None:
            return 100 if (self.n <= 11 and sender in creators) else 0
        c = pl.get("content") or {}
        users = c.get("users") or {}
        if sender in users:
            return ar.pl_value(users[sender], self.n)
        return ar.pl_value(c.get("users_default", 0), self.n)

    # -- auth -------------------------------------------------------------------------
    def allowed(self, ev, state, fallback=True):
        """Auth rules for ev against state (key -> event id), taking keys missing from state from
        ev's own auth_events when fallback is set (v2 iterative auth checks)."""
        if ev["type"] == "m.room.create":
            return ar.check(self.rv, ev, [])[0] == "allow"
        own = {key(self.byid[a]): a for a in self.auth_ids(ev)}
        chosen = []
        for k in sorted(ar.selection_keys(ev, self.n), key=lambda k: (k[0], k[1] or "")):
            if k in state:
                chosen.append(state[k])
            elif fallback and k in own:
                chosen.append(own[k])
        fake = dict(ev)
        fake["auth_events"] = [[i, {"sha256": "x"}] for i in chosen] if self.n <= 2 else list(chosen)
        supplied = [self.byid[i] for i in chosen]
        if self.n >= 12:
            cr = self.create_of(ev)
            if cr is not None:
                supplied.append(cr)
        return ar.check(self.rv, fake, supplied)[0] == "allow"

    def iterative(self, state, order, trace=None):
        state = dict(state)
        for eid in order:
            ev = self.byid[eid]
            ok = self.allowed(ev, state)
            if trace is not None:
                trace.append((eid, ok))
            if ok:
                state[key(ev)] = eid
        return state

    # -- orderings --------------------------------------------------------------------
    def power_order(self, xs):
        xs = set(xs)
        if self.direct_edges:
            deps = {x: {a for a in self.auth_ids(self.byid[x]) if a in xs} for x in xs}
        else:
            deps = {x: {a for a in self.chain(x) if a in xs} for x in xs}
        out = []
        done = set()
        while len(out) < len(xs):
            cand = [x for x in xs if x not in done and deps[x] <= done]
            assert cand, "cycle in auth graph"
            best = min(cand, key=lambda x: (-self.sender_power(self.byid[x]),
                                            self.byid[x]["origin_server_ts"], x))
            out.append(best)
            done.add(best)
        return out

    def pl_parent(self, eid):
        e = self.auth_event_of_type(self.byid[eid], "m.room.power_levels")
        return e["event_id"] if e else None

    def mainline(self, p):
        line = []
        while p is not None:
            line.append(p)
            p = self.pl_parent(p)
        return line

    def mainline_pos(self, line, eid):
        e = self.pl_parent(eid)
        while e is not None:
            if e in line:
                return line.index(e)
            e = self.pl_parent(e)
        return INF

    def mainline_order(self, xs, p):
        line = self.mainline(p) if p else []
        return sorted(xs, key=lambda x: (-self.mainline_pos(line, x), self.byid[x]["origin_server_ts"], x))


def state_map(ctx, idlist):
    return {key(ctx.byid[i]): i for i in idlist}


def resolve_v2(ctx, sets, trace=None):
    """sets: list of state maps (key -> id). Returns the resolved state map."""
    v21 = ctx.n >= 12
    keys = set().union(*[set(s) for s in sets])
    unconf, conflicted = {}, set()
    for k in keys:
        vals = [s.get(k) for s in sets]
        if all(v is not None for v in vals) and len(set(vals)) == 1:
            unconf[k] = vals[0]
        else:
            conflicted |= {v for v in vals if v is not None}
    if not conflicted:
        return dict(unconf)
    cs = []
    for s in sets:
        ci = set()
        for e in s.values():
            ci |= ctx.chain(e)
            if ctx.own_in_chain:
                ci.add(e)
        cs.append(ci)
    diff = set().union(*cs) - set.intersection(*cs)
    sub = set()
    if v21:
        for x in ctx.byid:
            clo_x = ctx.chain(x) | {x}
            srcs = {a for a in conflicted if x == a or x in ctx.chain(a)}
            dsts = {b for b in conflicted if b in clo_x}
            if any(a != b for a in srcs for b in dsts):
                sub.add(x)
    fcs = conflicted | diff | sub
    power = {e for e in fcs if ctx.is_power(ctx.byid[e])}
    X = set(power)
    for p in power:
        X |= (ctx.chain(p) & fcs)
    order1 = ctx.power_order(X)
    start = {} if v21 else unconf
    t1 = [] if trace is not None else None
    partial = ctx.iterative(start, order1, t1)
    rest = fcs - X
    p = partial.get(("m.room.power_levels", ""))
    order2 = ctx.mainline_order(rest, p)
    t2 = [] if trace is not None else None
    res = ctx.iterative(partial, order2, t2)
    res.update(unconf)
    if trace is not None:
        trace.update(unconf=unconf, conflicted=conflicted, diff=diff, sub=sub, fcs=fcs, X=X, order1=order1,
                     t1=t1, partial=partial, mainline=ctx.mainline(p) if p else [], order2=order2, t2=t2,
                     pos={x: ctx.mainline_pos(ctx.mainline(p) if p else [], x) for x in rest})
    return res


def sha1hex(eid):
    return hashlib.sha1(eid.encode("utf-8")).hexdigest()


def resolve_v1(ctx, sets, trace=None):
    keys = set().union(*[set(s) for s in sets])
    R, conf = {}, {}
    for k in keys:
        vals = {s[k] for s in sets if k in s}
        if len(vals) == 1:
            R[k] = vals.pop()
        else:
            conf[k] = vals
    steps = []

    def pass_in_order(k):
        cands = sorted(conf[k], key=lambda e: (ctx.byid[e]["depth"], [-b for b in bytes.fromhex(sha1hex(e))]))
        R[k] = cands[0]
        steps.append((k, cands[0], "first"))
        for e in cands[1:]:
            ok = ctx.allowed(ctx.byid[e], R, fallback=False)
            steps.append((k, e, ok))
            if not ok:
                break
            R[k] = e

    for typ in ("m.room.power_levels", "m.room.join_rules"):
        if (typ, "") in conf:
            pass_in_order((typ, ""))
    for k in sorted(k for k in conf if k[0] == "m.room.member"):
        pass_in_order(k)
    for k in sorted(k for k in conf if k[0] not in ("m.room.member",) and k not in
                    (("m.room.power_levels", ""), ("m.room.join_rules", ""))):
        cands = sorted(conf[k], key=lambda e: (-ctx.byid[e]["depth"], sha1hex(e)))
        for e in cands:
            ok = ctx.allowed(ctx.byid[e], R, fallback=False)
            steps.append((k, e, ok))
            if ok:
                R[k] = e
                break
    if trace is not None:
        trace.update(conflicts=conf, steps=steps)
    return R


def resolve(rv, events, state_sets, trace=None, **knobs):
    ctx = Ctx(rv, events, **knobs)
    sets = [state_map(ctx, s) for s in state_sets]
    if ctx.n == 1:
        return resolve_v1(ctx, sets, trace)
    return resolve_v2(ctx, sets, trace)


def as_expected(rv, events, smap):
    byid = {e["event_id"]: e for e in events}
    out = {}
    for (t, sk), eid in sorted(smap.items()):
        out.setdefault(t, {})[sk] = eid
    return {"state": out}
