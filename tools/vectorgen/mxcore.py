"""Independent reference computations for the mxstate conformance corpus.

Everything here is written from the Matrix specification text (matrix-org/matrix-spec,
commit d0ba2aaef801e0134a4e5c6054a2c2f41bb55531) and uses only well-known third-party
libraries for the primitives:

  * python3-canonicaljson 1.6.2  -> canonical JSON bytes (encode_canonical_json)
  * python3-signedjson 1.1.1      -> Ed25519 JSON signing (sign_json), key handling
  * python3-nacl 1.5.0            -> Ed25519 keys / verification
  * hashlib                       -> SHA-256

Nothing here is derived from mxstate's own code or output.
"""
import base64
import copy
import hashlib
import json
import re

import canonicaljson
import nacl.signing
import signedjson.key
import signedjson.sign

MAX_SAFE = 2 ** 53 - 1
MAX_DEPTH = 128

# ---------------------------------------------------------------------------
# Room versions
# ---------------------------------------------------------------------------
ROOM_VERSIONS = [str(i) for i in range(1, 13)]
HYDRA = "org.matrix.hydra.11"


def vnum(rv):
    """Numeric rules level of a room version (org.matrix.hydra.11 == 12's rules)."""
    if rv == HYDRA:
        return 12
    return int(rv)


def number_policy(rv):
    """'generic' (no room_version), 'lenient' (v1-5, MUST NOT enforce) or 'strict' (v6+)."""
    if rv is None:
        return "generic"
    return "lenient" if vnum(rv) <= 5 else "strict"


# ---------------------------------------------------------------------------
# Base64 (appendices.md, "Unpadded Base64")
# ---------------------------------------------------------------------------
def b64(data):
    return base64.b64encode(data).decode("ascii").rstrip("=")


