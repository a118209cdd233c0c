"""canonical-json suite."""
import json
import os
import re

import mxcore as m
from common import test, vfile, json_input, spec, SRC_CJ, JTS

REFS = ["appendices: Canonical JSON", "rooms/v1..v5: canonical JSON (MUST NOT be enforced)",
        "rooms/v6..v12: canonical JSON (MUST be enforced)"]
POLICY_NOTE = {
    "generic": "no room_version: generic appendix canonicalisation (numbers accepted iff their exact value is an integer within +-(2^53-1), written as plain integers)",
    "lenient": "room versions 1-5 (MUST NOT enforce): any number accepted; integers written exactly, non-integers as python json.dumps float repr",
    "strict": "room versions 6-12 (MUST enforce): integer syntax only, within +-(2^53-1); -0 written 0",
}
CODES = {"json.duplicate_key", "json.lone_surrogate", "json.invalid_utf8", "json.depth",
         "json.float_forbidden", "json.integer_out_of_range"}


def _is_utf16(raw):
    """UTF-16 input (BOM FF FE / FE FF, or NUL bytes next to ASCII): refused, but no error code is given."""
    return raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw


def case(id, raw, rv, comment, source, flags=None, want=None):
    """Build one test whose expectation is computed by mxcore.canonical_text.

    `want` ("valid"/"invalid") is an assertion about what the hand-reasoned result should be."""
    ok, out = m.canonical_text(raw, m.number_policy(rv))
    result = "valid" if ok else "invalid"
    if want is not None and want != result:
        raise AssertionError("%s: expected %s got %s (%r)" % (id, want, result, out))
    expected = None
    if ok:
        expected = {"canonical": out}
    elif out is not None and not _is_utf16(raw):
        assert out in CODES
        expected = {"error": out}
    return test(id, comment, json_input(raw), result, source, room_version=rv,
                expected=expected, flags=flags)


# ---------------------------------------------------------------------------
def spec_appendix(appendix):
    tests = []
    names = ["empty-object", "two-keys", "reorder-pretty", "reorder-compact", "nested-auth",
             "non-ascii-value", "non-ascii-key-order", "unicode-escape-unescaped", "null",
             "minus-zero-and-exponent"]
    cases = appendix["official"]["canonical_json"]["cases"]
    assert len(cases) == len(names)
    for name, c in zip(names, cases):
        raw = c["input_json_text"].encode("utf-8")
        t = case("canonical-json/spec/" + name, raw, None,
                 "Spec appendix example, applied with the generic (no room_version) policy. "
                 "The expected text is the spec's own output.",
                 spec("content/appendices.md, Canonical JSON > Examples"), ["spec-example"],
                 want="valid")
        # the computed value must equal the spec's printed output
        assert t["expected"]["canonical"] == c["expected_canonical"], name
        tests.append(t)
    return vfile("canonical-json", "The canonical-JSON examples printed in the spec's appendix",
                 ["appendices: Canonical JSON > Examples"], tests)


