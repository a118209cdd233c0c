"""Reference authorization check used only to cross-check the hand-worked auth vectors.

Every auth vector in spec-vectors/auth/ states its verdict and the rule that decides it by hand
(gen_auth.py); this module is a second, independent transcription of the same rules from the spec
text (matrix-org/matrix-spec@d0ba2aaef801: rooms/fragments/v1-auth-rules.md, v3-auth-rules.md,
rooms/v6.md, v7.md, fragments/v8-auth-rules.md, rooms/v10.md, v11.md, v12.md, server-server-api.md
"Auth events selection" and "Definitions", v1-stringy-power-levels.md, v1-floaty-power-levels.md).
The generator refuses to write a vector whose hand-declared verdict or deciding rule differs from
this check. It is written from the spec text only, never from mxstate.

check(rv, event, supplied) -> ("allow", rule_key) or ("reject", rule_key)
"""
import math
import re

import mxcore as m

INF = float("inf")
# appendices "User Identifiers": historical localparts may be any code points but ":" and NUL,
# "including ... the empty string".
USER_RE = re.compile(r"^@[^:\x00]*:[^:].*$")
STRINGY_RE = re.compile(r"^\s*[+-]?[0-9]+\s*$")
PL_TOP = ["users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"]


class BadValue(Exception):
    pass


def is_user_id(s):
    return isinstance(s, str) and bool(USER_RE.match(s))


def domain(ident):
    if not isinstance(ident, str) or ":" not in ident:
        return None
    return ident.split(":", 1)[1]


def pl_value(v, n):
    """A power-level value as an int, by the rules of the version (n = numeric rules level)."""
    if isinstance(v, bool):
        raise BadValue("boolean")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and n <= 5:  # v1-floaty-power-levels.md: truncate at the decimal point
        if math.isinf(v) or math.isnan(v):
            raise BadValue("non-finite")
        return int(v)  # truncation towards zero
    if isinstance(v, str) and n <= 9 and STRINGY_RE.match(v):  # v1-stringy-power-levels.md
        return int(v.strip())
    raise BadValue(repr(v))


def ids_of(field, n):
    out = []
    for x in field or []:
        out.append(x[0] if n <= 2 else x)
    return out


def selection_keys(ev, n):
    """server-server-api.md "Auth events selection": the (type, state_key) keys an event may cite."""
    keys = set()
    if ev.get("type") == "m.room.create":
        return keys
    if n <= 11:
        keys.add(("m.room.create", ""))
    keys.add(("m.room.power_levels", ""))
    keys.add(("m.room.member", ev.get("sender")))
    if ev.get("type") == "m.room.member":
        c = ev.get("content") or {}
        mem = c.get("membership")
        if "state_key" in ev:
            keys.add(("m.room.member", ev["state_key"]))
        if mem in ("join", "invite", "knock"):
            keys.add(("m.room.join_rules", ""))
        if mem == "invite" and "third_party_invite" in c:
            tpi = c["third_party_invite"]
            signed = tpi.get("signed") if isinstance(tpi, dict) else None
            if isinstance(signed, dict) and "token" in signed:
                keys.add(("m.room.third_party_invite", signed["token"]))
        if mem == "join" and "join_authorised_via_users_server" in c and n >= 8:
            keys.add(("m.room.member", c["join_authorised_via_users_server"]))
    return keys


def _create_rule(ev, n, rv):
    c = ev.get("content") or {}
    if ev.get("prev_events"):
        return ("reject", "create.prev")
    if n >= 12:
        if "room_id" in ev:
            return ("reject", "create.room_id")
    else:
        d = domain(ev.get("room_id"))
        if d is None or d != domain(ev.get("sender")):
            return ("reject", "create.domain")
    if "room_version" in c and c["room_version"] not in m.ROOM_VERSIONS + [m.HYDRA]:
        return ("reject", "create.version")
    if n <= 10 and "creator" not in c:
        return ("reject", "create.creator")
    if n >= 12 and "additional_creators" in c:
        ac = c["additional_creators"]
        # "the same user ID validation applied to sender", which includes the 255-byte limit.
        if not isinstance(ac, list) or not all(is_user_id(u) and len(u.encode("utf-8")) <= 255 for u in ac):
            return ("reject", "create.additional")
    return ("allow", "create.allow")


def _verify_3pid(signed, tpi_content):
    keys = []
    if isinstance(tpi_content.get("public_key"), str):
        keys.append(tpi_content["public_key"])
    for k in tpi_content.get("public_keys") or []:
        if isinstance(k, dict) and isinstance(k.get("public_key"), str):
            keys.append(k["public_key"])
    sigs = signed.get("signatures")
    if not isinstance(sigs, dict):
        return False
    for srv, d in sigs.items():
        if not isinstance(d, dict):
            continue
        for kid in d:
            for pk in keys:
                if m.verify_sig(signed, srv, kid, pk):
                    return True
    return False


