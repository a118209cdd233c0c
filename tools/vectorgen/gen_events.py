"""Event suites: content-hash, redact, event-id, sign-json, sign-event, verify-event."""
import copy

import mxcore as m
import rooms as R
import verifier
from common import test, vfile, spec, LIBS, SRC_HASH, SRC_REDACT, SRC_SIGN

ALL_RV = m.ROOM_VERSIONS + [m.HYDRA]
_ROOMS = {}


def room(rv):
    if rv not in _ROOMS:
        _ROOMS[rv] = R.Room(rv)
    return _ROOMS[rv]


def strip_sig(ev):
    e = copy.deepcopy(ev)
    e.pop("hashes", None)
    e.pop("signatures", None)
    return e


REDACTION_FRAGMENT = {
    1: "content/rooms/fragments/v1-redactions.md (room versions 1-5)",
    6: "content/rooms/fragments/v6-redactions.md (room versions 6-7)",
    8: "content/rooms/v8.md, Redactions",
    9: "content/rooms/fragments/v9-redactions.md (room versions 9-10)",
    11: "content/rooms/fragments/v11-redactions.md (room versions 11-12)",
}


def frag(rv):
    n = m.vnum(rv)
    k = 11 if n >= 11 else 9 if n >= 9 else 8 if n == 8 else 6 if n >= 6 else 1
    return REDACTION_FRAGMENT[k]


def hydra_note(rv):
    return (" org.matrix.hydra.11 is the pre-release identifier of room version 12 (MSC4304); "
            "same algorithms as 12." if rv == m.HYDRA else "")


# ===========================================================================
# content-hash
# ===========================================================================
def content_hash_files(appendix):
    T = []
    for rv in ALL_RV:
        r = room(rv)
        names = r.order if rv != m.HYDRA else ["create", "power-levels", "message"]
        for name in names:
            ev = r.events[name]
            T.append(test("content-hash/%s/%s" % (R.tag(rv), name),
                          "Content hash of the '%s' event of a generated room version %s room: SHA-256 of the "
                          "canonical JSON of the full event minus unsigned, signatures and hashes, unpadded "
                          "standard base64.%s" % (name, rv, hydra_note(rv)),
                          {"event": ev}, "valid", SRC_HASH, room_version=rv,
                          expected={"sha256": m.content_hash(ev)}))
        # the existing hashes value is ignored
        ev = copy.deepcopy(r.events["message"])
        ev["hashes"] = {"sha256": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "sha512": "ignored"}
        ev["unsigned"] = {"age": 99, "transaction_id": "m123"}
        T.append(test("content-hash/%s/ignores-hashes-signatures-unsigned" % R.tag(rv),
                      "The hashes, signatures and unsigned keys are removed before hashing, so a wrong "
                      "hashes value, an extra hash algorithm and different unsigned data do not change "
                      "the result (equals the hash of the untouched message event).",
                      {"event": ev}, "valid", SRC_HASH, room_version=rv,
                      expected={"sha256": m.content_hash(r.events["message"])}, flags=["edge-case"]))
        # floats in content
        ev = strip_sig(r.events["message"])
        ev["content"]["m.weight"] = 50.57
        ev["content"]["m.big"] = 12345678901234567890
        if m.vnum(rv) <= 5:
            T.append(test("content-hash/%s/float-and-big-int-content" % R.tag(rv),
                          "Room versions 1-5 must not enforce canonical JSON: a float (50.57) and an "
                          "integer beyond 2^53 are hashed as python canonicaljson writes them "
                          "(50.57, exact integer). Outside the spec's text (matrix-spec#1232); "
                          "gomatrixserverlib would keep the original literal (anchors D5).",
                          {"event": ev}, "valid", SRC_HASH, room_version=rv,
                          expected={"sha256": m.content_hash(ev)}, flags=["divergence", "edge-case"]))
        else:
            # One fault per test: the float alone, so the expected code is unambiguous.
            ev = strip_sig(r.events["message"])
            ev["content"]["m.weight"] = 50.57
            T.append(test("content-hash/%s/float-content-refused" % R.tag(rv),
                          "Room versions 6+ must enforce canonical JSON: content with a float has no "
                          "canonical form, so no content hash can be computed.",
                          {"event": ev}, "invalid", "hand-worked (rooms/v6 canonical JSON: MUST enforce)",
                          room_version=rv, expected={"error": "json.float_forbidden"}, flags=["edge-case"]))
            ev = strip_sig(r.events["message"])
            ev["content"]["m.big"] = 12345678901234567890
            T.append(test("content-hash/%s/big-int-content-refused" % R.tag(rv),
                          "Room versions 6+ must enforce canonical JSON: an integer beyond 2^53-1 has no "
                          "canonical form, so no content hash can be computed.",
                          {"event": ev}, "invalid", "hand-worked (rooms/v6 canonical JSON: MUST enforce)",
                          room_version=rv, expected={"error": "json.integer_out_of_range"},
                          flags=["edge-case"]))
    # spec appendix event-signing examples: the printed hashes.sha256
    ex = appendix["official"]["event_signing"]["cases"]
    S = []
    for i, rvs in ((0, [str(v) for v in range(3, 13)]), (1, ["1", "2"])):
        inp = copy.deepcopy(ex[i]["input"])
        want = ex[i]["expected_signed"]["hashes"]["sha256"]
        assert m.content_hash(inp) == want
        for rv in rvs:
            S.append(test("content-hash/spec/event-signing-example-%d/%s" % (i + 1, R.tag(rv)),
                          "The spec's Event Signing example %d: its printed hashes.sha256. The empty "
                          "hashes/signatures and unsigned.age_ts in the input are ignored. The content "
                          "hash does not depend on the room version." % (i + 1),
                          {"event": inp}, "valid", spec("content/appendices.md, Cryptographic Test Vectors > Event Signing"),
                          room_version=rv, expected={"sha256": want}, flags=["spec-example"]))
    tp = appendix["third_party"]["event_id_v3_vs_v4plus"]
    for rv in ("4", "10"):
        assert m.content_hash(tp["event"]) == tp["event"]["hashes"]["sha256"]
        S.append(test("content-hash/synapse/test-calculate-event-id/%s" % R.tag(rv),
                      "Event from Synapse's unit test test_calculate_event_id: the recomputed content hash "
                      "equals the hashes.sha256 that Synapse produced.",
                      {"event": tp["event"]}, "valid",
                      "element-hq/synapse@a58ad44 rust/src/events/utils.rs test_calculate_event_id; re-verified with " + SRC_HASH,
                      room_version=rv, expected={"sha256": tp["event"]["hashes"]["sha256"]}))
    refs = ["server-server API: Calculating the content hash for an event"]
    return {
        "content-hash/rooms.json": vfile("content-hash", "Content hashes of generated realistic events, every room version", refs, T),
        "content-hash/spec-appendix.json": vfile("content-hash", "Content hashes printed in the spec and in Synapse's tests", refs, S),
    }


