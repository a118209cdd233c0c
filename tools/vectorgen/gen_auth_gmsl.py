"""auth suite: gomatrixserverlib eventauth_test.go cases (Apache-2.0) converted to vectors.

GMSL gives a state map; each vector's input.auth_events is what the auth-event selection picks
for the event from that state, and the event's auth_events names those events. Where event IDs
collide inside one case (GMSL reuses "$e1:a"/"$e2:a"), the state events get readable IDs
("$gmsl-<type>[-<state_key>]"); the comment says so. Missing fields an auth check never looks at
are filled in (origin_server_ts, depth, auth_events; prev_events [] when GMSL has none; state_key ""
for state-map entries whose key is implied by the map). The verdict is the spec's; where GMSL's
expectation differs the vector is flagged `divergence`.
"""
import copy
import json
import os

import gen_auth_ref as ref
from gen_auth_core import vec

GMSL = "gomatrixserverlib ffcbbd38fba6f0cea92903453a38a2d3a5e0a53b eventauth_test.go"
F = "gomatrixserverlib.json"
HASH = "aGFzaCBvZiAnJXMnIChub3QgY2hlY2tlZCBieSB0aGUgYXV0aCBzdWl0ZSk"

# Spec verdicts that differ from GMSL's expectation: (test, index in not_allowed) -> explanation.
SPEC_ALLOWS = {
    ("TestAllowedEmptyRoom", 6): ("create.allow",
        "GMSL refuses a create event without state_key. The spec's create rule (v1 auth rule 1) looks only at "
        "prev_events, the room_id/sender domains, room_version and creator, so read literally the event is "
        "allowed; the m.room.create schema requires state_key \"\", but schema conformance is not among the "
        "authorization rules"),
    ("TestAllowedEmptyRoom", 7): ("create.allow",
        "GMSL refuses a create event whose state_key is \"not_empty\". The spec's create rule (v1 auth rule 1) does "
        "not look at state_key, so read literally the event is allowed (the schema's state_key \"\" is not an "
        "authorization rule)"),
    ("TestAllowedFirstJoin", 6): ("join.first",
        "GMSL refuses this join because the sender @u2:a differs from the state_key @u1:a. The spec's first-join "
        "rule (v1 auth rule 5.2.1: the only previous event is the create event and the state_key is the creator) "
        "comes before the sender == state_key check (5.2.2) and does not compare the sender, so the spec allows it"),
    ("TestRedactAllowed", 2): ("redact.power",
        "GMSL refuses a redaction whose redacts is not a valid event ID. The v1 redaction rule 11.1 allows any "
        "redaction by a sender at or above the redact level (@u1:a has 100 = redact 100) before looking at redacts"),
    ("TestRedactAllowed", 3): ("redact.power",
        "GMSL refuses a redaction without redacts. The v1 redaction rule 11.1 allows it: @u1:a has 100 >= redact "
        "level 100 (the PDU-format question is outside the auth rules)"),
}
# Refusals that rest on a malformed ID: verdict agrees but no error code is given.
NO_CODE = {("TestAllowedEmptyRoom", 4), ("TestAllowedEmptyRoom", 5)}

RULE_WORDS = {
    "create.allow": "the create rule allows (v1 auth rule 1.5)",
    "create.domain": "the room_id's domain differs from the sender's (v1 auth rule 1.2)",
    "create.prev": "the create event has prev_events (v1 auth rule 1.1)",
}


def slugify(s):
    return "".join(ch if ch.isalnum() else "-" for ch in s.lower()).strip("-")


def build():
    shared = os.environ.get("MXSTATE_SHARED", "/work/shared")
    cases = json.load(open(os.path.join(shared, "vectors", "third-party", "gomatrixserverlib-auth",
                                        "eventauth-cases.json"), encoding="utf-8"))
    for case in cases:
        rv = {"RoomVersionV1": "1", "RoomVersionV10": "10"}[case["room_version_const"]]
        n = int(rv)
        tname = case["test"]
        state_in = case["case"]["auth_events"]
        for kind in ("allowed", "not_allowed"):
            for idx, ev0 in enumerate(case["case"].get(kind, [])):
                _one(tname, rv, n, state_in, kind, idx, ev0)


