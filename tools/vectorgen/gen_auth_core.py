"""Shared machinery of the auth suite: rooms as state maps, rule numbering per room version,
error codes, and the vector builder (which cross-checks each hand-declared verdict with
gen_auth_ref.check)."""
import copy

import common as c
import gen_auth_ref as ref
import mxcore as m

ALL_RV = m.ROOM_VERSIONS + [m.HYDRA]
TS0 = 1718000000000

A, B, C3 = "example.org", "remote.example.net", "third.example.com"
ALICE = "@alice:" + A      # room creator (create sender; content.creator in v1-10)
BOB = "@bob:" + A          # admin, 100
CAROL = "@carol:" + B      # moderator, 50
OSCAR = "@oscar:" + B      # moderator, 50
DAVE = "@dave:" + B        # joined, 0
ERIN = "@erin:" + C3       # not in the room
FRANK = "@frank:" + A      # banned
GRACE = "@grace:" + C3     # invited
HEIDI = "@heidi:" + B      # left
IVAN = "@ivan:" + C3       # knocking (v7+)
ZOE = "@zoe:" + B          # additional creator in v12 creator scenes

S_V1 = "rooms/fragments/v1-auth-rules.md"
S_V3 = "rooms/fragments/v3-auth-rules.md"
S_V8 = "rooms/fragments/v8-auth-rules.md"


def tag(rv):
    return "v" + rv if rv.isdigit() else rv


def rules_doc(rv):
    n = m.vnum(rv)
    if n <= 2:
        return S_V1
    if n <= 5:
        return S_V3
    if n in (6, 7):
        return "rooms/v%d.md \"Authorisation rules\"" % n
    if n in (8, 9):
        return S_V8
    return "rooms/v%d.md \"Authorisation rules\"" % n