# ===========================================================================
# redact
# ===========================================================================
def redact_fixtures(rv):
    """(name, event, what) -- events that exercise every line of the redaction rules."""
    r = room(rv)
    n = m.vnum(rv)
    F = []
    F.append(("create", r.events["create"],
              "m.room.create: v1-10 keep only content.creator; v11+ keep all content keys "
              "(room_version, m.federate, additional_creators...)."))
    ev = copy.deepcopy(r.events["create"])
    ev["content"]["creator"] = R.ALICE
    ev["content"]["predecessor"] = {"room_id": "!OldRoom:example.org", "event_id": "$tombstone:example.org"}
    F.append(("create-with-creator-and-predecessor", ev,
              "m.room.create with creator and predecessor: v1-10 keep creator only, v11+ keep everything."))
    F.append(("power-levels", r.events["power-levels"],
              "m.room.power_levels with invite and notifications: notifications is never kept; invite is "
              "kept only from v11; ban/events/events_default/kick/redact/state_default/users/users_default kept."))
    ev = copy.deepcopy(r.events["join-rules"])
    ev["content"] = {"join_rule": "restricted",
                     "allow": [{"type": "m.room_membership", "room_id": "!SpaceRoomXyZ:example.org"}],
                     "extra": "dropped"}
    F.append(("join-rules-allow", ev,
              "m.room.join_rules with allow: allow is kept from v8 (v8 fragment, v9, v11); join_rule always; "
              "other keys dropped."))
    ev = copy.deepcopy(r.events["alice-join"])
    ev["content"]["join_authorised_via_users_server"] = "@alice:example.org"
    ev["content"]["reason"] = "hello"
    F.append(("member-join-authorised", ev,
              "m.room.member with join_authorised_via_users_server: kept from v9 (not in v8: the known v8 "
              "redaction bug); membership always kept; displayname/avatar_url/reason dropped."))
    F.append(("member-3pid-invite", r.events["erin-3pid-invite"],
              "m.room.member invite with third_party_invite: v11+ keep third_party_invite reduced to its "
              "signed sub-key (display_name dropped); earlier versions drop third_party_invite."))
    F.append(("history-visibility", r.events["history-visibility"],
              "m.room.history_visibility keeps history_visibility in every version."))
    ev = strip_sig(r.events["history-visibility"])
    ev = R.sign_with(ev, rv, [R.A])
    ev["content"]["extra"] = True
    F.append(("history-visibility-extra-key", ev,
              "history_visibility with an extra content key: only history_visibility is kept."))
    ev = r.make("aliases", "m.room.aliases", R.ALICE, {"aliases": ["#room:example.org", "#alt:example.org"]},
                R.A, ["create", "power-levels", "alice-join"])
    F.append(("aliases", ev, "m.room.aliases: content.aliases kept in v1-5 only (removed from the list in v6)."))
    if n >= 11:
        F.append(("redaction", r.events["redaction"],
                  "m.room.redaction in v11+: redacts lives in content and is kept; reason dropped."))
        ev = copy.deepcopy(r.events["redaction"])
        ev["redacts"] = ev["content"]["redacts"]
        F.append(("redaction-with-top-level-redacts", ev,
                  "v11+ redaction that also carries a (pre-v11 style) top-level redacts: the top-level key "
                  "is not in the v11 list and is dropped; content.redacts is kept."))
    else:
        F.append(("redaction", r.events["redaction"],
                  "m.room.redaction in v1-10: the top-level redacts key is not in the kept list and is "
                  "dropped; content (reason) emptied."))
        ev = copy.deepcopy(r.events["redaction"])
        ev["content"]["redacts"] = r.ids["message"]
        F.append(("redaction-with-content-redacts", ev,
                  "v1-10 redaction with content.redacts (v11 style): content.redacts is not kept before v11."))
    ev = copy.deepcopy(r.events["message"])
    ev["origin"] = R.B
    ev["membership"] = "join"
    ev["prev_state"] = []
    ev["age_ts"] = R.TS0
    ev["unknown_top_level"] = {"x": 1}
    ev["unsigned"] = {"age": 5, "redacted_because": {"type": "m.room.redaction"}}
    F.append(("message-extra-top-level", ev,
              "m.room.message with top-level origin, membership, prev_state (kept in v1-10, dropped from "
              "v11), age_ts and an unknown key (always dropped), unsigned (always dropped); content emptied."))
    F.append(("message", r.events["message"], "Ordinary message: content emptied, unsigned dropped."))
    ev = r.make("topic", "m.room.topic", R.ALICE, {"topic": "Conformance vectors"}, "",
                ["create", "power-levels", "alice-join"])
    F.append(("topic", ev, "A state event type with no special rule: content emptied, state_key kept."))
    ev = m.redact(r.events["power-levels"], rv)
    F.append(("already-redacted-power-levels", ev, "Redaction is idempotent: an already-redacted event is unchanged."))
    ev = copy.deepcopy(r.events["bob-join"])
    ev["content"]["membership"] = {"not": "a string"}
    ev["content"]["third_party_invite"] = "not an object"
    F.append(("member-odd-values", ev,
              "Kept keys are copied whatever their value type (membership as an object); a non-object "
              "third_party_invite has no signed sub-key and is dropped in every version."))
    if n >= 7:
        F.append(("member-knock", r.events["dave-knock"], "Knock membership: only membership kept."))
    return F


