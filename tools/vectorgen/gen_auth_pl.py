"""auth suite: m.room.power_levels vectors (value formats per version, change rules, v12 creators)."""
import copy

import mxcore as m
from gen_auth_core import (A, ALICE, ALL_RV, B, BOB, CAROL, DAVE, ERIN, OSCAR, ZOE, Room, T,
                           std_create_content, std_pl_content, std_room)

N = m.vnum
F = "power-levels.json"
D16 = "anchors D16/U16: synapse#11873, matrix-spec#2296"
U17 = "anchor U17: matrix-spec PR #2297 (2026-02), v1-floaty-power-levels.md"


def pl_event(r, name, sender, content):
    return r.event(name, "m.room.power_levels", sender, "", content)


def with_users(rv, **changes):
    c = std_pl_content(rv)
    u = dict(c["users"])
    for k, v in changes.items():
        uid = {"alice": ALICE, "bob": BOB, "carol": CAROL, "oscar": OSCAR, "dave": DAVE, "erin": ERIN,
               "zoe": ZOE}[k]
        if v is None:
            u.pop(uid, None)
        else:
            u[uid] = v
    c["users"] = dict(sorted(u.items()))
    return c


def build():
    for rv in ALL_RV:
        n = N(rv)
        r = std_room(rv)
        P = lambda name, sender, content: pl_event(r, name, sender, content)
        # --- value formats -------------------------------------------------------------
        ev = P("pl-string-user", BOB, with_users(rv, dave="50"))
        if n <= 9:
            T(F, "users-string-value", rv, r, ev, "valid", "pl.allow",
              "users[@dave] is the string \"50\", accepted as 50 before v10 (v1-stringy-power-levels.md); @bob (100) "
              "may set it: 50 <= 100", flags=["edge-case"])
        else:
            T(F, "users-string-value", rv, r, ev, "invalid", "pl.users",
              "users[@dave] is the string \"50\"; since v10 users values must be integers")
        if n <= 9:
            ev = P("pl-stringy-ws", BOB, with_users(rv, dave=" +100 "))
            T(F, "users-string-whitespace-sign", rv, r, ev, "valid", "pl.allow",
              "users[@dave] is \" +100 \": leading/trailing whitespace and a + sign are allowed, value 100; "
              "100 is not above @bob's 100. " + D16, flags=["edge-case", "divergence"])
            ev = P("pl-stringy-zero", BOB, with_users(rv, dave="050"))
            T(F, "users-string-leading-zero", rv, r, ev, "valid", "pl.allow",
              "users[@dave] is \"050\" = 50 (leading zeros allowed)", flags=["edge-case"])
            ev = P("pl-stringy-101", BOB, with_users(rv, dave=" +101 "))
            T(F, "users-string-above-sender", rv, r, ev, "invalid", "pl.user_new",
              "users[@dave] is \" +101 \" = 101, above @bob's 100", flags=["edge-case"])
            ev = P("pl-stringy-decimal", BOB, with_users(rv, dave="1.5"))
            T(F, "users-string-decimal", rv, r, ev, "invalid", "pl.users",
              "users[@dave] is the string \"1.5\": a string must be a base-10 integer, no decimal point")
            ev = P("pl-stringy-letters", BOB, with_users(rv, dave="5O"))
            T(F, "users-string-not-integer", rv, r, ev, "invalid", "pl.users",
              "users[@dave] is \"5O\" (letter O), not an integer string")
            ev = P("pl-string-ban", BOB, dict(std_pl_content(rv), ban="40"))
            T(F, "top-level-string-value", rv, r, ev, "valid", "pl.allow",
              "ban is the string \"40\" (accepted before v10), lowered from 50 by @bob (100)")
            if n in (1, 5, 9):
                ev = P("pl-string-huge", BOB, with_users(rv, dave="9007199254740993"))
                T(F, "users-string-beyond-2-53", rv, r, ev, "invalid", "pl.user_new",
                  "users[@dave] is the string \"9007199254740993\" (2^53+1). Whether such a string is a valid "
                  "power level is open (matrix-spec#2296; Synapse parses any size, ruma limits to its Int range), "
                  "but either reading refuses this event: either it is not a valid value, or 2^53+1 > @bob's 100. "
                  "No error code is given since the two readings differ on the rule. " + D16,
                  flags=["divergence", "regression"], code=False)
        else:
            for slug, key, val, what in [("top-level-string-value", "ban", "40", "ban is the string \"40\""),
                                         ("top-level-boolean", "kick", True, "kick is the boolean true"),
                                         ("top-level-null", "invite", None, "invite is null")]:
                cont = std_pl_content(rv)
                cont[key] = val
                ev = P("pl-" + slug, BOB, cont)
                T(F, slug, rv, r, ev, "invalid", "pl.top_type", what + "; since v10 these must be integers")
            cont = std_pl_content(rv)
            cont["events"] = dict(cont["events"], **{"m.room.name": "50"})
            ev = P("pl-events-string", BOB, cont)
            T(F, "events-string-value", rv, r, ev, "invalid", "pl.map_type", "events[m.room.name] is the string \"50\"")
            cont = std_pl_content(rv)
            cont["notifications"] = {"room": "50"}
            ev = P("pl-notif-string", BOB, cont)
            T(F, "notifications-string-value", rv, r, ev, "invalid", "pl.map_type", "notifications.room is the string \"50\"")
            cont = std_pl_content(rv)
            cont["events"] = [["m.room.name", 50]]
            ev = P("pl-events-array", BOB, cont)
            T(F, "events-not-object", rv, r, ev, "invalid", "pl.map_type", "events is an array, not an object")
            cont = std_pl_content(rv)
            cont["events"] = dict(cont["events"], **{"m.room.topic": False})
            ev = P("pl-events-bool", BOB, cont)
            T(F, "events-boolean-value", rv, r, ev, "invalid", "pl.map_type", "events[m.room.topic] is false")
        if n <= 5:
            ev = P("pl-float", BOB, with_users(rv, dave=50.57))
            T(F, "users-float-value", rv, r, ev, "valid", "pl.allow",
              "users[@dave] is 50.57, truncated to 50 (v1-floaty-power-levels.md); 50 <= @bob's 100. " + U17,
              flags=["regression", "divergence"])
            ev = P("pl-float-100-5", BOB, with_users(rv, dave=100.5))
            T(F, "users-float-truncated-not-rounded", rv, r, ev, "valid", "pl.allow",
              "users[@dave] is 100.5, which truncates to 100 (not 101), so it is not above @bob's 100. " + U17,
              flags=["edge-case", "divergence"])
            ev = P("pl-float-101", BOB, with_users(rv, dave=101.2))
            T(F, "users-float-above-sender", rv, r, ev, "invalid", "pl.user_new",
              "users[@dave] is 101.2, truncated to 101 > @bob's 100. " + U17, flags=["edge-case"])
            rf = std_room(rv, pl_over={"users": dict(std_pl_content(rv)["users"], **{CAROL: 50.9, OSCAR: 50.2})})
            ev = pl_event(rf, "pl-float-carol", CAROL, dict(rf.state[("m.room.power_levels", "")]["content"],
                                                              users=dict(rf.state[("m.room.power_levels", "")]["content"]["users"], **{OSCAR: 10})))
            T(F, "float-sender-vs-equal-target", rv, rf, ev, "invalid", "pl.user_old",
              "Current users: @carol 50.9 and @oscar 50.2, both truncated to 50. @carol lowers @oscar: his old value "
              "50 >= her 50, so refused (without truncation 50.2 < 50.9 would allow). " + U17,
              flags=["edge-case", "divergence"])
        ev = P("pl-bool-user", BOB, with_users(rv, dave=True))
        T(F, "users-boolean-value", rv, r, ev, "invalid", "pl.users", "users[@dave] is true, not an integer")
        cont = std_pl_content(rv)
        cont["users"] = dict(cont["users"], **{DAVE: None})
        ev = P("pl-null-user", BOB, cont)
        T(F, "users-null-value", rv, r, ev, "invalid", "pl.users", "users[@dave] is null")
        cont = std_pl_content(rv)
        cont["users"] = [[BOB, 100]]
        ev = P("pl-users-array", BOB, cont)
        T(F, "users-not-object", rv, r, ev, "invalid", "pl.users", "users is an array, not an object")
        for slug, key in [("users-key-no-sigil", "dave"), ("users-key-no-server", "@dave"),
                          ("users-key-room-alias", "#dave:" + B)]:
            cont = std_pl_content(rv)
            cont["users"] = dict(cont["users"], **{key: 0})
            ev = P("pl-" + slug, BOB, cont)
            T(F, slug, rv, r, ev, "invalid", "pl.users", "users has the key %r, which is not a valid user ID" % key)
        # --- first power-levels event -----------------------------------------------------
        rn = std_room(rv, pl=False)
        cont = std_pl_content(rv)
        cont["users"] = dict(cont["users"], **{DAVE: 9000})
        ev = pl_event(rn, "pl-first", ALICE, cont)
        T(F, "first-power-levels", rv, rn, ev, "valid", "pl.noprev",
          "No previous power-levels event: the creator @alice (%s >= state_default 50) may set any values, even "
          "@dave at 9000 above her own level" % ("100" if n <= 11 else "infinite"))
        if n <= 5:
            cont = std_pl_content(rv)
            cont["ban"] = 1e19
            cont["users"] = dict(cont["users"], **{DAVE: -1e300})
            ev = pl_event(rn, "pl-first-float-beyond-int64", ALICE, cont)
            T(F, "first-power-levels-float-beyond-int64", rv, rn, ev, "valid", "pl.noprev",
              "The first power-levels event sets ban to 1e19 and @dave to -1e300, beyond a 64-bit integer but "
              "inside a double's range: v1-floaty-power-levels.md rejects only 'values outside the range "
              "represented by IEEE754 binary64', Infinity and NaN, so the values are valid. " + U17,
              flags=["edge-case"])
        if n <= 9:
            cont = std_pl_content(rv)
            cont["users"] = dict(cont["users"], **{DAVE: "99999999999999999999"})
            ev = pl_event(rn, "pl-first-string-beyond-int64", ALICE, cont)
            T(F, "first-power-levels-string-beyond-int64", rv, rn, ev, "valid", "pl.noprev",
              "The first power-levels event gives @dave the string \"99999999999999999999\": "
              "v1-stringy-power-levels.md accepts 'a single base 10 integer' with no size limit, so the value "
              "is valid", flags=["edge-case"])
        ev = pl_event(rn, "pl-first-dave", DAVE, std_pl_content(rv))
        T(F, "first-power-levels-non-creator", rv, rn, ev, "invalid", "required",
          "No power-levels event yet: @dave has 0 < state_default 50")
        # --- changes (sender carol, 50; events m.room.power_levels is 50) --------------------
        cur = std_pl_content(rv)

        def chg(**kw):
            x = copy.deepcopy(cur)
            for k, v in kw.items():
                if v is None:
                    x.pop(k, None)
                else:
                    x[k] = v
            return x
        cases = [
            ("lower-ban", chg(ban=40), "valid", "pl.allow", "@carol (50) lowers ban 50 -> 40: old and new <= 50"),
            ("raise-kick-above-sender", chg(kick=60), "invalid", "pl.top_new", "@carol (50) raises kick to 60 > 50"),
            ("remove-state-default", chg(state_default=None), "valid", "pl.allow",
             "@carol removes state_default (old 50, not above 50; no new value)"),
            ("add-users-default-equal", chg(users_default=50), "valid", "pl.allow",
             "@carol changes users_default 0 -> 50 = her level"),
            ("events-old-above", chg(events=dict(cur["events"], **{"m.room.history_visibility": 50})), "invalid",
             "pl.map_old", "@carol changes events[m.room.history_visibility] 100 -> 50: the old value 100 > 50"),
            ("events-remove-above", chg(events={k: v for k, v in cur["events"].items() if k != "m.room.history_visibility"}),
             "invalid", "pl.map_old", "@carol removes events[m.room.history_visibility] (old 100 > 50)"),
            ("events-add-above", chg(events=dict(cur["events"], **{"org.example.x": 60})), "invalid", "pl.map_new",
             "@carol adds events[org.example.x] = 60 > 50"),
            ("events-add-equal", chg(events=dict(cur["events"], **{"org.example.x": 50})), "valid", "pl.allow",
             "@carol adds events[org.example.x] = 50"),
            ("events-lower", chg(events=dict(cur["events"], **{"m.room.name": 0})), "valid", "pl.allow",
             "@carol lowers events[m.room.name] 50 -> 0"),
            ("users-promote-to-own-level", chg(users=dict(cur["users"], **{DAVE: 50})), "valid", "pl.allow",
             "@carol adds @dave at 50: not above her 50"),
            ("users-promote-above", chg(users=dict(cur["users"], **{DAVE: 51})), "invalid", "pl.user_new",
             "@carol adds @dave at 51 > 50"),
            ("users-change-equal", chg(users=dict(cur["users"], **{OSCAR: 10})), "invalid", "pl.user_old",
             "@carol lowers @oscar 50 -> 10: another user's old value 50 >= her 50"),
            ("users-remove-equal", chg(users={k: v for k, v in cur["users"].items() if k != OSCAR}), "invalid",
             "pl.user_old", "@carol removes @oscar's entry (old 50 >= 50)"),
            ("users-change-higher", chg(users=dict(cur["users"], **{BOB: 50})), "invalid", "pl.user_old",
             "@carol lowers @bob 100 -> 50 (old 100 >= 50)"),
            ("users-lower-self", chg(users=dict(cur["users"], **{CAROL: 10})), "valid", "pl.allow",
             "@carol lowers her own entry 50 -> 10: her own entry is exempt from the old-value rule"),
            ("users-remove-self", chg(users={k: v for k, v in cur["users"].items() if k != CAROL}), "valid",
             "pl.allow", "@carol removes her own entry"),
            ("users-raise-self", chg(users=dict(cur["users"], **{CAROL: 60})), "invalid", "pl.user_new",
             "@carol raises herself 50 -> 60 > 50"),
            ("users-add-erin-equal", chg(users=dict(cur["users"], **{ERIN: 50})), "valid", "pl.allow",
             "@carol adds @erin (not in the room) at 50"),
        ]
        for slug, cont, verdict, rule, why in cases:
            ev = P("pl-" + slug, CAROL, cont)
            T(F, slug, rv, r, ev, verdict, rule, why)
        ev = P("pl-notif-raise", CAROL, chg(notifications={"room": 60}))
        if n <= 5:
            T(F, "notifications-raise-above", rv, r, ev, "valid", "pl.allow",
              "@carol raises notifications.room 50 -> 60; before v6 the notifications property is not checked")
        else:
            T(F, "notifications-raise-above", rv, r, ev, "invalid", "pl.map_new",
              "@carol raises notifications.room 50 -> 60 > 50 (notifications checked since v6)")
        rh = std_room(rv, pl_over={"notifications": {"room": 100}})
        ev = pl_event(rh, "pl-notif-old", CAROL, std_pl_content(rv, notifications={"room": 50}))
        if n <= 5:
            T(F, "notifications-old-above", rv, rh, ev, "valid", "pl.allow",
              "@carol lowers notifications.room 100 -> 50; not checked before v6")
        else:
            T(F, "notifications-old-above", rv, rh, ev, "invalid", "pl.map_old",
              "@carol lowers notifications.room 100 -> 50: old value 100 > 50")
        rr = std_room(rv, pl_over={"redact": 100})
        ev = pl_event(rr, "pl-redact-old", CAROL, std_pl_content(rv, redact=50))
        T(F, "top-level-old-above", rv, rr, ev, "invalid", "pl.top_old", "@carol changes redact 100 -> 50: old 100 > 50")
        ev = P("pl-bob-demotes-carol", BOB, chg(users=dict(cur["users"], **{CAROL: 0})))
        T(F, "admin-demotes-moderator", rv, r, ev, "valid", "pl.allow", "@bob (100) lowers @carol 50 -> 0")
        ev = P("pl-carol-sends", DAVE, chg(ban=0))
        T(F, "sender-below-events-level", rv, r, ev, "invalid", "required",
          "@dave (0) sends power levels; events[m.room.power_levels] is 50")
        # --- creators -------------------------------------------------------------------
        if n <= 11:
            ev = P("pl-alice-demotes-bob", ALICE, chg(users=dict(cur["users"], **{BOB: 0})))
            T(F, "creator-demotes-equal", rv, r, ev, "invalid", "pl.user_old",
              "@alice is the creator but, with a power-levels event, has just her users entry 100; @bob's old "
              "value 100 >= 100")
        if n == 11:
            rz = std_room(rv, create_extra_content={"additional_creators": [ZOE]})
            ev = pl_event(rz, "pl-zoe-in-users", BOB, with_users(rv, zoe=50))
            T(F, "additional-creators-meaningless-v11", rv, rz, ev, "valid", "pl.allow",
              "content.additional_creators has no meaning before v12, so @zoe may be given a users entry")
        if n >= 12:
            rz = std_room(rv, create_extra_content={"additional_creators": [ZOE]})
            rz.member(ZOE, "join")
            ev = pl_event(rz, "pl-alice-demotes-bob", ALICE, chg(users=dict(cur["users"], **{BOB: 0})))
            T(F, "creator-demotes-admin", rv, rz, ev, "valid", "pl.allow",
              "The creator @alice has infinite power: @bob's old 100 is below it")
            ev = pl_event(rz, "pl-alice-max", ALICE, chg(users=dict(cur["users"], **{DAVE: 9007199254740991})))
            T(F, "creator-sets-max-level", rv, rz, ev, "valid", "pl.allow",
              "The creator sets @dave to 2^53-1, still below infinite")
            ev = pl_event(rz, "pl-zoe-demotes-bob", ZOE, chg(users=dict(cur["users"], **{BOB: 0}), kick=100))
            T(F, "additional-creator-changes", rv, rz, ev, "valid", "pl.allow",
              "@zoe (additional creator, not in users) has infinite power and may change anything. Continuwuity "
              "treated creators as power 0 when sorting until 2026-08-16 (anchors D13/U24)", flags=["divergence"])
            ev = pl_event(rz, "pl-alice-in-users", ALICE, chg(users=dict(cur["users"], **{ALICE: 100})))
            T(F, "creator-in-users", rv, rz, ev, "invalid", "pl.creators",
              "users contains the create sender @alice. element-hq/element-web#31445 and element-call#3707: clients "
              "broke on exactly this (anchor U26)", flags=["regression"])
            ev = pl_event(rz, "pl-zoe-in-users", BOB, chg(users=dict(cur["users"], **{ZOE: 50})))
            T(F, "additional-creator-in-users", rv, rz, ev, "invalid", "pl.creators",
              "users contains the additional creator @zoe")
            rn2 = Room(rv, create_content=dict(std_create_content(rv), additional_creators=[ZOE]))
            rn2.member(ALICE, "join")
            ev = pl_event(rn2, "pl-first-zoe", ALICE, dict(std_pl_content(rv), users={ZOE: 100, BOB: 100}))
            T(F, "first-power-levels-creator-in-users", rv, rn2, ev, "invalid", "pl.creators",
              "The room's first power-levels event lists the additional creator @zoe: the creators rule comes "
              "before \"no previous power levels -> allow\"")
            ev = pl_event(rz, "pl-bob-vs-alice", BOB, chg(ban=40))
            T(F, "admin-changes-with-creators", rv, rz, ev, "valid", "pl.allow",
              "@bob (100) lowers ban; the creators are not in users, so nothing above him changes")