# ---------------------------------------------------------------------------
# Rule numbering (each version's own text) and error codes
# ---------------------------------------------------------------------------
def rule_number(key, rv):
    n = m.vnum(rv)
    top = {"ae": 2 if n <= 11 else 3, "federate": 3 if n <= 11 else 4,
           "member": 5 if n <= 5 or n >= 12 else 4,
           "sender_joined": 6 if n <= 5 or n >= 12 else 5,
           "tpi_type": 7 if n <= 5 or n >= 12 else 6,
           "required": 8 if n <= 5 or n >= 12 else 7,
           "statekey": 9 if n <= 5 or n >= 12 else 8,
           "pl": 10 if n <= 5 or n >= 12 else 9}
    M = top["member"]
    J = "%d.%d" % (M, 2 if n <= 7 else 3)
    I = "%d.%d" % (M, 3 if n <= 7 else 4)
    L = "%d.%d" % (M, 4 if n <= 7 else 5)
    Bn = "%d.%d" % (M, 5 if n <= 7 else 6)
    K = "%d.%d" % (M, 6 if n == 7 else 7)
    unknown = "%d.%d" % (M, 6 if n <= 6 else (7 if n == 7 else 8))
    P = top["pl"]
    if n <= 9:
        pl = {"users": "1", "noprev": "2", "top_old": "3.1", "top_new": "3.2", "map_old": "4.1",
              "map_new": "5.1", "user_old": "6.1", "user_new": "7.1", "allow": "8"}
    elif n <= 11:
        pl = {"top_type": "1", "map_type": "2", "users": "3", "noprev": "4", "top_old": "5.1",
              "top_new": "5.2", "map_old": "6.1", "map_new": "7.1", "user_old": "8.1", "user_new": "9.1",
              "allow": "10"}
    else:
        pl = {"top_type": "1", "map_type": "2", "users": "3", "creators": "4", "noprev": "5",
              "top_old": "6.1", "top_new": "6.2", "map_old": "7.1", "map_new": "8.1", "user_old": "9.1",
              "user_new": "10.1 (the first of the two sub-rules the spec numbers 10)",
              "allow": "10 (the second sub-rule numbered 10)"}
    create_allow = "1.5" if n != 11 else "1.4"
    if n <= 2:
        otherwise = "12"
    elif n <= 5:
        otherwise = "11"
    elif n <= 11:
        otherwise = "10"
    else:
        otherwise = "11"
    table = {
        "create.prev": "1.1", "create.domain": "1.2", "create.room_id": "1.2", "create.version": "1.3",
        "create.creator": "1.4", "create.additional": "1.4", "create.allow": create_allow,
        "roomid": "2",
        "ae.dup": "%d.1" % top["ae"], "ae.select": "%d.2" % top["ae"], "ae.nocreate": "%d.4" % top["ae"],
        "ae.room": "%d.5" % top["ae"], "ae.missing": "%d (the auth event cannot be found)" % top["ae"],
        "federate": str(top["federate"]),
        "aliases.no_state_key": "4.1", "aliases.wrong_server": "4.2", "aliases.allow": "4.3",
        "member.bad": "%d.1" % M, "member.unknown": unknown,
        "join.first": J + ".1", "join.not_self": J + ".2", "join.banned": J + ".3", "join.invite": J + ".4",
        "join.not_invited": J + ".4 then " + J + (".6" if n <= 7 else ".7"),
        "join.restricted.member": J + ".5.1", "join.restricted.authoriser": J + ".5.2",
        "join.restricted.allow": J + ".5.3",
        "join.public": J + (".5" if n <= 7 else ".6"), "join.otherwise": J + (".6" if n <= 7 else ".7"),
        "tpi.banned": I + ".1.1", "tpi.no_signed": I + ".1.2", "tpi.bad_signed": I + ".1.3",
        "tpi.mxid": I + ".1.4", "tpi.no_event": I + ".1.5", "tpi.sender": I + ".1.6", "tpi.allow": I + ".1.7",
        "tpi.bad_sig": I + ".1.8",
        "invite.sender": I + ".2", "invite.target": I + ".3", "invite.allow": I + ".4", "invite.power": I + ".5",
        "leave.self": L + ".1", "leave.sender": L + ".2", "leave.unban": L + ".3", "leave.kick": L + ".4",
        "leave.otherwise": L + ".5",
        "ban.sender": Bn + ".1", "ban.allow": Bn + ".2", "ban.otherwise": Bn + ".3",
        "knock.join_rule": K + ".1", "knock.not_self": K + ".2", "knock.allow": K + ".3", "knock.otherwise": K + ".4",
        "sender_joined": str(top["sender_joined"]), "tpi_type": "%d.1" % top["tpi_type"],
        "required": str(top["required"]), "statekey": str(top["statekey"]),
        "redact.power": "11.1", "redact.domain": "11.2", "redact.otherwise": "11.3",
        "otherwise": otherwise,
    }
    if key.startswith("pl."):
        sub = key[3:]
        if sub == "unparseable":
            return "%d.1" % P
        return "%d.%s" % (P, pl[sub])
    return table[key]