def redact_files():
    groups = [("v1-v5", ["1", "2", "3", "4", "5"]), ("v6-v7", ["6", "7"]), ("v8", ["8"]),
              ("v9-v10", ["9", "10"]), ("v11-v12", ["11", "12", m.HYDRA])]
    out = {}
    for gname, rvs in groups:
        T = []
        for rv in rvs:
            for name, ev, what in redact_fixtures(rv):
                red = m.redact(ev, rv)
                T.append(test("redact/%s/%s" % (R.tag(rv), name),
                              "%s Room version %s uses %s.%s" % (what, rv, frag(rv), hydra_note(rv)),
                              {"event": ev}, "valid", SRC_REDACT + "; rule text: " + spec(frag(rv)),
                              room_version=rv, expected={"event": red}))
        out["redact/%s.json" % gname] = vfile(
            "redact", "Redaction algorithm, room version(s) %s" % ", ".join(rvs),
            ["client-server API: Redactions", frag(rvs[0])], T)
    _redact_spot_checks()
    return out


def _redact_spot_checks():
    """Hand-worked assertions, independent of the table-driven implementation."""
    for rv in m.ROOM_VERSIONS:
        n = int(rv)
        pl = m.redact(room(rv).events["power-levels"], rv)["content"]
        assert "notifications" not in pl and (("invite" in pl) == (n >= 11)), rv
        msg = m.redact(room(rv).events["message"], rv)
        assert msg["content"] == {} and "unsigned" not in msg
        assert ("origin" in msg) == (n <= 10)
        cr = m.redact(room(rv).events["create"], rv)["content"]
        assert (cr == room(rv).events["create"]["content"]) if n >= 11 else (cr == {"creator": R.ALICE})
        tp = m.redact(room(rv).events["erin-3pid-invite"], rv)["content"]
        assert (set(tp) == {"membership", "third_party_invite"}) if n >= 11 else (tp == {"membership": "invite"})


# ===========================================================================
# event-id
# ===========================================================================
def event_id_files(appendix):
    T = []
    for rv in ALL_RV:
        r = room(rv)
        n = m.vnum(rv)
        names = r.order if rv != m.HYDRA else ["create", "message", "redaction"]
        for name in names:
            ev = r.events[name]
            if n <= 2:
                exp = {"reference_hash": m.reference_hash(ev, rv)}
                what = ("Room versions 1-2 carry an opaque event_id; only the reference hash (used in "
                        "prev_events/auth_events pairs) is computed.")
            else:
                exp = {"event_id": m.event_id(ev, rv)}
                what = ("Event ID = '$' + unpadded %s base64 of the reference hash (redact, drop signatures "
                        "and unsigned, canonical JSON, SHA-256)." % ("standard" if n == 3 else "URL-safe"))
            T.append(test("event-id/%s/%s" % (R.tag(rv), name),
                          "'%s' event of a generated room version %s room. %s%s" % (name, rv, what, hydra_note(rv)),
                          {"event": ev}, "valid", SRC_HASH + " + " + SRC_REDACT, room_version=rv, expected=exp))
        # redacted copy and copy with different unsigned give the same id
        ev = m.redact(r.events["message"], rv)
        key = "reference_hash" if n <= 2 else "event_id"
        val = m.reference_hash(r.events["message"], rv) if n <= 2 else m.event_id(r.events["message"], rv)
        assert (m.reference_hash(ev, rv) if n <= 2 else m.event_id(ev, rv)) == val
        T.append(test("event-id/%s/redacted-copy-same-id" % R.tag(rv),
                      "The redacted copy of the message event has the same %s as the full event: the "
                      "reference hash is computed over the redacted form, which keeps hashes." % key.replace("_", " "),
                      {"event": ev}, "valid", SRC_HASH + " + " + SRC_REDACT, room_version=rv, expected={key: val},
                      flags=["edge-case"]))
        ev = copy.deepcopy(r.events["message"])
        ev["unsigned"] = {"age": 777777}
        ev["signatures"][R.C] = {"ed25519:x": "c2lnbmF0dXJl"}
        T.append(test("event-id/%s/unsigned-and-signatures-ignored" % R.tag(rv),
                      "unsigned and signatures (even an extra, bogus signature) do not enter the reference hash.",
                      {"event": ev}, "valid", SRC_HASH + " + " + SRC_REDACT, room_version=rv, expected={key: val},
                      flags=["edge-case"]))
        if n >= 12:
            T.append(test("event-id/%s/room-id-from-create" % R.tag(rv),
                          "Version 12: the room's ID (%s) is '!' + the create event's ID without '$'; the create "
                          "event has no room_id. Every other event of this room uses that room_id." % r.room_id,
                          {"event": r.events["create"]}, "valid", SRC_HASH + " + " + SRC_REDACT, room_version=rv,
                          expected={"event_id": "$" + r.room_id[1:]}))
    # v3 alphabet check: find a room event whose hash contains + or /
    S = []
    tp = appendix["third_party"]["event_id_v3_vs_v4plus"]
    src_tp = ("element-hq/synapse@a58ad44 rust/src/events/utils.rs test_calculate_event_id "
              "(re-verified with %s)" % SRC_HASH)
    for rv, want, s in (("3", tp["expected_event_id_room_v3"], src_tp),
                        ("4", tp["expected_event_id_room_v4_to_v10"], src_tp),
                        ("10", tp["expected_event_id_room_v4_to_v10"], src_tp),
                        ("11", tp["derived_event_id_room_v11_v12_redaction"], SRC_HASH + " + " + SRC_REDACT),
                        ("12", tp["derived_event_id_room_v11_v12_redaction"], SRC_HASH + " + " + SRC_REDACT)):
        assert m.event_id(tp["event"], rv) == want, rv
        S.append(test("event-id/synapse/test-calculate-event-id/%s" % R.tag(rv),
                      "Synapse's test event (ID contains '/' in v3 = standard base64, '_' in v4+ = URL-safe). "
                      "For v11/v12 the event still carries top-level origin, which v11 redaction drops, so "
                      "the ID differs from v4-10 (value derived, not from Synapse's test).",
                      {"event": tp["event"]}, "valid", s, room_version=rv, expected={"event_id": want},
                      flags=["regression"] if int(rv) <= 10 else ["edge-case"]))
    d = appendix["derived"]
    ex = appendix["official"]["event_signing"]["cases"][0]["expected_signed"]
    for rv, want in (("3", d["official_event_case_1"]["event_id_if_treated_as_v3_event"]),
                     ("4", d["official_event_case_1"]["event_id_if_treated_as_v4_to_v10_event"]),
                     ("11", d["official_event_case_1"]["event_id_if_treated_as_v11_event"])):
        assert m.event_id(ex, rv) == want
        S.append(test("event-id/spec-signed-example-1/%s" % R.tag(rv),
                      "Event ID of the spec's signed Event Signing example 1 (the spec prints no ID; value "
                      "computed). In v11 origin is dropped by redaction, so the ID changes.",
                      {"event": ex}, "valid", SRC_HASH + " + " + SRC_REDACT, room_version=rv,
                      expected={"event_id": want}))
    v12 = d["v12_create_event"]
    assert m.event_id(v12["signed_with_official_key"], "12") == v12["event_id"]
    S.append(test("event-id/v12/derived-create-event",
                  "A minimal signed v12 create event; its ID gives the room ID %s." % v12["room_id"],
                  {"event": v12["signed_with_official_key"]}, "valid", SRC_HASH + " + " + SRC_REDACT,
                  room_version="12", expected={"event_id": v12["event_id"]}))
    refs = ["server-server API: Calculating the reference hash for an event", "rooms/v3: Event IDs",
            "rooms/fragments/v4-event-ids", "rooms/v12: room IDs"]
    return {"event-id/rooms.json": vfile("event-id", "Event IDs / reference hashes of generated events, every room version", refs, T),
            "event-id/third-party.json": vfile("event-id", "Event IDs from Synapse's unit test and the spec's signed example", refs, S)}


