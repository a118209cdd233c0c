"""Reference verdict for the verify-event suite (used only to cross-check constructed cases).

Rules (mxstate decisions, from server-server-api.md "Checks performed on receipt of a PDU",
"Validating hashes and signatures on received events", appendices "Checking for a Signature",
client-server "Size limits", the PDU schemas in data/api/server-server/definitions/):
"""
import mxcore as m

ID_FIELDS = ("type", "state_key", "sender", "room_id", "event_id")


def _int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _has_big_int(o):
    if _int(o):
        return abs(o) > m.MAX_SAFE
    if isinstance(o, dict):
        return any(_has_big_int(v) for v in o.values())
    if isinstance(o, list):
        return any(_has_big_int(v) for v in o)
    return False


def format_error(ev, rv):
    n = m.vnum(rv)
    if n >= 6 and m.has_float(ev):
        return "json.float_forbidden"
    if n >= 6 and _has_big_int(ev):
        return "json.integer_out_of_range"
    if n >= 3 and "event_id" in ev:
        return "event.unexpected_event_id"
    if n >= 12 and ev.get("type") == "m.room.create" and "room_id" in ev:
        return "event.create_has_room_id"
    req = ["sender", "origin_server_ts", "type", "content", "depth", "hashes", "signatures",
           "auth_events", "prev_events"]
    if not (n >= 12 and ev.get("type") == "m.room.create"):
        req.append("room_id")
    if n <= 2:
        req.append("event_id")
    for f in req:
        if f not in ev:
            return "event.missing_field"
    for f in ID_FIELDS:
        if f in ev and not isinstance(ev[f], str):
            return "event.bad_type"
    if not _int(ev["origin_server_ts"]) or not _int(ev["depth"]):
        return "event.bad_type"
    # pdu_v1..pdu_v6 type a top-level redacts as a string (v11 moved it into content);
    # origin has no schema entry since spec v1.3, so any value passes.
    if n <= 10 and "redacts" in ev and not isinstance(ev["redacts"], str):
        return "event.bad_type"
    if not isinstance(ev["content"], dict) or not isinstance(ev["signatures"], dict):
        return "event.bad_type"
    if not isinstance(ev["hashes"], dict) or not isinstance(ev["hashes"].get("sha256"), str):
        return "event.bad_type"
    for f in ("auth_events", "prev_events"):
        lst = ev[f]
        if not isinstance(lst, list):
            return "event.bad_type"
        for x in lst:
            if n <= 2:
                ok = (isinstance(x, list) and len(x) == 2 and isinstance(x[0], str)
                      and isinstance(x[1], dict))
            else:
                ok = isinstance(x, str)
            if not ok:
                return "event.bad_type"
    for f in ID_FIELDS:
        if f in ev and len(ev[f].encode("utf-8")) > 255:
            return "event.id_too_long"
    # pdu_v1 / depth_v6.yaml: "less than" 2^63-1 (v1-5) or 2^53-1 (v6+), "if the room's depth is
    # already at the limit, the depth must be set to the limit": the limit itself is allowed.
    if ev["depth"] < 0 or ev["depth"] > (2 ** 63 - 1 if n <= 5 else m.MAX_SAFE):
        return "event.bad_depth"
    if len(ev["auth_events"]) > 10:
        return "event.too_many_auth_events"
    if len(ev["prev_events"]) > 20:
        return "event.too_many_prev_events"
    if len(m.cj(ev)) > 65536:
        return "event.too_large"
    return None


def required_signers(ev, rv):
    n = m.vnum(rv)
    c = ev.get("content", {})
    is_3pid_invite = (ev.get("type") == "m.room.member" and c.get("membership") == "invite"
                      and "third_party_invite" in c)
    req = set()
    if not is_3pid_invite:
        req.add(ev["sender"].split(":", 1)[1])
    if n <= 2:
        req.add(ev["event_id"].split(":", 1)[1])
    if n >= 8 and ev.get("type") == "m.room.member" and isinstance(c.get("join_authorised_via_users_server"), str):
        req.add(c["join_authorised_via_users_server"].split(":", 1)[1])
    return sorted(req)


def verify(ev, rv, server_keys):
    err = format_error(ev, rv)
    if err:
        return err
    red = m.redact(ev, rv)
    for srv in required_signers(ev, rv):
        sigs = ev["signatures"].get(srv)
        if not sigs:
            return "signature.missing"
        known = {k: v for k, v in sigs.items()
                 if k.startswith("ed25519:") and k in server_keys.get(srv, {})}
        if not known:
            return "signature.unknown_key"
        for kid in sorted(known):
            if not m.verify_sig(red, srv, kid, server_keys[srv][kid]):
                return "signature.bad"
    if m.content_hash(ev) != ev["hashes"]["sha256"]:
        return "hash.mismatch"
    return None