CODES = {
    "create.prev": "auth.create.has_prev_events", "create.domain": "auth.create.room_id_domain",
    "create.room_id": "auth.create.has_room_id", "create.version": "auth.create.unknown_room_version",
    "create.creator": "auth.create.missing_creator", "create.additional": "auth.create.bad_additional_creators",
    "roomid": "auth.room_id_not_create",
    "ae.dup": "auth.auth_events.duplicate", "ae.select": "auth.auth_events.not_selected",
    "ae.nocreate": "auth.auth_events.no_create", "ae.room": "auth.auth_events.wrong_room",
    "ae.missing": "auth.auth_events.missing", "federate": "auth.federate",
    "aliases.no_state_key": "auth.aliases.no_state_key", "aliases.wrong_server": "auth.aliases.wrong_server",
    "member.bad": "auth.member.bad_content", "member.unknown": "auth.member.unknown_membership",
    "join.not_self": "auth.member.join.not_self", "join.banned": "auth.member.join.banned",
    "join.not_invited": "auth.member.join.not_invited",
    "join.restricted.authoriser": "auth.member.join.bad_authoriser", "join.otherwise": "auth.member.join.forbidden",
    "tpi.banned": "auth.member.invite.target_banned", "tpi.no_signed": "auth.member.invite.no_signed",
    "tpi.bad_signed": "auth.member.invite.bad_signed", "tpi.mxid": "auth.member.invite.mxid_mismatch",
    "tpi.no_event": "auth.member.invite.no_third_party_invite", "tpi.sender": "auth.member.invite.sender_mismatch",
    "tpi.bad_sig": "auth.member.invite.bad_signature",
    "invite.sender": "auth.member.invite.sender_not_joined", "invite.target": "auth.member.invite.target_joined_or_banned",
    "invite.power": "auth.member.invite.insufficient_power",
    "leave.self": "auth.member.leave.not_member", "leave.sender": "auth.member.leave.sender_not_joined",
    "leave.unban": "auth.member.leave.unban_insufficient_power", "leave.otherwise": "auth.member.leave.insufficient_power",
    "ban.sender": "auth.member.ban.sender_not_joined", "ban.otherwise": "auth.member.ban.insufficient_power",
    "knock.join_rule": "auth.member.knock.join_rule", "knock.not_self": "auth.member.knock.not_self",
    "knock.otherwise": "auth.member.knock.bad_membership",
    "sender_joined": "auth.sender_not_joined", "tpi_type": "auth.third_party_invite.insufficient_power",
    "required": "auth.insufficient_power", "statekey": "auth.state_key_impersonation",
    "pl.top_type": "auth.power_levels.bad_value", "pl.map_type": "auth.power_levels.bad_value",
    "pl.users": "auth.power_levels.bad_value", "pl.creators": "auth.power_levels.creator_in_users",
    "pl.top_old": "auth.power_levels.level_above_sender", "pl.top_new": "auth.power_levels.level_above_sender",
    "pl.map_old": "auth.power_levels.level_above_sender", "pl.map_new": "auth.power_levels.level_above_sender",
    "pl.user_old": "auth.power_levels.user_not_below_sender",
    "pl.user_new": "auth.power_levels.new_user_level_above_sender",
    "redact.otherwise": "auth.redaction.insufficient_power",
}


def cite(key, rv):
    """'v10 auth rule 4.3.4' (org.matrix.hydra.11 uses v12's numbering)."""
    return "%s auth rule %s" % ("v" + rv if rv.isdigit() else rv + " (v12 rules)", rule_number(key, rv))


# ---------------------------------------------------------------------------
# Rooms as a sequence of events and a state map
# ---------------------------------------------------------------------------
def std_create_content(rv, creator=ALICE, extra=None):
    n = m.vnum(rv)
    cc = {"room_version": rv}
    if n <= 10:
        cc["creator"] = creator
    if extra:
        cc.update(extra)
    return cc