# ===========================================================================
# sign-json
# ===========================================================================
def sign_json_files(appendix):
    T = []
    js = appendix["official"]["json_signing"]["cases"]
    for i, c in enumerate(js):
        got = m.sign_json(c["input"], R.SPEC_KEY)
        assert got == c["expected_signed"]
        for rv in m.ROOM_VERSIONS + [m.HYDRA]:
            T.append(test("sign-json/spec/example-%d/v%s" % (i + 1, rv),
                          "The spec's JSON Signing example %d with the appendix signing key (seed %s, server "
                          "'domain', key ed25519:1). JSON signing does not depend on the room version (the "
                          "format requires one; it only selects the number policy, irrelevant here)."
                          % (i + 1, m.SPEC_SEED),
                          {"json": c["input"], "signing_key": R.SPEC_KEY.as_input()}, "valid",
                          spec("content/appendices.md, Cryptographic Test Vectors > JSON Signing"),
                          room_version=rv, expected={"json": c["expected_signed"]}, flags=["spec-example"]))
    objs = [
        ("nested-unicode", R.SPEC_KEY, {"b": {"y": [1, {"z": "\u65e5\u672c"}], "x": None}, "a": "caf\u00e9 \U0001F600",
                                        "ctl": "tab\tnl\n", "bool": [True, False]}),
        ("keeps-unsigned", R.SPEC_KEY, {"one": 1, "unsigned": {"age_ts": 922834800000}}),
        ("keeps-other-signatures", R.SPEC_KEY, {"one": 1, "signatures": {"other.example": {"ed25519:zz": "b3RoZXI"}}}),
        ("adds-second-key-same-server", R.SPEC_KEY, m.sign_json({"two": "Two"}, m.Key("domain", "ed25519:2", m.b64(bytes(range(32)))))),
        ("server-key-object", R.KEYS[R.A], {"server_name": R.A, "valid_until_ts": 1752000000000,
                                             "verify_keys": {R.KEYS[R.A].key_id: {"key": R.KEYS[R.A].public}},
                                             "old_verify_keys": {}}),
        ("integer-edges", R.KEYS[R.B], {"max": m.MAX_SAFE, "min": -m.MAX_SAFE, "zero": 0}),
        ("empty-key-and-escapes", R.KEYS[R.C], {"": "", "k\"q": "\\", "\u007f": "\u2028"}),
        ("top-level-key-order", R.KEYS[R.C], {"\ue000": 1, "\U0001F600": 2, "Z": 3, "a": 4}),
    ]
    for name, key, obj in objs:
        T.append(test("sign-json/%s" % name,
                      "sign_json with server %s, key %s: signs the canonical JSON of the object without "
                      "signatures/unsigned and adds signatures[server][key_id]; existing signatures "
                      "(from other servers or other key IDs) and unsigned are kept. Only integers within "
                      "+-(2^53-1), so the result is the same in every room version." % (key.server, key.key_id),
                      {"json": obj, "signing_key": key.as_input()}, "valid", SRC_SIGN, room_version="12",
                      expected={"json": m.sign_json(obj, key)}))
    refs = ["appendices: Signing JSON", "appendices: Cryptographic Test Vectors"]
    return {"sign-json/signing.json": vfile("sign-json", "Signing JSON objects (spec examples and more)", refs, T)}