# ---------------------------------------------------------------------------
NUMBERS = [
    # (slug, literal, note)
    ("zero", "0", "plain zero"),
    ("minus-zero", "-0", "-0 is integer syntax; its value is 0, written 0 (spec example)"),
    ("one", "1", ""),
    ("minus-one", "-1", ""),
    ("max-safe", "9007199254740991", "2^53-1, the largest allowed integer"),
    ("min-safe", "-9007199254740991", "-(2^53-1), the smallest allowed integer"),
    ("max-safe-plus-one", "9007199254740992", "2^53, one past the range"),
    ("min-safe-minus-one", "-9007199254740992", "-(2^53), one past the range"),
    ("huge-int", "123456789012345678901234567890", "30-digit integer"),
    ("exp-1e10", "1e10", "exponent form of an integer (spec example)"),
    ("exp-capital-1E2", "1E2", "capital E exponent (D4: GMSL passes it through in v6+)"),
    ("exp-plus-1e-plus-2", "1e+2", "explicit + in exponent"),
    ("exp-neg-100e-2", "100e-2", "negative exponent with an integral value (=1)"),
    ("frac-1.0", "1.0", "integral value written with a fraction"),
    ("frac-0.0", "0.0", "zero with a fraction (D4)"),
    ("frac-minus-0.0", "-0.0", "negative zero with a fraction (D4)"),
    ("frac-1.5", "1.5", "genuine non-integer"),
    ("frac-15e-1", "15e-1", "non-integer via exponent (=1.5)"),
    ("frac-1.5e1", "1.5e1", "integer value 15 written with fraction and exponent"),
    ("frac-50.57", "50.57", "typical float seen in old events"),
    ("exp-1e-5", "1e-5", "small non-integer"),
    ("exp-1e16", "1e16", "integral but > 2^53-1"),
    ("max-safe-as-float", "9007199254740991.0", "2^53-1 written with a fraction"),
    ("float-1.2345678901234567e17", "123456789012345678.5", "non-integer beyond double precision"),
    ("exp-1e400", "1e400", "overflows a double to infinity"),
    ("exp-minus-1e400", "-1e400", "overflows a double to -infinity"),
    ("exp-1e-400", "1e-400", "underflows a double to 0.0"),
]


def numbers():
    tests = []
    for slug, lit, note in NUMBERS:
        raw = ('{"n":%s}' % lit).encode()
        for rv, tag in ((None, "generic"), ("1", "v1"), ("5", "v5"), ("6", "v6"), ("12", "v12")):
            if rv in ("5", "6") and slug not in ("exp-1e10", "frac-1.5", "minus-zero", "max-safe-plus-one", "exp-capital-1E2"):
                continue  # boundary versions only for a few literals
            pol = m.number_policy(rv)
            t = case("canonical-json/numbers/%s/%s" % (slug.lower(), tag), raw, rv,
                     "Number literal %s (%s). Policy: %s." % (lit, note or "-", POLICY_NOTE[pol]),
                     "hand-worked (policy rules of mxstate, see comment) + " + SRC_CJ, ["edge-case"])
            if pol == "lenient" and t["result"] == "valid" and not re.fullmatch(r"-?(0|[1-9][0-9]*)", lit):
                t["comment"] += (" Output is the python json.dumps float repr of the double, i.e. what "
                                 "Synapse's encoder emitted when such events were hashed and signed. "
                                 "Outside the spec (matrix-spec#1232); GMSL would keep the original "
                                 "literal (anchors D5).")
                t["flags"] = ["divergence", "edge-case"]
            if pol == "lenient" and t["result"] == "invalid":
                t["comment"] += " A double overflowing to infinity has no JSON representation, so it is refused even in lenient versions."
            tests.append(t)
    # every other room version, so that each version has number vectors of
    # its own: the three literals where the lenient and strict policies part
    for rv in [v for v in m.ROOM_VERSIONS + [m.HYDRA] if v not in ("1", "5", "6", "12")]:
        for slug, lit in (("exp-1e10", "1e10"), ("frac-1.5", "1.5"), ("max-safe-plus-one", "9007199254740992")):
            pol = m.number_policy(rv)
            tests.append(case("canonical-json/numbers/%s/v%s" % (slug, rv), ('{"n":%s}' % lit).encode(), rv,
                              "Number literal %s in room version %s. Policy: %s." % (lit, rv, POLICY_NOTE[pol]),
                              "hand-worked (policy rules of mxstate, see comment) + " + SRC_CJ, ["edge-case"]))
    # the spec example under the three policies
    raw = b'{\n    "a": -0,\n    "b": 1e10\n}'
    tests.append(case("canonical-json/numbers/spec-example-minus-zero-1e10/v1", raw, "1",
                      "The spec's -0/1e10 example in a v1 room: lenient, 1e10 is read as a float and "
                      "written as python's repr 10000000000.0 (python canonicaljson behaviour).",
                      SRC_CJ, ["divergence", "edge-case"], want="valid"))
    tests.append(case("canonical-json/numbers/spec-example-minus-zero-1e10/v6", raw, "6",
                      "The spec's -0/1e10 example in a v6 room: strict versions require integer "
                      "syntax, so the exponent form 1e10 is refused (Synapse and ruma agree; GMSL accepts).",
                      "hand-worked (mxstate strict policy)", ["divergence", "edge-case"], want="invalid"))
    return vfile("canonical-json", "Number policies: generic (no room_version), lenient (v1-5), strict (v6-12)",
                 REFS, tests)