class Room:
    def __init__(self, rv, create_sender=ALICE, create_content=None, room_domain=A, create_id="$create",
                 create_extra=None):
        self.rv = rv
        self.n = m.vnum(rv)
        self.state = {}
        self.byid = {}
        self.depth = 0
        self.last = None
        self.room_id = "!" + create_id[1:] if self.n >= 12 else "!room:" + room_domain
        cc = create_content if create_content is not None else std_create_content(rv, create_sender)
        ev = {"event_id": create_id, "type": "m.room.create", "state_key": "", "sender": create_sender,
              "content": cc}
        if create_extra:
            ev.update(create_extra)
        self.create = self._add(ev, auth=[], prev=[])

    def ref(self, ids):
        if self.n <= 2:
            return [[i, {"sha256": "aGFzaCBvZiAnJXMnIChub3QgY2hlY2tlZCBieSB0aGUgYXV0aCBzdWl0ZSk"}] for i in ids]
        return list(ids)

    def _add(self, ev, auth=None, prev=None):
        ev = dict(ev)
        if self.n < 12 or ev["type"] != "m.room.create":
            ev["room_id"] = self.room_id
        ev.setdefault("origin_server_ts", TS0 + 1000 * self.depth)
        ev["depth"] = self.depth + 1
        if auth is None:
            auth = self.select(ev)
        ev["auth_events"] = self.ref(auth)
        ev["prev_events"] = self.ref(prev if prev is not None else ([self.last] if self.last else []))
        self.depth += 1
        self.last = ev["event_id"]
        self.byid[ev["event_id"]] = ev
        if "state_key" in ev:
            self.state[(ev["type"], ev["state_key"])] = ev
        return ev

    def add(self, name, typ, sender, sk, content, **extra):
        ev = {"event_id": "$" + name, "type": typ, "sender": sender, "content": content}
        if sk is not None:
            ev["state_key"] = sk
        ev.update(extra)
        return self._add(ev)

    def member(self, user, membership, sender=None, name=None, **content):
        cont = {"membership": membership}
        cont.update(content)
        nm = name or "%s-%s" % (user[1:].split(":")[0], membership)
        return self.add(nm, "m.room.member", sender or user, user, cont)

    def select(self, ev):
        keys = ref.selection_keys(ev, self.n)
        out = []
        for k in [("m.room.create", ""), ("m.room.power_levels", ""), ("m.room.join_rules", "")] + sorted(
                (k for k in keys if k[0] not in ("m.room.create", "m.room.power_levels", "m.room.join_rules")),
                key=lambda x: (x[0], str(x[1]))):
            if k in keys and k in self.state:
                out.append(self.state[k]["event_id"])
        return out

    def event(self, name, typ, sender, sk=None, content=None, prev=None, **extra):
        """The event under test (not added to the room)."""
        ev = {"event_id": "$" + name, "type": typ, "sender": sender, "content": content or {}}
        if sk is not None:
            ev["state_key"] = sk
        ev["room_id"] = self.room_id
        ev["origin_server_ts"] = TS0 + 1000 * (self.depth + 5)
        ev["depth"] = self.depth + 1
        ev["prev_events"] = self.ref(prev if prev is not None else ([self.last] if self.last else []))
        ev.update(extra)
        if typ == "m.room.create":
            ev["auth_events"] = []
        else:
            ev["auth_events"] = self.ref(self.select(ev))
        return ev


def std_pl_content(rv, **over):
    n = m.vnum(rv)
    users = {BOB: 100, CAROL: 50, OSCAR: 50}
    if n <= 11:
        users[ALICE] = 100
    pl = {"ban": 50, "kick": 50, "redact": 50, "invite": 0, "events_default": 0, "state_default": 50,
          "users_default": 0,
          "events": {"m.room.power_levels": 50, "m.room.name": 50, "m.room.history_visibility": 100,
                     "m.room.tombstone": 100},
          "notifications": {"room": 50}, "users": dict(sorted(users.items()))}
    for k, v in over.items():
        if v is None:
            pl.pop(k, None)
        else:
            pl[k] = v
    return pl


def std_room(rv, join_rule="invite", pl=True, pl_over=None, create_extra_content=None, federate=None,
             with_jr=True, knocker=True, create_content=None):
    """Create (alice), alice's first join, power levels, join rules, then members:
    bob 100, carol 50, oscar 50, dave 0 joined; frank banned; grace invited; heidi left;
    ivan knocking (v7+)."""
    n = m.vnum(rv)
    cc = create_content if create_content is not None else std_create_content(rv)
    if create_extra_content:
        cc = dict(cc, **create_extra_content)
    if federate is not None:
        cc = dict(cc, **{"m.federate": federate})
    r = Room(rv, create_content=cc)
    r.member(ALICE, "join")
    if pl:
        r.add("power-levels", "m.room.power_levels", ALICE, "", std_pl_content(rv, **(pl_over or {})))
    if with_jr:
        r.add("join-rules", "m.room.join_rules", ALICE, "", {"join_rule": join_rule})
    for u in (BOB, CAROL, OSCAR, DAVE):
        r.member(u, "join")
    r.member(FRANK, "ban", sender=BOB)
    r.member(GRACE, "invite", sender=BOB)
    r.member(HEIDI, "leave")
    if n >= 7 and knocker:
        r.member(IVAN, "knock")
    return r


# ---------------------------------------------------------------------------
# Vectors
# ---------------------------------------------------------------------------
SRC_HAND = "hand-worked (rule named and walked through in comment; " + c.spec("%s") + ")"


def source_for(rv):
    return "hand-worked (see comment), from " + c.spec(rules_doc(rv)) + \
        " and server-server-api.md \"Auth events selection\"/\"Definitions\""