# ===========================================================================
# sign-event
# ===========================================================================
def sign_event_files(appendix):
    T = []
    for rv in ALL_RV:
        r = room(rv)
        n = m.vnum(rv)
        names = [x for x in r.order if x not in ("carol-restricted-join", "erin-3pid-invite")]
        if rv == m.HYDRA:
            names = ["create", "power-levels", "message"]
        for name in names:
            ev = strip_sig(r.events[name])
            key = R.KEYS[R.server_of(ev["sender"])]
            out = m.sign_event(ev, key, rv)
            assert out == r.events[name] or name == "message" and out == r.events[name]
            T.append(test("sign-event/%s/%s" % (R.tag(rv), name),
                          "Sign the '%s' event of a room version %s room as its sender's server %s: add "
                          "hashes.sha256, sign the %s-redacted form, copy signatures back (unsigned kept, "
                          "not signed).%s" % (name, rv, key.server, frag(rv), hydra_note(rv)),
                          {"event": ev, "signing_key": key.as_input()}, "valid", SRC_SIGN + " + " + SRC_REDACT,
                          room_version=rv, expected={"event": out}))
        # same event signed with the spec key: show v1-10 vs v11 difference
        ev = strip_sig(r.events["message"])
        if n >= 11:
            ev["origin"] = R.B
            T.append(test("sign-event/%s/origin-not-signed" % R.tag(rv),
                          "A v11+ event that still carries top-level origin: v11 redaction drops origin, so "
                          "the signature does not cover it (it differs from the v1-10 signature of the same "
                          "event); origin stays in the output event.",
                          {"event": ev, "signing_key": R.KEYS[R.B].as_input()}, "valid", SRC_SIGN + " + " + SRC_REDACT,
                          room_version=rv, expected={"event": m.sign_event(ev, R.KEYS[R.B], rv)}, flags=["edge-case"]))
    ex = appendix["official"]["event_signing"]["cases"]
    d = appendix["derived"]["official_event_case_1"]
    S = []
    for i, rvs in ((0, [str(v) for v in range(1, 13)] + [m.HYDRA]), (1, ["1", "2"])):
        inp = strip_sig(ex[i]["input"])
        for rv in rvs:
            out = m.sign_event(inp, R.SPEC_KEY, rv)
            if m.vnum(rv) <= 10:
                assert out == ex[i]["expected_signed"]
                S.append(test("sign-event/spec/event-signing-example-%d/%s" % (i + 1, R.tag(rv)),
                              "The spec's Event Signing example %d (input's empty hashes/signatures omitted; "
                              "they are not signed anyway). The spec's expected output uses the v1-10 redaction "
                              "(top-level origin kept), which applies to room version %s." % (i + 1, rv),
                              {"event": inp, "signing_key": R.SPEC_KEY.as_input()}, "valid",
                              spec("content/appendices.md, Cryptographic Test Vectors > Event Signing"),
                              room_version=rv, expected={"event": ex[i]["expected_signed"]}, flags=["spec-example"]))
            else:
                assert out["signatures"]["domain"]["ed25519:1"] == d["signature_with_v11_v12_redaction (origin stripped)"]
                S.append(test("sign-event/spec/event-signing-example-1/%s" % R.tag(rv),
                              "The spec's Event Signing example 1 in room version %s: v11 redaction drops "
                              "top-level origin, so the signature differs from the spec's printed value "
                              "(computed, not from the spec)." % rv,
                              {"event": inp, "signing_key": R.SPEC_KEY.as_input()}, "valid", SRC_SIGN + " + " + SRC_REDACT,
                              room_version=rv, expected={"event": out}, flags=["edge-case"]))
    refs = ["server-server API: Signing Events", "appendices: Signing JSON"]
    return {"sign-event/rooms.json": vfile("sign-event", "Signing generated events, every room version", refs, T),
            "sign-event/spec-appendix.json": vfile("sign-event", "The spec's Event Signing examples across room versions", refs, S)}


# ===========================================================================
# verify-event
# ===========================================================================
VSRC = ("hand-worked verdict (case constructed to have exactly the fault named in the comment); signatures and "
        "hashes by " + LIBS + "; verdict cross-checked with tools/vectorgen/verifier.py")


def _vt(T, rv, name, ev, keys, want, comment, flags=None):
    got = verifier.verify(ev, rv, keys)
    if got != want:
        raise AssertionError("verify-event %s/%s: constructed %s, verifier says %s" % (rv, name, want, got))
    T.append(test("verify-event/%s/%s" % (R.tag(rv), name), comment + hydra_note(rv),
                  {"event": ev, "server_keys": keys}, "valid" if want is None else "invalid", VSRC,
                  room_version=rv, expected=None if want is None else {"error": want}, flags=flags))


ALLKEYS = None


