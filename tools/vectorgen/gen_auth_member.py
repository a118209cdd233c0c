"""auth suite: m.room.member vectors (join, restricted joins, invite incl. third-party, leave/kick/
unban, ban, knock, unknown membership)."""
import copy

import mxcore as m
from gen_auth_core import (A, ALICE, ALL_RV, B, BOB, C3, CAROL, DAVE, ERIN, FRANK, GRACE, HEIDI, IVAN,
                           OSCAR, ZOE, Room, T, std_create_content, std_pl_content, std_room, supplied_for,
                           vec)
import gen_auth_3pid as tp

N = m.vnum
U22 = ("ruma commit 1df8253db and tuwunel commit aea509fe5 (2026-05-06, \"Fix knock authorization in room "
       "versions 7-9\", anchors U22/D12): the join-rule check was unreachable and knocks were accepted under any "
       "join rule")
RESTRICTED_ANCHOR = ("anchors U18/U19/D15: matrix-spec#1477 + PR #2220 (the authoriser must be joined), "
                     "gomatrixserverlib PR #279, matrix-org/dendrite#2522")


def join_vectors():
    F = "membership-join.json"
    for rv in ALL_RV:
        n = N(rv)
        creator_word = "content.creator" if n <= 10 else "the create event's sender"
        r = Room(rv)
        ev = r.event("alice-join", "m.room.member", ALICE, ALICE, {"membership": "join"}, prev=["$create"])
        T(F, "creator-first-join", rv, r, ev, "valid", "join.first",
          "The only prev_event is the create event and the state_key @alice is the creator (%s)" % creator_word)
        ev = r.event("alice-join2", "m.room.member", ALICE, ALICE, {"membership": "join"}, prev=["$create", "$x"])
        T(F, "creator-join-two-prev-events", rv, r, ev, "invalid", "join.otherwise",
          "prev_events holds the create event and $x, so the first-join rule does not apply; @alice matches "
          "state_key and is not banned, and there is no join_rules event, so no join rule allows")
        ev = r.event("bob-join", "m.room.member", BOB, BOB, {"membership": "join"}, prev=["$create"])
        T(F, "non-creator-first-join", rv, r, ev, "invalid", "join.otherwise",
          "@bob is not the creator; with no join_rules event the join falls to the final reject")
        # creator semantics across versions: create sender alice, content.creator carol
        rc = Room(rv, create_content=dict(std_create_content(rv), creator=CAROL))
        ev = rc.event("carol-first-join", "m.room.member", CAROL, CAROL, {"membership": "join"}, prev=["$create"])
        if n <= 10:
            T(F, "content-creator-first-join", rv, rc, ev, "valid", "join.first",
              "The create event was sent by @alice but content.creator is @carol; in v1-10 the creator is "
              "content.creator, so @carol's join right after the create event is the creator's first join")
        else:
            T(F, "content-creator-first-join", rv, rc, ev, "invalid", "join.otherwise",
              "The create event's content.creator is @carol but since v11 the creator is the create sender @alice; "
              "@carol's join is not a first join and no join rule exists, so it is refused")
        ev = rc.event("alice-first-join", "m.room.member", ALICE, ALICE, {"membership": "join"}, prev=["$create"])
        if n <= 10:
            T(F, "create-sender-first-join", rv, rc, ev, "invalid", "join.otherwise",
              "@alice sent the create event but content.creator is @carol; in v1-10 only content.creator gets the "
              "first-join shortcut, and there is no join_rules event")
        else:
            T(F, "create-sender-first-join", rv, rc, ev, "valid", "join.first",
              "@alice sent the create event; since v11 the create sender is the creator (content.creator @carol "
              "is ignored)")
        if n >= 12:
            rz = Room(rv, create_content=dict(std_create_content(rv), additional_creators=[ZOE]))
            ev = rz.event("zoe-first-join", "m.room.member", ZOE, ZOE, {"membership": "join"}, prev=["$create"])
            T(F, "additional-creator-first-join", rv, rz, ev, "invalid", "join.otherwise",
              "@zoe is an additional creator, but the first-join rule names only the sender of the create event; "
              "with no join_rules event the join is refused")
        for jr in ("invite", "public"):
            r = std_room(rv, join_rule=jr)
            ev = r.event("bob-joins-dave", "m.room.member", BOB, DAVE, {"membership": "join"})
            T(F, "not-self-%s" % jr, rv, r, ev, "invalid", "join.not_self",
              "@bob (100) sends a join with state_key @dave")
            ev = r.event("frank-join", "m.room.member", FRANK, FRANK, {"membership": "join"})
            T(F, "banned-%s" % jr, rv, r, ev, "invalid", "join.banned", "@frank is banned (join rule %s)" % jr)
        r = std_room(rv, join_rule="invite")
        ev = r.event("grace-join", "m.room.member", GRACE, GRACE, {"membership": "join"})
        T(F, "invite-rule-invited", rv, r, ev, "valid", "join.invite", "Join rule invite and @grace is invited")
        ev = r.event("dave-rejoin", "m.room.member", DAVE, DAVE, {"membership": "join", "displayname": "D"})
        T(F, "invite-rule-already-joined", rv, r, ev, "valid", "join.invite",
          "Join rule invite and @dave is already joined (a profile change)")
        ev = r.event("erin-join", "m.room.member", ERIN, ERIN, {"membership": "join"})
        T(F, "invite-rule-not-invited", rv, r, ev, "invalid", "join.not_invited",
          "Join rule invite and @erin has no membership; rules after the invite rule do not allow either")
        ev = r.event("heidi-join", "m.room.member", HEIDI, HEIDI, {"membership": "join"})
        T(F, "invite-rule-left", rv, r, ev, "invalid", "join.not_invited",
          "Join rule invite and @heidi's membership is leave")
        if n >= 7:
            ev = r.event("ivan-join", "m.room.member", IVAN, IVAN, {"membership": "join"})
            T(F, "invite-rule-knocking", rv, r, ev, "invalid", "join.not_invited",
              "Join rule invite and @ivan's membership is knock, which is neither invite nor join")
        rk = std_room(rv, join_rule="knock")
        ev = rk.event("grace-join-k", "m.room.member", GRACE, GRACE, {"membership": "join"})
        if n >= 7:
            T(F, "knock-rule-invited", rv, rk, ev, "valid", "join.invite",
              "Join rule knock behaves like invite for joins (since v7), and @grace is invited")
        else:
            T(F, "knock-rule-invited", rv, rk, ev, "invalid", "join.otherwise",
              "The knock join rule does not exist before v7: it is neither invite nor public, so even the "
              "invited @grace is refused")
        ev = rk.event("erin-join-k", "m.room.member", ERIN, ERIN, {"membership": "join"})
        T(F, "knock-rule-not-invited", rv, rk, ev, "invalid", "join.not_invited" if n >= 7 else "join.otherwise",
          "Join rule knock and @erin has no membership")
        rp = std_room(rv, join_rule="public")
        ev = rp.event("erin-join-p", "m.room.member", ERIN, ERIN, {"membership": "join"})
        T(F, "public", rv, rp, ev, "valid", "join.public", "Join rule public, @erin is not banned")
        ev = rp.event("heidi-join-p", "m.room.member", HEIDI, HEIDI, {"membership": "join"})
        T(F, "public-rejoin-after-leave", rv, rp, ev, "valid", "join.public", "Join rule public, @heidi had left")
        for jr in ("private", "xyzzy"):
            rx = std_room(rv, join_rule=jr)
            ev = rx.event("grace-join-" + jr, "m.room.member", GRACE, GRACE, {"membership": "join"})
            T(F, "%s-rule-invited" % jr, rv, rx, ev, "invalid", "join.otherwise",
              "Join rule %s is none of the rules that allow joins, so even the invited @grace is refused" % jr,
              flags=["edge-case"])
        rx = std_room(rv, with_jr=False)
        ev = rx.event("grace-join-nojr", "m.room.member", GRACE, GRACE, {"membership": "join"})
        T(F, "no-join-rules-invited", rv, rx, ev, "invalid", "join.otherwise",
          "There is no m.room.join_rules event. The spec gives no default join rule, so read literally no join "
          "rule applies and the join falls to the final reject, even for the invited @grace (mxstate decision). "
          "Synapse instead treats a missing join rule as invite and would allow", flags=["divergence", "edge-case"])
        ev = rx.event("erin-join-nojr", "m.room.member", ERIN, ERIN, {"membership": "join"})
        T(F, "no-join-rules-not-invited", rv, rx, ev, "invalid", "join.otherwise",
          "No m.room.join_rules event and @erin has no membership: refused under any reading")
        rx = Room(rv)
        rx.member(ALICE, "join")
        rx.add("join-rules", "m.room.join_rules", ALICE, "", {})
        ev = rx.event("erin-join-emptyjr", "m.room.member", ERIN, ERIN, {"membership": "join"})
        T(F, "join-rules-without-join-rule", rv, rx, ev, "invalid", "join.otherwise",
          "The join_rules event has no join_rule property, so no join rule allows", flags=["edge-case"])
        # bad content
        r = std_room(rv, join_rule="public")
        ev = r.event("no-membership", "m.room.member", ERIN, ERIN, {"displayname": "E"})
        T(F, "no-membership-property", rv, r, ev, "invalid", "member.bad", "content has no membership property")
        ev = r.event("no-state-key", "m.room.member", ERIN, None, {"membership": "join"})
        T(F, "no-state-key", rv, r, ev, "invalid", "member.bad", "The member event has no state_key")
        ev = r.event("unknown-membership", "m.room.member", DAVE, DAVE, {"membership": "xyzzy"})
        T(F, "unknown-membership", rv, r, ev, "invalid", "member.unknown", "membership \"xyzzy\" is not known")