class Suite:
    def __init__(self):
        self.files = {}
        self.order = []

    def add(self, fname, t, meta=None):
        self.files.setdefault(fname, []).append((t, meta))

    def select(self, per_behaviour=3):
        """Thin the corpus: for each template (file, slug), the room versions are partitioned by behaviour
        (verdict + deciding rule, numbering aside, + flags); a partition keeps at most `per_behaviour` versions,
        taken from different rule-numbering groups (v1-2, v3-5, v6, v7, v8-9, v10, v11, v12+hydra) evenly spaced
        with a rotation so that every version appears across the corpus. Every behavioural difference between
        versions is thus kept."""
        import hashlib
        out = {}
        for fname, items in self.files.items():
            by_slug = {}
            for t, meta in items:
                by_slug.setdefault(meta[0] if meta else t["id"], []).append((t, meta))
            keep = set()
            for slug, lst in by_slug.items():
                h = int(hashlib.sha256(("%s/%s" % (fname, slug)).encode()).hexdigest(), 16)
                parts = {}
                for t, meta in lst:
                    sig = meta[1:] if meta else (t["id"],)
                    parts.setdefault(sig, []).append(t)
                for sig, ts in parts.items():
                    if len(ts) <= per_behaviour:
                        keep.update(id(t) for t in ts)
                        continue
                    groups = {}
                    for t in ts:
                        groups.setdefault(numbering_group(t["room_version"]), []).append(t)
                    gkeys = sorted(groups)
                    if len(gkeys) <= per_behaviour:
                        chosen_g = gkeys
                    else:
                        L = len(gkeys)
                        chosen_g = {gkeys[(h % L + (k * L) // per_behaviour) % L] for k in range(per_behaviour)}
                    for i, g in enumerate(sorted(chosen_g)):
                        mem = groups[g]
                        keep.add(id(mem[(h >> (4 * i)) % len(mem)]))
            out[fname] = [t for t, meta in items if id(t) in keep]
        return out


def numbering_group(rv):
    n = m.vnum(rv)
    return {1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 3, 8: 4, 9: 4, 10: 5, 11: 6, 12: 7}[n]


SUITE = Suite()


def vec(fname, slug, rv, ev, supplied, verdict, rule, why, flags=None, source=None, code=True,
        ref_rule=None, thin=True):
    """Append one vector. `verdict`/`rule` are declared by hand; gen_auth_ref.check must agree
    (ref_rule: the reference check's rule key when a deliberately unusual path is named)."""
    assert verdict in ("valid", "invalid")
    got = ref.check(rv, ev, supplied)
    want_rule = ref_rule or rule
    exp_v = "valid" if got[0] == "allow" else "invalid"
    if exp_v != verdict or got[1] != want_rule:
        raise AssertionError("auth vector %s/%s/%s: declared %s by %s, reference check says %s by %s"
                             % (fname, slug, rv, verdict, want_rule, exp_v, got[1]))
    comment = "%s. %s %s." % (why.rstrip("."), "Allowed by" if verdict == "valid" else "Rejected by",
                              cite(rule, rv))
    expected = None
    if verdict == "invalid" and code and rule in CODES:
        expected = {"error": CODES[rule]}
    t = c.test("auth/%s/%s/%s" % (fname.rsplit(".", 1)[0], slug, tag(rv)), comment,
               {"event": ev, "auth_events": supplied}, verdict, source or source_for(rv),
               room_version=rv, expected=expected, flags=flags)
    SUITE.add(fname, t, meta=None if thin is False else (slug, verdict, rule, tuple(sorted(flags or ()))))
    return t


def supplied_for(room, ev, extra=()):
    """input.auth_events: the events the event's auth_events names (+ the create event in v12),
    plus any `extra` events."""
    ids = ref.ids_of(ev.get("auth_events"), room.n)
    out = [room.byid[i] for i in ids if i in room.byid]
    if room.n >= 12 and room.create["event_id"] not in ids:
        out = [room.create] + out
    out += list(extra)
    return copy.deepcopy(out)


def T(fname, slug, rv, room, ev, verdict, rule, why, extra=(), **kw):
    return vec(fname, slug, rv, ev, supplied_for(room, ev, extra), verdict, rule, why, **kw)