def verify_files():
    global ALLKEYS
    ALLKEYS = R.server_keys(R.A, R.B, R.C)
    V, S, F, Z = [], [], [], []
    for rv in ALL_RV:
        r = room(rv)
        n = m.vnum(rv)
        hyd = rv == m.HYDRA
        # ---- valid events
        for name in (r.order if not hyd else ["create", "power-levels", "message", "redaction"]):
            ev = r.events[name]
            _vt(V, rv, "ok/" + name, ev, ALLKEYS, None,
                "Correctly hashed and signed '%s' event of a room version %s room; required signers: %s." % (
                    name, rv, ", ".join(verifier.required_signers(ev, rv))))
        msg = r.events["message"]
        _vt(V, rv, "ok/extra-unknown-signature", _add_sig(msg, R.C, "ed25519:unknown", "AAAA"), ALLKEYS, None,
            "An extra signature from a non-required server under an unknown key is ignored.", ["edge-case"])
        if n >= 11:
            red = m.redact(r.events["create"], rv)
            _vt(V, rv, "ok/redacted-create-v11", red, ALLKEYS, None,
                "v11+ redaction keeps the whole create content (and the event has no origin), so the redacted copy "
                "of the create event still matches its content hash and signature.", ["edge-case"])
        # ---- signature failures
        ev = copy.deepcopy(msg)
        ev["content"]["body"] = "tampered"
        _vt(S, rv, "hash-mismatch/message-body", ev, ALLKEYS, "hash.mismatch",
            "content.body changed after signing: body is not in the redacted form, so the signature still "
            "verifies, but the content hash differs. (The spec tells a receiving server to keep only the "
            "redacted copy in this case; for this suite it is an invalid event.)")
        red = m.redact(msg, rv)
        _vt(S, rv, "hash-mismatch/redacted-copy", red, ALLKEYS, "hash.mismatch",
            "The redacted copy of a message: signatures verify (they cover the redacted form) but the content "
            "hash no longer matches; per spec the server keeps the redacted copy, here it is reported as hash.mismatch.",
            ["edge-case"])
        ev = copy.deepcopy(msg)
        ev["origin_server_ts"] += 1
        _vt(S, rv, "signature-bad/origin-server-ts", ev, ALLKEYS, "signature.bad",
            "origin_server_ts changed after signing: it is in the redacted form, so the signature fails "
            "(checked before the hash).")
        ev = copy.deepcopy(r.events["power-levels"])
        ev["content"]["users"][R.CAROL] = 100
        _vt(S, rv, "signature-bad/pl-users", ev, ALLKEYS, "signature.bad",
            "power_levels content.users changed after signing: users survives redaction, so the signature fails.")
        ev = copy.deepcopy(msg)
        sig = ev["signatures"][R.B][R.KEYS[R.B].key_id]
        ev["signatures"][R.B][R.KEYS[R.B].key_id] = ("B" if sig[0] != "B" else "C") + sig[1:]
        _vt(S, rv, "signature-bad/flipped-signature", ev, ALLKEYS, "signature.bad",
            "First character of the signature changed.")
        ev = strip_sig(msg)
        ev["origin"] = R.B
        ev = R.sign_with(ev, "10" if n >= 11 else "11", [R.B])
        if True:
            _vt(S, rv, "signature-bad/wrong-redaction-algorithm", ev, ALLKEYS, "signature.bad",
                "Signed over the redacted form of the wrong room-version family (%s): the v1-10 form keeps "
                "top-level origin and the v11 form drops it, so the signature does not verify under room version %s."
                % ("v1-10" if n >= 11 else "v11", rv), ["edge-case"])
        ev = copy.deepcopy(msg)
        del ev["signatures"][R.B]
        ev = R.sign_with(ev, rv, [R.C], rehash=False)
        _vt(S, rv, "signature-missing/sender-server", ev, ALLKEYS, "signature.missing",
            "Signed by third.example.com only; the sender's server remote.example.net has no signature.")
        _vt(S, rv, "signature-unknown-key/sender-key-not-given", msg,
            {R.B: {"ed25519:rotated": R.KEYS[R.C].public}, R.A: ALLKEYS[R.A]}, "signature.unknown_key",
            "The sender's server signed with %s, but server_keys only knows another key ID for it. The spec says "
            "signatures from unknown keys are skipped; with no verifiable signature left from a required "
            "server, 'Checking for a Signature' fails." % R.KEYS[R.B].key_id)
        if n <= 2:
            ev = copy.deepcopy(strip_sig(msg))
            ev["event_id"] = "$Dm3Qv8RelayedEv:" + R.C
            ok = R.sign_with(ev, rv, [R.B, R.C])
            _vt(S, rv, "ok/event-id-domain-signed", ok, ALLKEYS, None,
                "v1-2: event_id domain third.example.com differs from the sender's server; both signed.")
            bad = R.sign_with(ev, rv, [R.B])
            _vt(S, rv, "signature-missing/event-id-domain", bad, ALLKEYS, "signature.missing",
                "v1-2 also require a signature from the server in event_id (third.example.com) when it differs "
                "from the sender's server (server-server API, Validating hashes and signatures).")
        if n >= 8:
            ev = r.events["carol-restricted-join"]
            one = R.sign_with(strip_sig(ev), rv, [R.C])
            _vt(S, rv, "signature-missing/join-authorised-via", one, ALLKEYS, "signature.missing",
                "Restricted join with join_authorised_via_users_server %s, signed only by the joining server: "
                "v8+ auth rules also require the authorising user's server signature." % R.ALICE)
        if n <= 7:
            ev = r.make("carol-join-pre-v8", "m.room.member", R.CAROL,
                        {"membership": "join", "join_authorised_via_users_server": R.ALICE}, R.CAROL,
                        ["create", "power-levels", "join-rules"], signers=[R.C])
            r_ev = ev
            _vt(S, rv, "ok/join-authorised-via-ignored-before-v8", r_ev, ALLKEYS, None,
                "join_authorised_via_users_server has no meaning before v8, so no extra signature is required.",
                ["edge-case"])
        ev = strip_sig(r.events["erin-3pid-invite"])
        if n <= 2:
            ev["event_id"] = "$Pq7Ex3pidInv:" + R.C
        only_c = R.sign_with(ev, rv, [R.C])
        _vt(S, rv, "ok/3pid-invite-without-sender-signature", only_c, ALLKEYS, None,
            "m.room.member invite with content.third_party_invite, sent by %s but signed only by third.example.com. "
            "server-server API 'Validating hashes and signatures on received events': 'For room versions 3 and "
            "later, unless the event is a 3rd party invite, only the signature(s) from the originating server ... "
            "are required' and 'If the event is a 3rd party invite, the sender must already match the 3rd party "
            "invite, and the server which actually sends the event may be a different server.' The text does "
            "not say which signature replaces the sender's; mxstate follows Synapse (_is_invite_via_3pid): the "
            "sender's server signature is not required.%s" % (
                R.ALICE, " v1-2 still require the event_id domain (example.org here) to sign, so this case "
                "uses an event_id on third.example.com." if n <= 2 else ""), ["edge-case"])
        # ---- format
        _format_cases(F, r, rv)
        if rv in ("1", "3", "6", "10", "11", "12"):
            _size_cases(Z, r, rv)
    refs = ["server-server API: Validating hashes and signatures on received events",
            "server-server API: Checks performed on receipt of a PDU", "appendices: Checking for a Signature",
            "client-server API: Size limits"]
    return {"verify-event/valid.json": vfile("verify-event", "Correctly hashed and signed events, every room version", refs, V),
            "verify-event/signatures.json": vfile("verify-event", "Signature and hash failures, required signers", refs, S),
            "verify-event/format.json": vfile("verify-event", "PDU format checks", refs, F),
            "verify-event/size-limits.json": vfile("verify-event", "Event size limit (65536 bytes)", refs, Z)}