def _ref(n, ids):
    return [[i, {"sha256": HASH}] for i in ids] if n <= 2 else list(ids)


def _one(tname, rv, n, state_in, kind, idx, ev0):
    notes = []
    ev = copy.deepcopy(ev0)
    reason = ev.pop("unsigned", {}).get("not_allowed")
    # state events from the map
    state = {}
    for typ_short, v in state_in.items():
        typ = "m.room." + typ_short
        if typ_short in ("member", "third_party_invite"):
            for sk, e in v.items():
                state[(typ, sk)] = copy.deepcopy(e)
        else:
            e = copy.deepcopy(v)
            if "state_key" not in e:
                e["state_key"] = ""
                notes.append("the state map's %s event had no state_key; \"\" is implied by the map and added" % typ)
            state[(typ, "")] = e
    # unique IDs
    used = {ev.get("event_id")}
    renamed = []
    for k in sorted(state, key=lambda x: (x[0], x[1])):
        e = state[k]
        if e["event_id"] in used:
            new = "$gmsl-" + k[0][7:].replace("_", "-") + ("-" + slugify(k[1]) if k[1] else "")
            renamed.append("%s %s -> %s" % (k[0], e["event_id"], new))
            e["event_id"] = new
        used.add(e["event_id"])
    if renamed:
        notes.append("event IDs repeated inside the GMSL case were renamed: " + ", ".join(renamed))
    for i, k in enumerate(sorted(state, key=lambda x: (x[0], x[1]))):
        e = state[k]
        e.setdefault("origin_server_ts", 1000 + i)
        e.setdefault("depth", i + 1)
        e.setdefault("prev_events", [])
        e["prev_events"] = _ref(n, [p[0] if isinstance(p, list) else p for p in e["prev_events"]])
        e["auth_events"] = [] if k[0] == "m.room.create" else _ref(n, [state[("m.room.create", "")]["event_id"]])
    # the event under test
    ev.setdefault("origin_server_ts", 2000)
    ev.setdefault("depth", len(state) + 1)
    if "prev_events" in ev:
        ev["prev_events"] = _ref(n, [p[0] if isinstance(p, list) else p for p in ev["prev_events"]])
        notes.append("prev_events kept, hashes filled in")
    else:
        ev["prev_events"] = []
    keys = ref.selection_keys(ev, n)
    order = [("m.room.create", ""), ("m.room.power_levels", ""), ("m.room.join_rules", "")]
    order += sorted([k for k in keys if k not in order], key=lambda x: (x[0], str(x[1])))
    picked = [state[k] for k in order if k in keys and k in state]
    ev["auth_events"] = [] if ev.get("type") == "m.room.create" else _ref(n, [e["event_id"] for e in picked])
    supplied = [] if ev.get("type") == "m.room.create" else picked
    got = ref.check(rv, ev, supplied)
    key = (tname, idx)
    divergence = None
    if kind == "allowed":
        verdict = "valid"
    elif key in SPEC_ALLOWS:
        verdict = "valid"
        divergence = SPEC_ALLOWS[key][1]
    else:
        verdict = "invalid"
    slug = "%s/%s-%d" % (slugify(tname[4:] if tname.startswith("Test") else tname), kind.replace("_", "-"), idx)
    why = "GMSL %s, %s event %d (%s)%s. Auth events = the selection from GMSL's state map: %s" % (
        tname, kind, idx, "GMSL reason: " + reason if reason else "expected allowed by GMSL",
        "; " + "; ".join(notes) if notes else "",
        ", ".join(e["event_id"] for e in supplied) or "none")
    if divergence:
        why += ". DIVERGENCE: " + divergence
    flags = ["cross-check"] + (["divergence"] if divergence else [])
    vec(F, slug, rv, ev, copy.deepcopy(supplied), verdict, got[1], why, flags=flags, source=GMSL,
        code=key not in NO_CODE, thin=False)