# ---------------------------------------------------------------------------
def divergences():
    T = []
    D = "divergence"
    dup_why = (" mxstate refuses duplicate keys: there is no agreed canonical form (Synapse and ruma keep "
               "the last value, gomatrixserverlib emits both keys, so the same bytes hash and sign "
               "differently), I-JSON (RFC 7493) forbids duplicates, and MSC4458 requires rejection.")
    for rv in (None, "1", "12"):
        tag = "generic" if rv is None else "v" + rv
        T.append(case("canonical-json/divergence/d1-duplicate-key/" + tag, b'{"a":1,"a":2}', rv,
                      "anchors D1: literal duplicate key." + dup_why, "hand-worked (mxstate decision; anchors.md D1)",
                      [D], want="invalid"))
        T.append(case("canonical-json/divergence/d2-escaped-duplicate-key/" + tag,
                      b'{"apple":"foo","appl\\u0065":"bar"}', rv,
                      "anchors D2 (MSC4458's example): keys equal only after unescaping \\u0065." + dup_why,
                      "hand-worked (mxstate decision; anchors.md D2)", [D], want="invalid"))
    T.append(case("canonical-json/divergence/d1-duplicate-key-nested", b'{"x":{"b":1,"b":1}}', None,
                  "Duplicate keys inside a nested object, even with equal values, are refused." + dup_why,
                  "hand-worked (mxstate decision; anchors.md D1)", [D], want="invalid"))
    T.append(case("canonical-json/divergence/d1-same-key-different-objects", b'{"x":{"a":1},"y":{"a":2}}', None,
                  "Control: the same key in two different objects is not a duplicate.",
                  SRC_CJ, ["edge-case"], want="valid"))
    sur = [("lone-high", b'["\\ud800"]', "lone high surrogate"),
           ("lone-low-then-text", b'["\\udc00abc"]', "lone low surrogate followed by text"),
           ("inverted-pair", b'["\\udc00\\ud800"]', "low surrogate before high surrogate (inverted pair)"),
           ("high-then-non-surrogate", b'["\\ud800\\u0041"]', "high surrogate followed by a non-surrogate escape"),
           ("lone-in-key", b'{"\\ud800":1}', "lone surrogate in an object key")]
    for slug, raw, what in sur:
        T.append(case("canonical-json/divergence/d3-" + slug, raw, None,
                      "anchors D3: %s cannot be written as UTF-8, so the text has no canonical form. "
                      "Synapse's encoder raises (reject); gomatrixserverlib silently drops the escape; "
                      "serde_json rejects. mxstate rejects (MSC4458 MUST reject)." % what,
                      "hand-worked (mxstate decision; anchors.md D3)", [D], want="invalid"))
    T.append(case("canonical-json/divergence/d3-valid-pair-control", b'["\\ud83d\\ude00"]', None,
                  "Control for D3: a correctly paired surrogate escape is U+1F600 and is written raw.",
                  SRC_CJ, ["edge-case"], want="valid"))
    for lit in ("1E2", "0.0", "-0.0", "1e2", "1.0"):
        slug = lit.replace(".", "p").replace("-", "m").lower()
        if lit == "1E2":
            slug = "capital-1e2"
        T.append(case("canonical-json/divergence/d4-strict-%s/v6" % slug, ('{"x":%s}' % lit).encode(), "6",
                      "anchors D4: %s in a v6+ room. Not integer syntax, so refused (Synapse: rejected as float; "
                      "ruma: InvalidType float). gomatrixserverlib's verifyEnforcedCanonicalJSON passes it." % lit,
                      "hand-worked (mxstate strict policy; anchors.md D4)", [D], want="invalid"))
        T.append(case("canonical-json/divergence/d4-strict-%s/v10" % slug, ('{"x":%s}' % lit).encode(), "10",
                      "As the v6 case, in room version 10.",
                      "hand-worked (mxstate strict policy; anchors.md D4)", [D], want="invalid"))
    T.append(case("canonical-json/divergence/d5-lenient-capital-1e2/v3", b'{"x":1E2}', "3",
                  "anchors D5: a v1-5 float 1E2. Synapse (python canonicaljson) writes 100.0; gomatrixserverlib "
                  "keeps 1E2; ruma cannot represent it. mxstate follows python (what Synapse hashed and signed).",
                  SRC_CJ, [D], want="valid"))
    T.append(case("canonical-json/divergence/d5-lenient-big-int/v4", b'{"x":12345678901234567890}', "4",
                  "v1-5 out-of-range integer: kept exactly (python int).", SRC_CJ, [D, "edge-case"], want="valid"))
    for rv in (None, "1", "12"):
        tag = "generic" if rv is None else "v" + rv
        T.append(case("canonical-json/divergence/d6-escaped-quote-in-key/" + tag, b'{"k\\"q":1}', rv,
                      "anchors D6: a key containing an escaped quote must stay escaped in the output. "
                      "gomatrixserverlib writes the parsed key raw, producing invalid JSON {\"k\"q\":1}.",
                      SRC_CJ, [D], want="valid"))
    return vfile("canonical-json", "Cases where known implementations disagree (anchors.md D1-D6) and mxstate's decisions",
                 REFS + ["MSC4458", "RFC 7493 (I-JSON)"], T)