def restricted_vectors():
    F = "restricted.json"
    for rv in ALL_RV:
        n = N(rv)
        for jr in ("restricted", "knock_restricted"):
            supported = (jr == "restricted" and n >= 8) or (jr == "knock_restricted" and n >= 10)
            r = std_room(rv, join_rule=jr, pl_over={"invite": 50})
            s = jr.replace("_", "-")
            ev = r.event("grace-join-" + s, "m.room.member", GRACE, GRACE, {"membership": "join"})
            if supported:
                T(F, s + "-invited", rv, r, ev, "valid", "join.restricted.member",
                  "Join rule %s and @grace is invited" % jr)
            else:
                T(F, s + "-invited", rv, r, ev, "invalid", "join.otherwise",
                  "The %s join rule does not exist in this version (%s), so it is an unknown join rule and even "
                  "the invited @grace is refused" % (jr, "restricted from v8" if jr == "restricted" else "knock_restricted from v10"))
            ev = r.event("erin-join-" + s, "m.room.member", ERIN, ERIN,
                         {"membership": "join", "join_authorised_via_users_server": CAROL})
            if supported:
                T(F, s + "-authoriser-ok", rv, r, ev, "valid", "join.restricted.allow",
                  "Join rule %s, @erin has no membership and names @carol, who is joined with power 50 >= invite "
                  "level 50 and whose member event is cited (the authoriser's signature is taken as met)" % jr)
            else:
                if n <= 7:
                    ev["auth_events"] = r.ref([i for i in r.select(ev)] + ["$carol-join"])
                T(F, s + "-authoriser-ok", rv, r, ev, "invalid", "ae.select" if n <= 7 else "join.otherwise",
                  "The %s join rule is unknown here%s" % (jr, "; besides, the authoriser's member event $carol-join "
                                                              "is cited although this version's selection never picks it"
                                                          if n <= 7 else "; the authoriser does not matter"))
            if not supported:
                continue
            ev = r.event("dave-rejoin-" + s, "m.room.member", DAVE, DAVE, {"membership": "join"})
            T(F, s + "-already-joined", rv, r, ev, "valid", "join.restricted.member",
              "Join rule %s and @dave is already joined" % jr)
            ev = r.event("erin-noauth-" + s, "m.room.member", ERIN, ERIN, {"membership": "join"})
            T(F, s + "-no-authoriser", rv, r, ev, "invalid", "join.restricted.authoriser",
              "Join rule %s, @erin has no membership and content has no join_authorised_via_users_server" % jr)
            ev = r.event("erin-daveauth-" + s, "m.room.member", ERIN, ERIN,
                         {"membership": "join", "join_authorised_via_users_server": DAVE})
            T(F, s + "-authoriser-low-power", rv, r, ev, "invalid", "join.restricted.authoriser",
              "The authoriser @dave is joined but has power 0 < invite level 50")
            ev = r.event("erin-heidiauth-" + s, "m.room.member", ERIN, ERIN,
                         {"membership": "join", "join_authorised_via_users_server": HEIDI})
            T(F, s + "-authoriser-left", rv, r, ev, "invalid", "join.restricted.authoriser",
              "The authoriser @heidi has left the room; the authoriser must be a joined member. " + RESTRICTED_ANCHOR,
              flags=["regression", "divergence"])
            ev = r.event("erin-selfauth-" + s, "m.room.member", ERIN, ERIN,
                         {"membership": "join", "join_authorised_via_users_server": ERIN})
            T(F, s + "-authoriser-is-joiner", rv, r, ev, "invalid", "join.restricted.authoriser",
              "@erin names herself as authoriser, but she is not a joined member")
            ev = r.event("erin-uncited-" + s, "m.room.member", ERIN, ERIN,
                         {"membership": "join", "join_authorised_via_users_server": CAROL})
            ev["auth_events"] = r.ref([i for i in r.select(ev) if i != "$carol-join"])
            T(F, s + "-authoriser-not-cited", rv, r, ev, "invalid", "join.restricted.authoriser",
              "The authoriser @carol would qualify, but her member event is not among the cited auth events, so "
              "against these auth events she is not a joined member")
            ev = r.event("frank-join-" + s, "m.room.member", FRANK, FRANK,
                         {"membership": "join", "join_authorised_via_users_server": CAROL})
            T(F, s + "-banned-with-authoriser", rv, r, ev, "invalid", "join.banned",
              "@frank is banned; the ban check precedes the join-rule checks")
            r0 = std_room(rv, join_rule=jr)
            ev = r0.event("erin-dave0-" + s, "m.room.member", ERIN, ERIN,
                          {"membership": "join", "join_authorised_via_users_server": DAVE})
            T(F, s + "-authoriser-default-invite-level", rv, r0, ev, "valid", "join.restricted.allow",
              "Invite level 0 and the authoriser @dave is joined with power 0 >= 0")
            ev = r0.event("ivan-join-" + s, "m.room.member", IVAN, IVAN, {"membership": "join"})
            T(F, s + "-knocking-no-authoriser", rv, r0, ev, "invalid", "join.restricted.authoriser",
              "@ivan is knocking, which is neither join nor invite, and names no authoriser")
        if n >= 8:
            rp = std_room(rv, join_rule="public")
            ev = rp.event("erin-join-pub-heidi", "m.room.member", ERIN, ERIN,
                          {"membership": "join", "join_authorised_via_users_server": HEIDI})
            T(F, "public-with-unjoined-authoriser", rv, rp, ev, "valid", "join.public",
              "Join rule public: the named authoriser (@heidi, who left) is only examined under restricted rules")


