"""Shared helpers: test/file builders and provenance strings."""
import base64

SPEC_COMMIT = "d0ba2aaef801e0134a4e5c6054a2c2f41bb55531"
LIBS = ("python3-canonicaljson 1.6.2 + python3-signedjson 1.1.1 + python3-nacl 1.5.0 + "
        "hashlib (Debian 12, Python 3.11) via tools/vectorgen/generate.py")
SRC_CJ = "python3-canonicaljson 1.6.2 (Debian 12) via tools/vectorgen/generate.py"
SRC_HASH = "python3-canonicaljson 1.6.2 + hashlib (Debian 12) via tools/vectorgen/generate.py"
SRC_REDACT = ("hand-written Python redaction (tools/vectorgen/mxcore.py redact(), transcribed from the "
              "spec's redaction fragments) via tools/vectorgen/generate.py")
SRC_SIGN = LIBS
JTS = "nst/JSONTestSuite@1ef36fa01286573e846ac449e8683f8833c5b26a"


def spec(section):
    return "spec: matrix-org/matrix-spec@%s %s" % (SPEC_COMMIT[:12], section)


def test(id, comment, input, result, source, room_version=None, expected=None, flags=None):
    t = {"id": id}
    if room_version is not None:
        t["room_version"] = room_version
    t["comment"] = comment
    t["input"] = input
    t["result"] = result
    if expected is not None:
        t["expected"] = expected
    if flags:
        t["flags"] = sorted(set(flags))
    t["source"] = source
    return t


def vfile(suite, description, references, tests):
    return {
        "format": "mxstate-vectors/1",
        "suite": suite,
        "description": description,
        "references": references,
        "tests": tests,
    }


def json_input(raw):
    """{"json": text} when raw is valid UTF-8 without BOM, else {"json_base64": ...}."""
    if not raw.startswith(b"\xef\xbb\xbf"):
        try:
            return {"json": raw.decode("utf-8", errors="strict")}
        except UnicodeDecodeError:
            pass
    return {"json_base64": base64.b64encode(raw).decode("ascii")}