# ---------------------------------------------------------------------------
def strings():
    T = []
    S = [
        ("escape-quote-backslash", b'["a\\"b\\\\c"]', "only \" and \\ among printable ASCII are escaped"),
        ("escape-short-forms", b'["\\b\\t\\n\\f\\r"]', "the five short escapes are kept as \\b \\t \\n \\f \\r"),
        ("control-u0000", b'["\\u0000"]', "U+0000 is written \\u0000"),
        ("control-u001f", b'["\\u001F"]', "U+001F is written \\u001f (lowercase hex)"),
        ("control-u000b", b'["\\u000B"]', "U+000B (vertical tab) has no short form: \\u000b"),
        ("control-via-long-escape", b'["\\u0008\\u0009\\u000a\\u000c\\u000d"]', "long escapes of the five are written in short form"),
        ("del-raw", b'["\\u007f"]', "U+007F is not a control for canonical JSON: written raw"),
        ("del-raw-input", b'["\x7f"]', "raw DEL in input, written raw"),
        ("solidus-escaped", b'["a\\/b"]', "escaped solidus \\/ is written as a raw /"),
        ("u2028-u2029", b'["\\u2028\\u2029"]', "line/paragraph separators are written raw"),
        ("non-ascii-escaped-upper", b'["\\u00E9\\u65E5"]', "uppercase-hex escapes of non-ASCII are written raw"),
        ("astral-raw", '["\U0001F600"]'.encode(), "a raw non-BMP character is kept"),
        ("astral-escaped-pair", b'["\\uD83D\\uDE00"]', "an escaped surrogate pair becomes the raw character"),
        ("bom-char-in-string", b'["\\ufeff"]', "U+FEFF inside a string is an ordinary character"),
        ("noncharacter-uffff", b'["\\uffff"]', "noncharacter U+FFFF is valid in JSON and written raw"),
        ("key-order-codepoint-vs-utf16", '{"\ue000":1,"\U0001F600":2,"z":3}'.encode(),
         "keys sort by code point: U+E000 before U+1F600 (UTF-16 code-unit order would put U+1F600 first)"),
        ("key-order-case", b'{"b":1,"B":2,"a":3,"A":4,"_":5}', "code-point order: A B _ a b"),
        ("key-order-prefix", b'{"ab":1,"a":2,"":3}', "the empty key sorts first, a prefix before its extensions"),
        ("key-order-nested", b'{"z":{"y":1,"x":[{"b":1,"a":2}]},"a":0}', "objects nested in arrays are sorted too"),
        ("whitespace-everywhere", b' \t\n\r{ "a" : [ 1 , 2 ] , "b" : { } } \r\n', "insignificant whitespace is removed"),
        ("empty-string-key-and-value", b'{"":""}', "empty key and value"),
        ("literals", b'[true,false,null]', "the three literals"),
    ]
    for slug, raw, what in S:
        T.append(case("canonical-json/strings/" + slug, raw, None, "Canonical string/key form: %s." % what,
                      spec("content/appendices.md, Canonical JSON (grammar)") + "; output by " + SRC_CJ,
                      ["edge-case"], want="valid"))
    return vfile("canonical-json", "String escaping and key ordering", ["appendices: Canonical JSON (grammar)"], T)


