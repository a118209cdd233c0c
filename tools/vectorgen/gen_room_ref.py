"""Reference room replay used only to cross-check the hand-worked `room` vectors.

A transcription of the server-server API's "Checks performed on receipt of a PDU", steps 4 and 5
(matrix-org/matrix-spec@d0ba2aaef801: server-server-api.md), with the state before an event taken
as in rooms/fragments/v2-state-res.md ("the state before E is the resolution of the states after
its prev_events"). Written from the spec text only, never from mxstate. It reuses the two other
independent transcriptions: gen_auth_ref.check (authorization rules) and gen_stateres_ref.resolve
(state resolution v1, v2, v2.1).

replay(rv, events, **knobs) -> dict(rejected=set, reasons={id: rule}, state={(type, sk): id},
                                    extremities=[ids], order=[ids])

  * order: topological over prev_events and auth_events (ties by depth, origin_server_ts, id; the
    outcome does not depend on the tie-break, since each event depends only on its ancestors);
  * step 4: rejected if any auth event was itself rejected (rule "ae.rejected"), else if the auth
    rules fail with the event's own auth_events (v12: plus the create event named by room_id);
  * step 5: rejected if the auth rules fail against the state before the event, the auth events
    being selected from that state by the "Auth events selection" keys;
  * state after = state before, plus the event if it is an accepted state event;
  * forward extremities: accepted events that no accepted event cites in prev_events; current
    state = state after the single extremity, else the resolution of the states after them all.
Knobs are passed through to gen_stateres_ref (interop readings of state resolution).
"""
import gen_auth_ref as ar
import gen_stateres_ref as sr
import mxcore as m


def ids(field, n):
    return [x[0] if n <= 2 else x for x in (field or [])]


def topo(events, n):
    byid = {e["event_id"]: e for e in events}
    deps = {}
    for e in events:
        d = set(ids(e.get("prev_events"), n)) | set(ids(e.get("auth_events"), n))
        missing = d - set(byid)
        assert not missing, (e["event_id"], missing)
        deps[e["event_id"]] = d
    out, done = [], set()
    while len(out) < len(events):
        cand = [i for i in byid if i not in done and deps[i] <= done]
        assert cand, "cycle in the room DAG"
        best = min(cand, key=lambda i: (byid[i].get("depth", 0), byid[i].get("origin_server_ts", 0), i))
        out.append(best)
        done.add(best)
    return out


def _check_against(rv, n, ev, state, byid):
    """The auth rules for ev with auth events chosen from state (key -> id)."""
    chosen = []
    for k in sorted(ar.selection_keys(ev, n), key=lambda k: (k[0], k[1] or "")):
        if k in state:
            chosen.append(state[k])
    fake = dict(ev)
    fake["auth_events"] = [[i, {"sha256": "x"}] for i in chosen] if n <= 2 else list(chosen)
    supplied = [byid[i] for i in chosen]
    if n >= 12:
        cid = "$" + ev["room_id"][1:]
        if cid in byid:
            supplied.append(byid[cid])
    return ar.check(rv, fake, supplied)


def _resolve(rv, accepted_events, maps, knobs):
    if len(maps) == 1:
        return dict(maps[0])
    sets = [sorted(s.values()) for s in maps]
    return sr.resolve(rv, accepted_events, sets, **knobs)


def replay(rv, events, arrival=None, **knobs):
    """arrival: event IDs in the order a server received them (each after the events it
    cites); then step 6 is judged too (s2s "Soft failure"): an event that passes steps 4-5
    but not the auth rules against the current state (the resolution of the states after
    the forward extremities so far) is soft failed. It keeps its state after, but never
    becomes a forward extremity."""
    n = m.vnum(rv)
    byid = {e["event_id"]: e for e in events}
    if arrival is None:
        order = topo(events, n)
    else:
        assert sorted(arrival) == sorted(byid), "the arrival order must name every event once"
        seen = set()
        for eid in arrival:
            e = byid[eid]
            need = set(ids(e.get("prev_events"), n)) | set(ids(e.get("auth_events"), n))
            assert need <= seen, (eid, "arrives before", need - seen)
            seen.add(eid)
        order = list(arrival)
    rejected, reasons, after, before = set(), {}, {}, {}
    soft, live = set(), []
    accepted_events = []
    for eid in order:
        ev = byid[eid]
        prevs = ids(ev.get("prev_events"), n)
        sb = _resolve(rv, accepted_events, [after[p] for p in prevs], knobs) if prevs else {}
        before[eid] = sb
        if ev.get("type") == "m.room.create":
            verdict = ar.check(rv, ev, [])
            why = "step4:" + verdict[1]
        else:
            aids = ids(ev.get("auth_events"), n)
            bad = [a for a in aids if a in rejected]
            if bad:
                verdict, why = ("reject", "ae.rejected"), "step4:ae.rejected(%s)" % ",".join(bad)
            else:
                supplied = [byid[a] for a in aids]
                if n >= 12:
                    cid = "$" + ev["room_id"][1:]
                    if cid in byid and cid not in aids:
                        supplied.append(byid[cid])
                verdict = ar.check(rv, ev, supplied)
                why = "step4:" + verdict[1]
                if verdict[0] == "allow":
                    verdict = _check_against(rv, n, ev, sb, byid)
                    why = "step5:" + verdict[1]
        if verdict[0] == "allow" and arrival is not None and live:
            current = _resolve(rv, accepted_events, [after[x] for x in live], knobs)
            now = _check_against(rv, n, ev, current, byid)
            if now[0] != "allow":
                soft.add(eid)
                why = "step6:" + now[1]
        if verdict[0] == "allow" and eid not in soft:
            live = [x for x in live if x not in prevs] + [eid]
        if verdict[0] == "allow":
            accepted_events.append(ev)
            sa = dict(sb)
            if "state_key" in ev:
                sa[(ev["type"], ev["state_key"])] = eid
        else:
            rejected.add(eid)
            sa = sb
        reasons[eid] = why
        after[eid] = sa
    cited = set()
    extending = [e for e in accepted_events if e["event_id"] not in soft]
    for e in extending:
        cited |= set(ids(e.get("prev_events"), n))
    ext = sorted(e["event_id"] for e in extending if e["event_id"] not in cited)
    state = _resolve(rv, accepted_events, [after[x] for x in ext], knobs) if ext else {}
    return {"rejected": rejected, "soft_failed": soft, "reasons": reasons, "state": state, "extremities": ext, "order": order,
            "before": before, "after": after}


def as_expected(rejected, state, soft_failed=None):
    out = {}
    for (t, sk), eid in sorted(state.items()):
        out.setdefault(t, {})[sk] = eid
    exp = {"rejected": sorted(rejected), "state": out}
    if soft_failed is not None:
        exp["soft_failed"] = sorted(soft_failed)
    return exp