def b64url(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(s):
    s = s.replace("-", "+").replace("_", "/")
    return base64.b64decode(s + "=" * (-len(s) % 4))


# ---------------------------------------------------------------------------
# Strict JSON reading with the mxstate number policies
# ---------------------------------------------------------------------------
class JsonError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code  # None when no specific error code applies


class _Num:
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def _dup_hook(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise JsonError("json.duplicate_key", "duplicate key %r" % k)
        seen.add(k)
    return dict(pairs)


def _bad_constant(name):
    raise JsonError(None, "non-JSON constant %s" % name)


_INT_SYNTAX = re.compile(r"-?(0|[1-9][0-9]*)\Z")


def _convert_number(text, policy):
    if policy == "lenient":
        # Whatever python's json.loads would produce: int for integer syntax, float otherwise.
        if _INT_SYNTAX.match(text):
            return int(text)
        f = float(text)
        if f in (float("inf"), float("-inf")):
            raise JsonError(None, "number %s overflows a double (no JSON representation)" % text)
        return f
    if policy == "strict":
        if not _INT_SYNTAX.match(text):
            raise JsonError("json.float_forbidden", "non-integer syntax %s" % text)
        v = int(text)
        if abs(v) > MAX_SAFE:
            raise JsonError("json.integer_out_of_range", "integer %s out of range" % text)
        return v
    # generic: exact mathematical value must be an integer in range. Exact arithmetic on the
    # literal (sign, digits, exponent) -- no floating point, no exponent-size limits.
    mt = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([-+]?[0-9]+))?", text)
    sign, ip, fp, ex = mt.group(1), mt.group(2), mt.group(3) or "", int(mt.group(4) or "0")
    digits = (ip + fp).lstrip("0")
    exp = ex - len(fp)
    if not digits:
        return 0  # any spelling of zero, including -0, -0.0, 0e5
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    digits = stripped
    if exp < 0:
        raise JsonError("json.float_forbidden", "non-integral value %s" % text)
    if len(digits) + exp > 16:
        raise JsonError("json.integer_out_of_range", "value %s out of range" % text)
    v = int(digits) * 10 ** exp
    if v > MAX_SAFE:
        raise JsonError("json.integer_out_of_range", "value %s out of range" % text)
    return -v if sign else v


def _has_surrogate(s):
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def _max_depth(text):
    """Maximum container nesting depth of a JSON text (string-aware scan)."""
    depth = best = 0
    in_str = esc = False
    for c in text:
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "[{":
            depth += 1
            best = max(best, depth)
        elif c in "]}":
            depth -= 1
    return best


def _walk(v, policy, depth):
    if isinstance(v, _Num):
        return _convert_number(v.text, policy)
    if isinstance(v, str):
        if _has_surrogate(v):
            raise JsonError("json.lone_surrogate", "unpaired surrogate escape")
        return v
    if isinstance(v, list):
        if depth + 1 > MAX_DEPTH:
            raise JsonError("json.depth", "nesting deeper than %d" % MAX_DEPTH)
        return [_walk(x, policy, depth + 1) for x in v]
    if isinstance(v, dict):
        if depth + 1 > MAX_DEPTH:
            raise JsonError("json.depth", "nesting deeper than %d" % MAX_DEPTH)
        out = {}
        for k, x in v.items():
            if _has_surrogate(k):
                raise JsonError("json.lone_surrogate", "unpaired surrogate escape in key")
            out[k] = _walk(x, policy, depth + 1)
        return out
    return v  # True/False/None


def parse_strict(raw, policy):
    """Parse raw bytes per mxstate's decided rules; returns a python value or raises JsonError.

    Python's json module is used only as a tokenizer: it is RFC 8259 strict except that it
    accepts NaN/Infinity (refused here via parse_constant) and lone surrogate escapes (refused
    here after parsing). Numbers are captured as their literal text and converted per policy.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raise JsonError(None, "UTF-8 byte order mark")
    try:
        text = raw.decode("utf-8", errors="strict")  # rejects overlongs, encoded surrogates
    except UnicodeDecodeError:
        raise JsonError("json.invalid_utf8", "invalid UTF-8")
    deep = _max_depth(text) > MAX_DEPTH
    try:
        value = json.loads(text, object_pairs_hook=_dup_hook, parse_int=_Num,
                           parse_float=_Num, parse_constant=_bad_constant)
    except JsonError:
        raise
    except RecursionError:
        raise JsonError("json.depth" if deep else None, "nesting too deep for parser")
    except ValueError as e:
        raise JsonError(None, "syntax: %s" % e)
    if deep:
        raise JsonError("json.depth", "nesting deeper than %d" % MAX_DEPTH)
    return _walk(value, policy, 0)


def canonical_text(raw, policy):
    """(True, canonical_str) or (False, error_code_or_None)."""
    try:
        v = parse_strict(raw, policy)
    except JsonError as e:
        return False, e.code
    return True, canonicaljson.encode_canonical_json(v).decode("utf-8")


# ---------------------------------------------------------------------------
# Canonical JSON of python values (events are python dicts here)
# ---------------------------------------------------------------------------
def cj(obj):
    return canonicaljson.encode_canonical_json(obj)


def has_float(obj):
    if isinstance(obj, float):
        return True
    if isinstance(obj, dict):
        return any(has_float(v) for v in obj.values())
    if isinstance(obj, list):
        return any(has_float(v) for v in obj)
    return False


# ---------------------------------------------------------------------------
# Redaction, written from the spec fragments:
#   content/rooms/fragments/v1-redactions.md  (room versions 1-5)
#   content/rooms/fragments/v6-redactions.md  (6-7: m.room.aliases no longer special)
#   content/rooms/v8.md "Redactions"          (8: join_rules keeps `allow`)
#   content/rooms/fragments/v9-redactions.md  (9-10: member keeps join_authorised_via_users_server)
#   content/rooms/fragments/v11-redactions.md (11-12: origin/membership/prev_state dropped,
#       create keeps all, PL keeps invite, redaction keeps redacts, member keeps
#       third_party_invite.signed)
# ---------------------------------------------------------------------------
_TOP_V1 = {"event_id", "type", "room_id", "sender", "state_key", "content", "hashes",
           "signatures", "depth", "prev_events", "prev_state", "auth_events", "origin",
           "origin_server_ts", "membership"}
_TOP_V11 = {"event_id", "type", "room_id", "sender", "state_key", "content", "hashes",
            "signatures", "depth", "prev_events", "auth_events", "origin_server_ts"}
_PL_KEYS = ["ban", "events", "events_default", "kick", "redact", "state_default", "users",
            "users_default"]


def redact(event, rv):
    n = vnum(rv)
    top = _TOP_V11 if n >= 11 else _TOP_V1
    out = {k: copy.deepcopy(v) for k, v in event.items() if k in top}
    et = event.get("type")
    content = event.get("content", {})
    if not isinstance(content, dict):
        content = {}
    allowed = {
        "m.room.member": ["membership"],
        "m.room.create": ["creator"],
        "m.room.join_rules": ["join_rule"],
        "m.room.power_levels": list(_PL_KEYS),
        "m.room.history_visibility": ["history_visibility"],
    }
    if n <= 5:
        allowed["m.room.aliases"] = ["aliases"]
    if n >= 8:
        allowed["m.room.join_rules"].append("allow")
    if n >= 9:
        allowed["m.room.member"].append("join_authorised_via_users_server")
    if n >= 11:
        allowed["m.room.power_levels"].append("invite")
        allowed["m.room.redaction"] = ["redacts"]
    new_content = {}
    if n >= 11 and et == "m.room.create":
        new_content = copy.deepcopy(content)  # "allows all keys"
    else:
        for k in allowed.get(et, []):
            if k in content:
                new_content[k] = copy.deepcopy(content[k])
        if n >= 11 and et == "m.room.member":
            tpi = content.get("third_party_invite")
            # "Additionally, it allows the `signed` key of the `third_party_invite` key."
            if isinstance(tpi, dict) and "signed" in tpi:
                new_content["third_party_invite"] = {"signed": copy.deepcopy(tpi["signed"])}
    if "content" in event:
        out["content"] = new_content
    return out


# ---------------------------------------------------------------------------
# Hashes and IDs (server-server-api.md "Calculating the content hash for an event",
# "Calculating the reference hash for an event"; rooms v3 / v4-event-ids fragment)
# ---------------------------------------------------------------------------
def content_hash(event):
    e = {k: v for k, v in event.items() if k not in ("unsigned", "signatures", "hashes")}
    return b64(hashlib.sha256(cj(e)).digest())


def reference_hash_bytes(event, rv):
    r = redact(event, rv)
    r.pop("signatures", None)
    r.pop("unsigned", None)
    return hashlib.sha256(cj(r)).digest()


def reference_hash(event, rv):
    return b64(reference_hash_bytes(event, rv))


def event_id(event, rv):
    n = vnum(rv)
    if n <= 2:
        return event["event_id"]
    d = reference_hash_bytes(event, rv)
    return "$" + (b64(d) if n == 3 else b64url(d))


# ---------------------------------------------------------------------------
# Keys and signing
# ---------------------------------------------------------------------------
SPEC_SEED = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"


class Key:
    def __init__(self, server, key_id, seed_b64):
        self.server = server
        self.key_id = key_id
        self.seed = seed_b64
        alg, ver = key_id.split(":", 1)
        self.sk = signedjson.key.decode_signing_key_base64(alg, ver, seed_b64)
        self.public = signedjson.key.encode_verify_key_base64(self.sk.verify_key)

    def as_input(self):
        return {"server_name": self.server, "key_id": self.key_id, "seed": self.seed}


def derived_key(server, key_id):
    """Deterministic non-spec key: seed = SHA-256("mxstate-vectorgen/" server "/" key_id)."""
    seed = hashlib.sha256(("mxstate-vectorgen/%s/%s" % (server, key_id)).encode()).digest()
    return Key(server, key_id, b64(seed))


def sign_json(obj, key):
    return signedjson.sign.sign_json(copy.deepcopy(obj), key.server, key.sk)


def sign_event(event, key, rv):
    """server-server-api.md "Signing Events": hash, redact, sign the redacted copy, copy back."""
    ev = copy.deepcopy(event)
    ev["hashes"] = {"sha256": content_hash(ev)}
    red = redact(ev, rv)
    red = sign_json(red, key)
    ev["signatures"] = red["signatures"]
    return ev


def verify_sig(obj, server, key_id, public_b64):
    o = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    try:
        sig = unb64(obj["signatures"][server][key_id])
        vk = nacl.signing.VerifyKey(unb64(public_b64))
        vk.verify(cj(o), sig)
        return True
    except Exception:
        return False