def structure():
    T = []
    src = "hand-worked (mxstate decisions, see comment) + " + SRC_CJ

    def nest(n, o, c):
        return (o * n + c * n).encode()
    T.append(case("canonical-json/structure/depth-128-arrays", nest(128, "[", "]"), None,
                  "128 nested arrays: at the depth limit, accepted.", src, ["edge-case"], want="valid"))
    T.append(case("canonical-json/structure/depth-129-arrays", nest(129, "[", "]"), None,
                  "129 nested arrays: deeper than 128 levels, refused.", src, ["edge-case"], want="invalid"))
    obj128 = ('{"a":' * 127 + '{}' + '}' * 127).encode()
    obj129 = ('{"a":' * 128 + '{}' + '}' * 128).encode()
    T.append(case("canonical-json/structure/depth-128-objects", obj128, None,
                  "128 nested objects: at the depth limit, accepted.", src, ["edge-case"], want="valid"))
    T.append(case("canonical-json/structure/depth-129-objects", obj129, None,
                  "129 nested objects: refused (json.depth).", src, ["edge-case"], want="invalid"))
    T.append(case("canonical-json/structure/depth-129-brackets-in-string", ('["' + "[" * 200 + '"]').encode(), None,
                  "Brackets inside a string do not count towards depth.", src, ["edge-case"], want="valid"))
    for slug, raw in (("int", b"2"), ("string", b'"x"'), ("null", b"null"), ("true", b" true "),
                      ("minus-zero", b"-0")):
        T.append(case("canonical-json/structure/top-level-scalar-" + slug, raw, None,
                      "A top-level scalar is a complete JSON text (RFC 8259) and canonicalises to itself.",
                      src, ["edge-case"], want="valid"))
    bad = [
        ("empty-input", b"", "empty input"),
        ("only-whitespace", b" \n", "only whitespace"),
        ("trailing-comma-array", b"[1,]", "trailing comma"),
        ("trailing-garbage", b"{}x", "garbage after the value"),
        ("two-values", b"{} {}", "two top-level values"),
        ("nan", b"[NaN]", "NaN token (accepted by python's json module, not JSON)"),
        ("infinity", b"[Infinity]", "Infinity token (accepted by python's json module, not JSON)"),
        ("minus-infinity", b"[-Infinity]", "-Infinity token"),
        ("single-quotes", b"['a']", "single-quoted string"),
        ("leading-zero", b"[01]", "leading zero"),
        ("raw-control-in-string", b'["a\x01b"]', "raw U+0001 in a string"),
        ("raw-newline-in-string", b'["a\nb"]', "raw newline in a string"),
        ("bad-escape", b'["\\x41"]', "unknown escape \\x"),
        ("short-unicode-escape", b'["\\u12"]', "truncated \\u escape"),
        ("utf8-bom", b'\xef\xbb\xbf{}', "UTF-8 byte order mark before the text (RFC 8259: MUST NOT add; mxstate refuses)"),
        ("utf16le-bom", '{}'.encode("utf-16"), "UTF-16 (LE with BOM) input"),
        ("utf16be", '{"a":1}'.encode("utf-16-be"), "UTF-16BE input without BOM"),
    ]
    for slug, raw, what in bad:
        T.append(case("canonical-json/structure/" + slug, raw, None, "Refused: %s." % what, src, ["edge-case"],
                      want="invalid"))
    utf = [
        ("invalid-utf8-ff", b'["\xff"]', "byte 0xFF never appears in UTF-8"),
        ("invalid-utf8-lone-continuation", b'["\x80"]', "lone continuation byte"),
        ("invalid-utf8-truncated", b'["\xe6\x97"]', "truncated 3-byte sequence"),
        ("overlong-slash", b'["\xc0\xaf"]', "overlong 2-byte encoding of '/'"),
        ("overlong-nul", b'["\xc0\x80"]', "overlong encoding of U+0000 (modified UTF-8)"),
        ("overlong-3byte", b'["\xe0\x80\xaf"]', "overlong 3-byte encoding"),
        ("utf8-encoded-surrogate", b'["\xed\xa0\x80"]', "CESU-style UTF-8 encoding of surrogate U+D800"),
        ("above-u10ffff", b'["\xf4\x90\x80\x80"]', "code point above U+10FFFF"),
        ("invalid-utf8-in-key", b'{"\xff":1}', "invalid byte in a key"),
    ]
    for slug, raw, what in utf:
        T.append(case("canonical-json/structure/" + slug, raw, None, "Refused as invalid UTF-8: %s." % what,
                      src, ["edge-case"], want="invalid"))
    return vfile("canonical-json", "Structure, depth limit, top-level scalars, encodings",
                 ["appendices: Canonical JSON", "RFC 8259"], T)