def invite_vectors():
    F = "membership-invite.json"
    for rv in ALL_RV:
        n = N(rv)
        r = std_room(rv)
        ev = r.event("inv-bob-erin", "m.room.member", BOB, ERIN, {"membership": "invite"})
        T(F, "ok", rv, r, ev, "valid", "invite.allow", "@bob (joined, 100) invites @erin; invite level 0")
        ev = r.event("inv-dave-erin", "m.room.member", DAVE, ERIN, {"membership": "invite"})
        T(F, "zero-power-default-level", rv, r, ev, "valid", "invite.allow", "@dave (0) invites; invite level 0 <= 0")
        ev = r.event("inv-grace-erin", "m.room.member", GRACE, ERIN, {"membership": "invite"})
        T(F, "sender-invited", rv, r, ev, "invalid", "invite.sender", "The sender @grace is only invited")
        ev = r.event("inv-heidi-erin", "m.room.member", HEIDI, ERIN, {"membership": "invite"})
        T(F, "sender-left", rv, r, ev, "invalid", "invite.sender", "The sender @heidi has left")
        ev = r.event("inv-bob-carol", "m.room.member", BOB, CAROL, {"membership": "invite"})
        T(F, "target-joined", rv, r, ev, "invalid", "invite.target", "The target @carol is joined")
        ev = r.event("inv-bob-frank", "m.room.member", BOB, FRANK, {"membership": "invite"})
        T(F, "target-banned", rv, r, ev, "invalid", "invite.target", "The target @frank is banned")
        ev = r.event("inv-bob-grace", "m.room.member", BOB, GRACE, {"membership": "invite"})
        T(F, "target-already-invited", rv, r, ev, "valid", "invite.allow",
          "The target @grace is already invited; only join and ban are refused")
        ev = r.event("inv-bob-heidi", "m.room.member", BOB, HEIDI, {"membership": "invite"})
        T(F, "target-left", rv, r, ev, "valid", "invite.allow", "The target @heidi has left")
        if n >= 7:
            ev = r.event("inv-bob-ivan", "m.room.member", BOB, IVAN, {"membership": "invite"})
            T(F, "target-knocking", rv, r, ev, "valid", "invite.allow", "The target @ivan is knocking")
        ri = std_room(rv, pl_over={"invite": 50})
        ev = ri.event("inv-dave-erin-50", "m.room.member", DAVE, ERIN, {"membership": "invite"})
        T(F, "below-invite-level", rv, ri, ev, "invalid", "invite.power", "@dave (0) < invite level 50")
        ev = ri.event("inv-carol-erin-50", "m.room.member", CAROL, ERIN, {"membership": "invite"})
        T(F, "equal-invite-level", rv, ri, ev, "valid", "invite.allow", "@carol (50) >= invite level 50")
        # third-party invites
        rt = std_room(rv)
        rt.add("tpi", "m.room.third_party_invite", BOB, "tok123", tp.tpi_content(tp.KEY1))
        rt.add("tpi-keys", "m.room.third_party_invite", BOB, "tok456",
               tp.tpi_content(tp.KEY1, public_key="bm90LWEta2V5",
                              public_keys=[{"public_key": tp.KEY1.public}, {"public_key": tp.KEY2.public}]))
        rt.add("tpi-url", "m.room.third_party_invite", BOB, "tok789",
               tp.tpi_content(tp.KEYURL, public_key=tp.url_safe(tp.KEYURL.public), public_keys=[]))

        def tpinv(name, sender, target, signed, r_=rt):
            return r_.event(name, "m.room.member", sender, target,
                            {"membership": "invite",
                             "third_party_invite": {"display_name": "e...@example.com", "signed": signed}})
        ok_signed = tp.signed_block(ERIN, "tok123", BOB)
        ev = tpinv("tpi-ok", BOB, ERIN, ok_signed)
        T(F, "third-party-ok", rv, rt, ev, "valid", "tpi.allow",
          "@bob invites @erin through the third-party invite with token tok123 (sent by @bob); signed.mxid is "
          "@erin and signed carries a valid ed25519 signature by id.example.net under the event's public_key")
        ev = tpinv("tpi-keys-ok", BOB, ERIN, tp.signed_block(ERIN, "tok456", BOB, key=tp.KEY2))
        T(F, "third-party-public-keys", rv, rt, ev, "valid", "tpi.allow",
          "The m.room.third_party_invite's public_key is not a usable key, but the signature verifies under the "
          "second entry of public_keys, and any listed key suffices")
        ev = tpinv("tpi-url-ok", BOB, ERIN, tp.signed_block(ERIN, "tok789", BOB, key=tp.KEYURL))
        T(F, "third-party-url-safe-key", rv, rt, ev, "valid", "tpi.allow",
          "The public_key is written in the URL-safe base64 alphabet (%s); the m.room.third_party_invite schema "
          "allows the standard or the URL-safe alphabet, and the signature verifies" % tp.url_safe(tp.KEYURL.public),
          flags=["edge-case"])
        ev = tpinv("tpi-badsig", BOB, ERIN, tp.signed_block(ERIN, "tok123", BOB, key=tp.OTHER))
        T(F, "third-party-bad-signature", rv, rt, ev, "invalid", "tpi.bad_sig",
          "signed is signed by evil.example.com's key, which is none of the invite's public keys")
        tampered = copy.deepcopy(tp.signed_block(ERIN, "tok123", BOB))
        tampered["sender"] = DAVE
        ev = tpinv("tpi-tampered", BOB, ERIN, tampered)
        T(F, "third-party-tampered", rv, rt, ev, "invalid", "tpi.bad_sig",
          "signed.sender was changed after signing, so the signature no longer verifies under any public key")
        rtb = std_room(rv)
        rtb.add("tpi", "m.room.third_party_invite", BOB, "tok123", tp.tpi_content(tp.KEY1))
        ev = tpinv("tpi-banned", BOB, FRANK, tp.signed_block(FRANK, "tok123", BOB), r_=rtb)
        T(F, "third-party-target-banned", rv, rtb, ev, "invalid", "tpi.banned",
          "The target @frank is banned (the signature would be valid)")
        ev = rt.event("tpi-nosigned", "m.room.member", BOB, ERIN,
                      {"membership": "invite", "third_party_invite": {"display_name": "e...@example.com"}})
        T(F, "third-party-no-signed", rv, rt, ev, "invalid", "tpi.no_signed", "content.third_party_invite has no signed")
        ev = tpinv("tpi-nomxid", BOB, ERIN, tp.signed_block(ERIN, "tok123", BOB, drop=("mxid",)))
        T(F, "third-party-no-mxid", rv, rt, ev, "invalid", "tpi.bad_signed", "signed has no mxid")
        ev = tpinv("tpi-notoken", BOB, ERIN, tp.signed_block(ERIN, "tok123", BOB, drop=("token",)))
        T(F, "third-party-no-token", rv, rt, ev, "invalid", "tpi.bad_signed",
          "signed has no token (so no m.room.third_party_invite is selected either)")
        ev = tpinv("tpi-mxid", BOB, ERIN, tp.signed_block(DAVE, "tok123", BOB))
        T(F, "third-party-mxid-mismatch", rv, rt, ev, "invalid", "tpi.mxid",
          "signed.mxid is @dave but the state_key is @erin")
        ev = tpinv("tpi-token", BOB, ERIN, tp.signed_block(ERIN, "tok-unknown", BOB))
        T(F, "third-party-unknown-token", rv, rt, ev, "invalid", "tpi.no_event",
          "No m.room.third_party_invite with state_key tok-unknown exists (none is cited)")
        ev = tpinv("tpi-sender", CAROL, ERIN, tp.signed_block(ERIN, "tok123", CAROL))
        T(F, "third-party-sender-mismatch", rv, rt, ev, "invalid", "tpi.sender",
          "@carol sends the invite but the m.room.third_party_invite with token tok123 was sent by @bob")
        if rv in ("1", "5", "6", "9", "10", "11", "12", m.HYDRA):
            rl = std_room(rv)
            rl.add("tpi-heidi", "m.room.third_party_invite", HEIDI, "tokh", tp.tpi_content(tp.KEY1))
            ev = tpinv("tpi-from-left", HEIDI, ERIN, tp.signed_block(ERIN, "tokh", HEIDI), r_=rl)
            T(F, "third-party-sender-left", rv, rl, ev, "valid", "tpi.allow",
              "@heidi has left the room but sent the m.room.third_party_invite (tokh); the third-party branch decides "
              "on its own and never checks the sender's membership", flags=["edge-case"])
            ev = tpinv("tpi-joined-target", BOB, CAROL, tp.signed_block(CAROL, "tok123", BOB))
            T(F, "third-party-target-joined", rv, rt, ev, "valid", "tpi.allow",
              "The target @carol is joined; the third-party branch only refuses a banned target", flags=["edge-case"])