def check(rv, ev, supplied):
    n = m.vnum(rv)
    if ev.get("type") == "m.room.create":
        return _create_rule(ev, n, rv)
    byid = {e["event_id"]: e for e in supplied}
    listed_ids = ids_of(ev.get("auth_events"), n)
    for i in listed_ids:
        if i not in byid:
            return ("reject", "ae.missing")
    listed = [byid[i] for i in listed_ids]
    if n >= 12:  # rule 2
        rid = ev.get("room_id")
        cid = "$" + rid[1:] if isinstance(rid, str) and rid.startswith("!") else None
        create = byid.get(cid)
        if create is None or create.get("type") != "m.room.create" or _create_rule(create, n, rv)[0] != "allow":
            return ("reject", "roomid")
    keys = [(e.get("type"), e.get("state_key")) for e in listed]
    if len(set(keys)) != len(keys):
        return ("reject", "ae.dup")
    allowed = selection_keys(ev, n)
    if any(k not in allowed for k in keys):
        return ("reject", "ae.select")
    if n <= 11 and ("m.room.create", "") not in keys:
        return ("reject", "ae.nocreate")
    if any(e.get("room_id") != ev.get("room_id") for e in listed):
        return ("reject", "ae.room")
    state = {(e.get("type"), e.get("state_key")): e for e in listed}
    if n >= 12:
        state[("m.room.create", "")] = create
    create = state[("m.room.create", "")]
    cc = create.get("content") or {}
    if cc.get("m.federate") is False and domain(ev.get("sender")) != domain(create.get("sender")):
        return ("reject", "federate")
    sender = ev.get("sender")
    typ = ev.get("type")
    content = ev.get("content") or {}

    if n <= 10:
        creators = {cc.get("creator")}
    elif n == 11:
        creators = {create.get("sender")}
    else:
        creators = {create.get("sender")} | set(cc.get("additional_creators") or [])
    plev = state.get(("m.room.power_levels", ""))
    plc = (plev.get("content") or {}) if plev else {}

    def power(user):
        if n >= 12 and user in creators:
            return INF
        if plev is None:
            return 100 if (n <= 11 and user in creators) else 0
        users = plc.get("users") or {}
        if user in users:
            return pl_value(users[user], n)
        return pl_value(plc.get("users_default", 0), n)

    def level(key, default):
        return pl_value(plc.get(key, default), n) if plev else default

    def membership(user):
        e = state.get(("m.room.member", user))
        return (e.get("content") or {}).get("membership") if e else None

    jr_ev = state.get(("m.room.join_rules", ""))
    join_rule = (jr_ev.get("content") or {}).get("join_rule") if jr_ev else None

    if n <= 5 and typ == "m.room.aliases":
        if "state_key" not in ev:
            return ("reject", "aliases.no_state_key")
        if domain(sender) != ev["state_key"]:
            return ("reject", "aliases.wrong_server")
        return ("allow", "aliases.allow")

    if typ == "m.room.member":
        if "state_key" not in ev or "membership" not in content:
            return ("reject", "member.bad")
        mem = content["membership"]
        target = ev["state_key"]
        if mem == "join":
            prevs = ids_of(ev.get("prev_events"), n)
            creator = cc.get("creator") if n <= 10 else create.get("sender")
            if len(prevs) == 1 and prevs[0] == create["event_id"] and target == creator:
                return ("allow", "join.first")
            if sender != target:
                return ("reject", "join.not_self")
            if membership(sender) == "ban":
                return ("reject", "join.banned")
            invite_rules = ("invite",) if n <= 6 else ("invite", "knock")
            if join_rule in invite_rules:
                if membership(sender) in ("invite", "join"):
                    return ("allow", "join.invite")
                return ("reject", "join.not_invited")
            restricted = () if n <= 7 else (("restricted",) if n <= 9 else ("restricted", "knock_restricted"))
            if join_rule in restricted:
                if membership(sender) in ("join", "invite"):
                    return ("allow", "join.restricted.member")
                a = content.get("join_authorised_via_users_server")
                if a is None or membership(a) != "join" or power(a) < level("invite", 0):
                    return ("reject", "join.restricted.authoriser")
                return ("allow", "join.restricted.allow")
            if join_rule == "public":
                return ("allow", "join.public")
            return ("reject", "join.otherwise")
        if mem == "invite":
            if "third_party_invite" in content:
                tpi = content["third_party_invite"]
                if membership(target) == "ban":
                    return ("reject", "tpi.banned")
                if not isinstance(tpi, dict) or "signed" not in tpi:
                    return ("reject", "tpi.no_signed")
                signed = tpi["signed"]
                if not isinstance(signed, dict) or "mxid" not in signed or "token" not in signed:
                    return ("reject", "tpi.bad_signed")
                if signed["mxid"] != target:
                    return ("reject", "tpi.mxid")
                t = state.get(("m.room.third_party_invite", signed["token"]))
                if t is None:
                    return ("reject", "tpi.no_event")
                if t.get("sender") != sender:
                    return ("reject", "tpi.sender")
                if _verify_3pid(signed, t.get("content") or {}):
                    return ("allow", "tpi.allow")
                return ("reject", "tpi.bad_sig")
            if membership(sender) != "join":
                return ("reject", "invite.sender")
            if membership(target) in ("join", "ban"):
                return ("reject", "invite.target")
            if power(sender) >= level("invite", 0):
                return ("allow", "invite.allow")
            return ("reject", "invite.power")
        if mem == "leave":
            if sender == target:
                ok = ("invite", "join") if n <= 6 else ("invite", "join", "knock")
                return ("allow", "leave.self") if membership(sender) in ok else ("reject", "leave.self")
            if membership(sender) != "join":
                return ("reject", "leave.sender")
            if membership(target) == "ban" and power(sender) < level("ban", 50):
                return ("reject", "leave.unban")
            if power(sender) >= level("kick", 50) and power(target) < power(sender):
                return ("allow", "leave.kick")
            return ("reject", "leave.otherwise")
        if mem == "ban":
            if membership(sender) != "join":
                return ("reject", "ban.sender")
            if power(sender) >= level("ban", 50) and power(target) < power(sender):
                return ("allow", "ban.allow")
            return ("reject", "ban.otherwise")
        if mem == "knock" and n >= 7:
            rules = ("knock",) if n <= 9 else ("knock", "knock_restricted")
            if join_rule not in rules:
                return ("reject", "knock.join_rule")
            if sender != target:
                return ("reject", "knock.not_self")
            if membership(sender) not in ("ban", "invite", "join"):
                return ("allow", "knock.allow")
            return ("reject", "knock.otherwise")
        return ("reject", "member.unknown")

    if membership(sender) != "join":
        return ("reject", "sender_joined")
    if typ == "m.room.third_party_invite":
        return ("allow", "tpi_type") if power(sender) >= level("invite", 0) else ("reject", "tpi_type")
    events = plc.get("events") or {}
    if typ in events:
        req = pl_value(events[typ], n)
    elif "state_key" in ev:
        req = level("state_default", 50)
    else:
        req = level("events_default", 0)
    if req > power(sender):
        return ("reject", "required")
    sk = ev.get("state_key")
    if isinstance(sk, str) and sk.startswith("@") and sk != sender:
        return ("reject", "statekey")
    if typ == "m.room.power_levels":
        new = content
        try:
            if n >= 10:
                for k in PL_TOP:
                    if k in new and (isinstance(new[k], bool) or not isinstance(new[k], int)):
                        return ("reject", "pl.top_type")
                for k in ("events", "notifications"):
                    if k in new:
                        if not isinstance(new[k], dict) or any(
                                isinstance(v, bool) or not isinstance(v, int) for v in new[k].values()):
                            return ("reject", "pl.map_type")
            users = new.get("users", {})
            if not isinstance(users, dict):
                return ("reject", "pl.users")
            for u, v in users.items():
                if not is_user_id(u):
                    return ("reject", "pl.users")
                try:
                    pl_value(v, n)
                except BadValue:
                    return ("reject", "pl.users")
            if n >= 12 and any(u in creators for u in users):
                return ("reject", "pl.creators")
            if plev is None:
                return ("allow", "pl.noprev")
            me = power(sender)
            for k in PL_TOP:
                o, nw = plc.get(k), new.get(k)
                o = None if o is None else pl_value(o, n)
                nw = None if nw is None else pl_value(nw, n)
                if o != nw:
                    if o is not None and o > me:
                        return ("reject", "pl.top_old")
                    if nw is not None and nw > me:
                        return ("reject", "pl.top_new")
            maps = ("events",) if n <= 5 else ("events", "notifications")
            for mp in maps:
                om, nm = plc.get(mp) or {}, new.get(mp) or {}
                for k in om:
                    if k not in nm or pl_value(nm[k], n) != pl_value(om[k], n):
                        if pl_value(om[k], n) > me:
                            return ("reject", "pl.map_old")
            for mp in maps:
                om, nm = plc.get(mp) or {}, new.get(mp) or {}
                for k in nm:
                    if k not in om or pl_value(nm[k], n) != pl_value(om[k], n):
                        if pl_value(nm[k], n) > me:
                            return ("reject", "pl.map_new")
            ou, nu = plc.get("users") or {}, new.get("users") or {}
            for u in ou:
                if u == sender:
                    continue
                if u not in nu or pl_value(nu[u], n) != pl_value(ou[u], n):
                    if pl_value(ou[u], n) >= me:
                        return ("reject", "pl.user_old")
            for u in nu:
                if u not in ou or pl_value(nu[u], n) != pl_value(ou[u], n):
                    if pl_value(nu[u], n) > me:
                        return ("reject", "pl.user_new")
            return ("allow", "pl.allow")
        except BadValue:
            return ("reject", "pl.unparseable")
    if n <= 2 and typ == "m.room.redaction":
        if power(sender) >= level("redact", 50):
            return ("allow", "redact.power")
        if domain(ev.get("redacts")) is not None and domain(ev.get("redacts")) == domain(ev.get("event_id")):
            return ("allow", "redact.domain")
        return ("reject", "redact.otherwise")
    return ("allow", "otherwise")