# ---------------------------------------------------------------------------
def _slug(name):
    base = name[:-5] if name.endswith(".json") else name
    out = []
    for ch in base:
        if ch.isascii() and (ch.isalnum() or ch in "._-"):
            out.append(ch.lower())
        else:
            out.append("-x%x-" % ord(ch))
    return "".join(out)


def jsontestsuite(root):
    files = sorted(os.listdir(root))
    T = []
    seen = {}
    mism = []
    for fn in files:
        raw = open(os.path.join(root, fn), "rb").read()
        slug = _slug(fn)
        assert slug not in seen, (fn, seen.get(slug))
        seen[slug] = fn
        kind = fn[0]
        base = "canonical-json/jsontestsuite/" + slug
        srcbase = "%s test_parsing/%s (MIT)" % (JTS, fn)
        res = {rv: m.canonical_text(raw, m.number_policy(rv)) for rv in (None, "1", "12")}
        if kind == "n":
            ok, code = res[None]
            if ok:
                mism.append(fn)
            T.append(test(base, "JSONTestSuite n_ (must be rejected by any JSON parser).", json_input(raw),
                          "invalid", srcbase + "; verdict from the suite's n_ prefix"))
            continue
        if kind == "y" and res[None] == (False, "json.duplicate_key"):
            T.append(test(base, "JSONTestSuite y_ file with a duplicated object key. RFC 8259 only says names "
                          "SHOULD be unique, so the suite marks it acceptable JSON, but mxstate refuses duplicate "
                          "keys (json.duplicate_key): Synapse and ruma keep the last value, gomatrixserverlib emits "
                          "both keys (anchors D1/D2), so there is no agreed canonical form; I-JSON (RFC 7493) "
                          "forbids duplicates and MSC4458 requires rejection.", json_input(raw), "invalid",
                          "hand-worked (mxstate decision; anchors.md D1); input " + srcbase,
                          expected={"error": "json.duplicate_key"}, flags=["divergence"]))
            continue
        if kind == "y":
            if not (res[None][0] or res["1"][0]):
                mism.append(fn)
        # choose which variants to emit
        emit = []
        if res[None][0] or kind == "i":
            emit.append(None)
        else:
            emit.append("1")
        for rv in ("1", "12"):
            if rv not in emit and all(res[rv] != res[e] for e in emit):
                emit.append(rv)
        for rv in emit:
            ok, out = res[rv]
            pol = m.number_policy(rv)
            tid = base if rv == emit[0] else base + "/v" + rv
            if kind == "y":
                cm = "JSONTestSuite y_ (must be accepted as JSON). Evaluated with the %s policy." % pol
                if rv == "1" and not res[None][0]:
                    cm += (" Room version 1 is used because the number is not an integer within +-(2^53-1), "
                           "which the generic policy refuses; lenient versions accept it and write python's "
                           "json.dumps form (%s)." % POLICY_NOTE["lenient"])
                if not ok:
                    cm += (" Syntactically valid JSON, but its number cannot be accepted under this policy "
                           "(%s), so the result is invalid here." % POLICY_NOTE[pol])
                src = srcbase + "; canonical output by " + SRC_CJ
            else:
                cm = "JSONTestSuite i_ (implementation-defined). mxstate decision under the %s policy: %s." % (
                    pol, "accept" if ok else "refuse")
                cm += " " + _i_reason(fn, ok, out, pol)
                src = "hand-worked (mxstate decision from the rules in the comment) + " + SRC_CJ + "; input " + srcbase
            exp = {"canonical": out} if ok else ({"error": out} if out and not _is_utf16(raw) else None)
            flags = ["edge-case"] if kind == "i" else None
            T.append(test(tid, cm, json_input(raw), "valid" if ok else "invalid", src, room_version=rv,
                          expected=exp, flags=flags))
    if mism:
        raise AssertionError("parser disagrees with JSONTestSuite verdicts: %s" % mism)
    return vfile("canonical-json", "All 318 parsing cases of JSONTestSuite (nst/JSONTestSuite, MIT licence) with mxstate's verdicts",
                 ["RFC 8259", "appendices: Canonical JSON", "https://github.com/nst/JSONTestSuite"], T)