def leave_ban_vectors():
    F = "membership-leave-ban.json"
    for rv in ALL_RV:
        n = N(rv)
        r = std_room(rv)
        selfleave = [("dave", DAVE, "join", True), ("grace", GRACE, "invite", True),
                     ("heidi", HEIDI, "leave", False), ("frank", FRANK, "ban", False), ("erin", ERIN, None, False)]
        if n >= 7:
            selfleave.append(("ivan", IVAN, "knock", True))
        for nm, u, st, ok in selfleave:
            ev = r.event(nm + "-leaves", "m.room.member", u, u, {"membership": "leave"})
            T(F, "self-leave-from-%s" % (st or "none"), rv, r, ev, "valid" if ok else "invalid", "leave.self",
              "%s leaves and their current membership is %s" % (u, st or "absent"))
        if n == 6:
            rk = std_room(rv)
            rk.member(IVAN, "knock")
            ev = rk.event("ivan-leaves", "m.room.member", IVAN, IVAN, {"membership": "leave"})
            T(F, "self-leave-from-knock", rv, rk, ev, "invalid", "leave.self",
              "Before v7 a self-leave is allowed only from invite or join; @ivan's (impossible in v6) knock "
              "membership does not count", flags=["edge-case"])
        ev = r.event("bob-kicks-dave", "m.room.member", BOB, DAVE, {"membership": "leave"})
        T(F, "kick", rv, r, ev, "valid", "leave.kick", "@bob (100) >= kick 50 and @dave (0) < 100")
        ev = r.event("carol-kicks-dave", "m.room.member", CAROL, DAVE, {"membership": "leave"})
        T(F, "kick-at-kick-level", rv, r, ev, "valid", "leave.kick", "@carol (50) >= kick 50 and @dave (0) < 50")
        ev = r.event("carol-kicks-grace", "m.room.member", CAROL, GRACE, {"membership": "leave"})
        T(F, "rescind-invite", rv, r, ev, "valid", "leave.kick", "@carol (50) kicks the invited @grace (0)")
        ev = r.event("carol-kicks-oscar", "m.room.member", CAROL, OSCAR, {"membership": "leave"})
        T(F, "kick-equal-power", rv, r, ev, "invalid", "leave.otherwise",
          "@carol (50) kicks @oscar (50): the target's power must be strictly lower")
        ev = r.event("carol-kicks-bob", "m.room.member", CAROL, BOB, {"membership": "leave"})
        T(F, "kick-higher-power", rv, r, ev, "invalid", "leave.otherwise", "@carol (50) kicks @bob (100)")
        ev = r.event("dave-kicks-heidi", "m.room.member", DAVE, HEIDI, {"membership": "leave"})
        T(F, "kick-below-kick-level", rv, r, ev, "invalid", "leave.otherwise",
          "@dave (0) < kick level 50 (target @heidi has 0)")
        ev = r.event("grace-kicks-dave", "m.room.member", GRACE, DAVE, {"membership": "leave"})
        T(F, "kick-sender-not-joined", rv, r, ev, "invalid", "leave.sender", "The kicker @grace is only invited")
        ev = r.event("bob-unbans-frank", "m.room.member", BOB, FRANK, {"membership": "leave"})
        T(F, "unban", rv, r, ev, "valid", "leave.kick",
          "@bob (100) unbans @frank: 100 >= ban 50, then 100 >= kick 50 and 0 < 100")
        ev = r.event("bob-unbans-frank-noban", "m.room.member", BOB, FRANK, {"membership": "leave"})
        ev["auth_events"] = r.ref([i for i in r.select(ev) if i != "$frank-ban"])
        T(F, "unban-auth-events-omit-ban", rv, r, ev, "valid", "leave.kick",
          "@bob unbans @frank but his auth_events omit @frank's ban, so against these auth events @frank has no "
          "membership: 100 >= kick 50 and 0 < 100. The event passes the check against its own auth events; "
          "matrix-org/synapse#6520 (anchor U7): such an unban brought the ban back in state resolution, which "
          "the checks against the state before the event (room suite) must handle", flags=["regression"])
        ev = r.event("dave-unbans-frank", "m.room.member", DAVE, FRANK, {"membership": "leave"})
        T(F, "unban-below-ban-level", rv, r, ev, "invalid", "leave.unban", "@dave (0) < ban level 50")
        rb = std_room(rv, pl_over={"ban": 75})
        ev = rb.event("carol-unbans-frank", "m.room.member", CAROL, FRANK, {"membership": "leave"})
        T(F, "unban-kick-ok-ban-not", rv, rb, ev, "invalid", "leave.unban",
          "@carol (50) >= kick 50 but < ban 75: unbanning needs both levels")
        rb = std_room(rv, pl_over={"kick": 75})
        ev = rb.event("carol-unbans-frank2", "m.room.member", CAROL, FRANK, {"membership": "leave"})
        T(F, "unban-ban-ok-kick-not", rv, rb, ev, "invalid", "leave.otherwise",
          "@carol (50) >= ban 50 but < kick 75")
        # ban
        ev = r.event("bob-bans-dave", "m.room.member", BOB, DAVE, {"membership": "ban"})
        T(F, "ban", rv, r, ev, "valid", "ban.allow", "@bob (100) >= ban 50 and @dave (0) < 100")
        ev = r.event("carol-bans-erin", "m.room.member", CAROL, ERIN, {"membership": "ban"})
        T(F, "ban-non-member", rv, r, ev, "valid", "ban.allow", "@carol (50) bans @erin, who was never in the room")
        ev = r.event("carol-bans-oscar", "m.room.member", CAROL, OSCAR, {"membership": "ban"})
        T(F, "ban-equal-power", rv, r, ev, "invalid", "ban.otherwise", "@carol (50) bans @oscar (50)")
        ev = r.event("dave-bans-erin", "m.room.member", DAVE, ERIN, {"membership": "ban"})
        T(F, "ban-below-ban-level", rv, r, ev, "invalid", "ban.otherwise", "@dave (0) < ban level 50")
        ev = r.event("heidi-bans-dave", "m.room.member", HEIDI, DAVE, {"membership": "ban"})
        T(F, "ban-sender-not-joined", rv, r, ev, "invalid", "ban.sender", "The sender @heidi has left")
        ev = r.event("bob-bans-bob", "m.room.member", BOB, BOB, {"membership": "ban"})
        T(F, "ban-self", rv, r, ev, "invalid", "ban.otherwise",
          "@bob bans himself: his own power (100) is not lower than his power", flags=["edge-case"])
        # no power levels
        rn = std_room(rv, pl=False)
        ev = rn.event("alice-kicks-dave", "m.room.member", ALICE, DAVE, {"membership": "leave"})
        T(F, "no-power-levels-creator-kicks", rv, rn, ev, "valid", "leave.kick",
          "No power-levels event: the creator @alice has %s >= kick 50 and @dave has 0"
          % ("100" if n <= 11 else "infinite power"))
        ev = rn.event("bob-kicks-dave-nopl", "m.room.member", BOB, DAVE, {"membership": "leave"})
        T(F, "no-power-levels-other-kicks", rv, rn, ev, "invalid", "leave.otherwise",
          "No power-levels event: @bob is not the creator, so he has 0 < kick 50")
        if n >= 12:
            rz = Room(rv, create_content=dict(std_create_content(rv), additional_creators=[ZOE]))
            rz.member(ALICE, "join")
            pl = std_pl_content(rv)
            rz.add("power-levels", "m.room.power_levels", ALICE, "", pl)
            rz.add("join-rules", "m.room.join_rules", ALICE, "", {"join_rule": "invite"})
            for u in (BOB, CAROL, ZOE, DAVE):
                rz.member(u, "join")
            for slug, s_, t_, mem, verdict, rule, why in [
                    ("creator-kicks-admin", ALICE, BOB, "leave", "valid", "leave.kick",
                     "The creator @alice (infinite power) kicks @bob (100)"),
                    ("creator-bans-admin", ALICE, BOB, "ban", "valid", "ban.allow",
                     "The creator @alice (infinite power) bans @bob (100)"),
                    ("admin-kicks-creator", BOB, ALICE, "leave", "invalid", "leave.otherwise",
                     "@bob (100) kicks the creator @alice, whose power is infinite"),
                    ("additional-creator-kicks-creator", ZOE, ALICE, "leave", "invalid", "leave.otherwise",
                     "@zoe (additional creator, infinite) kicks @alice (creator, infinite): infinite is not lower "
                     "than infinite, so creators cannot kick each other"),
                    ("additional-creator-bans-creator", ZOE, ALICE, "ban", "invalid", "ban.otherwise",
                     "@zoe (additional creator) bans @alice (creator): infinite is not lower than infinite"),
                    ("creator-bans-additional-creator", ALICE, ZOE, "ban", "invalid", "ban.otherwise",
                     "@alice bans the additional creator @zoe: infinite is not lower than infinite"),
                    ("additional-creator-kicks-dave", ZOE, DAVE, "leave", "valid", "leave.kick",
                     "@zoe is not in content.users (users_default 0) but as an additional creator has infinite power")]:
                ev = rz.event(slug, "m.room.member", s_, t_, {"membership": mem})
                T(F, slug, rv, rz, ev, verdict, rule, why)