def _add_sig(ev, srv, kid, sig):
    e = copy.deepcopy(ev)
    e["signatures"].setdefault(srv, {})[kid] = sig
    return e


def _resign(ev, rv, signers=None, rehash=True):
    signers = signers or [R.server_of(ev["sender"])] if isinstance(ev.get("sender"), str) else signers
    if m.vnum(rv) <= 2 and isinstance(ev.get("event_id"), str):
        d = ev["event_id"].split(":", 1)[1]
        if d not in signers:
            signers = signers + [d]
    return R.sign_with(ev, rv, signers, rehash=rehash)


def _format_cases(F, r, rv):
    n = m.vnum(rv)
    base = strip_sig(r.events["message"])
    base.pop("unsigned", None)

    def add(name, ev, want, comment, flags=None, signers=None, rehash=True):
        _vt(F, rv, "format/" + name, _resign(ev, rv, signers or [R.B], rehash), ALLKEYS, want,
            comment + " Otherwise correctly hashed and signed.", flags)

    if n >= 3:
        ev = copy.deepcopy(base)
        ev["event_id"] = m.event_id(r.events["message"], rv)
        add("unexpected-event-id", ev, "event.unexpected_event_id",
            "v3+ PDUs carry no event_id (it is derived from the reference hash); one that does is refused (as Synapse does).")
    else:
        ev = copy.deepcopy(base)
        del ev["event_id"]
        add("missing-event-id", ev, "event.missing_field", "v1-2 PDUs must carry event_id (pdu_v1.yaml).")
        ev = copy.deepcopy(base)
        ev["prev_events"] = [ev["prev_events"][0][0]]
        add("v3-style-prev-events", ev, "event.bad_type",
            "v1-2 prev_events must be [event_id, {sha256}] pairs; a plain list of IDs is the wrong shape.")
    if n >= 3:
        ev = copy.deepcopy(base)
        ev["auth_events"] = [[x, {"sha256": "AAAA"}] for x in ev["auth_events"]]
        add("v1-style-auth-events", ev, "event.bad_type",
            "v3+ auth_events are plain event-ID strings; v1-style pairs are the wrong shape.")
    if n >= 12:
        ev = strip_sig(r.events["create"])
        ev["room_id"] = r.room_id
        _vt(F, rv, "format/create-has-room-id", _resign(ev, rv, [R.A]), ALLKEYS, "event.create_has_room_id",
            "Version 12 create events must not carry room_id (the room ID is derived from the create event's ID).")
        ev = strip_sig(r.events["message"])
        ev.pop("unsigned", None)
        del ev["room_id"]
        add("missing-room-id-non-create", ev, "event.missing_field",
            "Only the v12 create event may omit room_id.")
    else:
        ev = copy.deepcopy(base)
        del ev["room_id"]
        add("missing-room-id", ev, "event.missing_field", "room_id is required before v12.")
    for fld in ("depth", "origin_server_ts", "content", "prev_events", "auth_events", "sender"):
        if fld == "sender" and n % 3 != 0:
            continue
        ev = copy.deepcopy(base)
        del ev[fld]
        add("missing-" + fld.replace("_", "-"), ev, "event.missing_field",
            "Required PDU field %s removed." % fld, signers=[R.B])
    ev = copy.deepcopy(base)
    ev.pop("hashes", None)
    add("missing-hashes", ev, "event.missing_field", "No hashes field (signed without it).", rehash=False)
    ev = copy.deepcopy(base)
    ev["depth"] = str(ev["depth"])
    add("depth-as-string", ev, "event.bad_type", "depth given as a string.")
    ev = copy.deepcopy(base)
    ev["origin_server_ts"] = str(ev["origin_server_ts"])
    add("origin-server-ts-as-string", ev, "event.bad_type", "origin_server_ts given as a string.")
    ev = copy.deepcopy(base)
    ev["depth"] = 2 ** 63 - 1 if n <= 5 else 2 ** 53 - 1
    add("depth-at-the-limit", ev, None,
        "depth %s, the limit itself: the PDU schema (%s) says depth must be less than it, but also that "
        "'if the room's depth is already at the limit, the depth must be set to the limit', so the limit "
        "is allowed." % ("2^63-1" if n <= 5 else "2^53-1",
                         "pdu_v1.yaml" if n <= 5 else "components/depth_v6.yaml"), ["edge-case"])
    ev = copy.deepcopy(base)
    ev["depth"] = -1
    add("depth-negative", ev, "event.bad_depth",
        "depth -1: the schema defines depth as the maximum depth of prev_events plus one, which is never "
        "negative (mxstate's reading; Synapse also refuses it).")
    ev = copy.deepcopy(base)
    ev["origin"] = 7
    add("origin-as-number", ev, None,
        "Top-level origin given as a number: origin left the PDU schemas in spec v1.3 (changelog v1.3: "
        "'Remove largely unused origin field from PDUs'), so it is only an extra key and any value passes.",
        ["edge-case"])
    ev = copy.deepcopy(base)
    ev["redacts"] = 5
    if n <= 10:
        add("redacts-as-number", ev, "event.bad_type",
            "Top-level redacts given as a number: pdu_v1/v3/v4/v6.yaml type it as a string, and an event "
            "that does not comply with its room version's event format is dropped (checks on receipt, 1).")
    else:
        add("top-level-redacts-as-number", ev, None,
            "Top-level redacts given as a number: v11 moved redacts into content and pdu_v11/v12.yaml have "
            "no top-level redacts, so it is only an extra key.", ["edge-case"])
    ev = copy.deepcopy(base)
    ev["content"] = ["not", "an", "object"]
    add("content-as-array", ev, "event.bad_type", "content given as an array.")
    ev = copy.deepcopy(base)
    ev["type"] = 7
    add("type-as-number", ev, "event.bad_type", "type given as a number.")
    ev = copy.deepcopy(base)
    ev["auth_events"] = (ev["auth_events"] * 4)[:11] if ev["auth_events"] else []
    ev["auth_events"] = [_fake_ref(n, i) for i in range(11)]
    add("eleven-auth-events", ev, "event.too_many_auth_events", "11 auth_events (limit 10).")
    ev = copy.deepcopy(base)
    ev["auth_events"] = [_fake_ref(n, i) for i in range(10)]
    add("ten-auth-events", ev, None, "Exactly 10 auth_events: at the limit, accepted by the format check.",
        ["edge-case"])
    ev = copy.deepcopy(base)
    ev["prev_events"] = [_fake_ref(n, 100 + i) for i in range(21)]
    add("twenty-one-prev-events", ev, "event.too_many_prev_events", "21 prev_events (limit 20).",
        ["divergence"] if False else None)
    ev = copy.deepcopy(base)
    ev["prev_events"] = [_fake_ref(n, 100 + i) for i in range(20)]
    add("twenty-prev-events", ev, None, "Exactly 20 prev_events: at the limit.", ["edge-case"])
    # lengths
    ev = copy.deepcopy(base)
    ev["type"] = "m." + "x" * 254
    add("type-256-bytes", ev, "event.id_too_long", "type is 256 bytes (limit 255).")
    ev = copy.deepcopy(base)
    ev["type"] = "m." + "x" * 253
    add("type-255-bytes", ev, None, "type is exactly 255 bytes: allowed.", ["edge-case"])
    ev = copy.deepcopy(base)
    ev["type"] = "m.room.topic"
    ev["state_key"] = "\u00e9" * 128
    add("state-key-256-bytes-128-code-points", ev, "event.id_too_long",
        "state_key of 128 x U+00E9 = 256 UTF-8 bytes but only 128 code points: the limit is in bytes. "
        "Divergence D8: Synapse counts bytes strictly only from v11 (earlier: stored as rejected), "
        "gomatrixserverlib marks it rejected in all versions, ruma drops it.", ["divergence"])
    ev = copy.deepcopy(base)
    ev["sender"] = "@" + "b" * (256 - 1 - 1 - len(R.B)) + ":" + R.B
    add("sender-256-bytes", ev, "event.id_too_long", "sender user ID of 256 bytes (sigil and domain counted).")
    if n < 12:
        ev = copy.deepcopy(base)
        ev["room_id"] = "!" + "r" * (256 - 1 - 1 - len(R.A)) + ":" + R.A
        add("room-id-256-bytes", ev, "event.id_too_long", "room_id of 256 bytes.")
    if n >= 6:
        ev = copy.deepcopy(base)
        ev["content"]["m.weight"] = 1.5
        add("float-in-content", ev, "json.float_forbidden",
            "A float in content: v6+ must enforce canonical JSON (integers only); such an event is dropped.")
        ev = copy.deepcopy(base)
        ev["content"]["m.count"] = 2 ** 53
        add("int-out-of-range-in-content", ev, "json.integer_out_of_range",
            "Integer 2^53 in content: outside [-(2^53-1), 2^53-1], which v6+ must enforce.")
    else:
        ev = copy.deepcopy(base)
        ev["content"]["m.weight"] = 1.5
        ev["content"]["m.count"] = 2 ** 53
        add("float-in-content-allowed", ev, None,
            "v1-5 must not enforce canonical JSON: a float (1.5) and a big integer (2^53) in content are accepted; "
            "the hash and signature are computed over python canonicaljson's output (1.5, 9007199254740992).",
            ["divergence", "edge-case"])