def _i_reason(fn, ok, out, pol):
    f = fn.lower()
    if not ok and ("bom" in f or "utf16" in f or "utf-16" in f):
        return "Byte-order mark or UTF-16 encoding: only BOM-less UTF-8 is accepted (no error code is given for this case)."
    if out == "json.lone_surrogate":
        return "Unpaired UTF-16 surrogate escape: no UTF-8 form exists, refused (anchors D3)."
    if out == "json.invalid_utf8":
        return "Input is not valid UTF-8 (invalid byte, overlong form, encoded surrogate, or out-of-range code point): refused."
    if out == "json.depth":
        return "Nesting deeper than 128 levels: refused."
    if out == "json.float_forbidden":
        return "Number is not an integer (or not in integer syntax where the version requires it): refused."
    if out == "json.integer_out_of_range":
        return "Integer outside +-(2^53-1): refused."
    if not ok and ("bom" in f or "utf16" in f or "utf-16" in f):
        return "Byte-order mark or UTF-16 encoding: only BOM-less UTF-8 is accepted."
    if not ok and out is None and "number" in f:
        return ("The value overflows an IEEE double to infinity, which has no JSON representation, so even the "
                "lenient (v1-5) policy refuses it.")
    if not ok and "inf" in f:
        return "The number overflows a double, so it has no representation as a python float/JSON number: refused."
    if not ok:
        return "Refused by the JSON grammar or encoding rules."
    if pol == "lenient":
        return "Lenient (v1-5) numbers: any number accepted; output is python's json.dumps form."
    return "Well-formed JSON within all limits: accepted and canonicalised."


def build(appendix, jts_root):
    return {
        "canonical-json/spec-appendix.json": spec_appendix(appendix),
        "canonical-json/numbers.json": numbers(),
        "canonical-json/divergences.json": divergences(),
        "canonical-json/strings.json": strings(),
        "canonical-json/structure.json": structure(),
        "canonical-json/jsontestsuite.json": jsontestsuite(jts_root),
    }