def knock_vectors():
    F = "membership-knock.json"
    for rv in ALL_RV:
        n = N(rv)
        rk = std_room(rv, join_rule="knock")
        ev = rk.event("erin-knock", "m.room.member", ERIN, ERIN, {"membership": "knock", "reason": "hi"})
        if n <= 6:
            T(F, "knock-rule", rv, rk, ev, "invalid", "member.unknown",
              "Before v7 knock is not a known membership")
            continue
        T(F, "knock-rule", rv, rk, ev, "valid", "knock.allow",
          "Join rule knock, @erin knocks for herself and has no membership")
        for jr in ("public", "invite", "private", "restricted", "knock_restricted"):
            rx = std_room(rv, join_rule=jr)
            ev = rx.event("erin-knock-" + jr, "m.room.member", ERIN, ERIN, {"membership": "knock"})
            allowed = jr == "knock_restricted" and n >= 10
            if allowed:
                T(F, "under-" + jr.replace("_", "-"), rv, rx, ev, "valid", "knock.allow",
                  "Since v10 knock_restricted rooms accept knocks; @erin has no membership")
            else:
                u22 = n <= 9 and jr in ("public", "invite")
                T(F, "under-" + jr.replace("_", "-"), rv, rx, ev, "invalid", "knock.join_rule",
                  "Join rule %s is not %s%s" % (jr, "knock" if n <= 9 else "knock or knock_restricted",
                                               (". " + U22) if u22 else ""),
                  flags=["regression", "divergence"] if u22 else None)
        ev = rk.event("bob-knocks-erin", "m.room.member", BOB, ERIN, {"membership": "knock"})
        T(F, "not-self", rv, rk, ev, "invalid", "knock.not_self", "@bob sends a knock with state_key @erin")
        for nm, u, st, ok in [("frank", FRANK, "ban", False), ("grace", GRACE, "invite", False),
                              ("dave", DAVE, "join", False), ("heidi", HEIDI, "leave", True),
                              ("ivan", IVAN, "knock", True)]:
            ev = rk.event(nm + "-knock", "m.room.member", u, u, {"membership": "knock"})
            T(F, "from-" + st, rv, rk, ev, "valid" if ok else "invalid", "knock.allow" if ok else "knock.otherwise",
              "%s knocks and their current membership is %s" % (u, st))
        rf = std_room(rv, join_rule="knock", federate=False)
        ev = rf.event("erin-knock-nofed", "m.room.member", ERIN, ERIN, {"membership": "knock"})
        T(F, "federate-false", rv, rf, ev, "invalid", "federate",
          "m.federate is false and @erin is on third.example.com")


def build():
    join_vectors()
    restricted_vectors()
    invite_vectors()
    leave_ban_vectors()
    knock_vectors()