def _fake_ref(n, i):
    import hashlib
    h = m.b64url(hashlib.sha256(b"fake-event-%d" % i).digest())
    if n <= 2:
        return ["$fake%d:%s" % (i, R.C), {"sha256": m.b64(hashlib.sha256(b"fake-%d" % i).digest())}]
    return "$" + h


def _size_cases(Z, r, rv):
    base = strip_sig(r.events["message"])
    base.pop("unsigned", None)

    def sized(total):
        L = 60000
        for _ in range(5):
            ev = copy.deepcopy(base)
            ev["content"]["body"] = "x" * L
            ev = _resign(ev, rv, [R.B])
            L += total - len(m.cj(ev))
        assert len(m.cj(ev)) == total
        return ev
    _vt(Z, rv, "size/exactly-65536", sized(65536), ALLKEYS, None,
        "Canonical JSON of the whole event (signatures included) is exactly 65536 bytes: allowed. Divergence D7: "
        "the ruma family rejects > 65535.", ["divergence", "edge-case"])
    _vt(Z, rv, "size/65537", sized(65537), ALLKEYS, "event.too_large",
        "Canonical JSON of the whole event is 65537 bytes: over the 65536-byte limit.", ["edge-case"])


def build(appendix):
    out = {}
    out.update(content_hash_files(appendix))
    out.update(redact_files())
    out.update(event_id_files(appendix))
    out.update(sign_json_files(appendix))
    out.update(sign_event_files(appendix))
    out.update(verify_files())
    return out
