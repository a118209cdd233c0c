"""The JSON Schema of the mxstate-vectors/1 format, and a tiny validator for the keyword subset it uses."""
import re

SUITES = ["canonical-json", "content-hash", "redact", "event-id", "sign-json", "sign-event",
          "verify-event", "auth", "state-res", "room", "restricted-join"]

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://mxstate.invalid/spec-vectors/schema/mxstate-vectors-1.schema.json",
    "title": "mxstate-vectors/1 test-vector file",
    "description": "One file of the mxstate conformance corpus (see spec-vectors-format.md). Only the keywords type, required, properties, additionalProperties, enum, const, pattern, items, minItems and minLength are used.",
    "type": "object",
    "required": ["format", "suite", "tests"],
    "additionalProperties": False,
    "properties": {
        "format": {"type": "string", "const": "mxstate-vectors/1"},
        "suite": {"type": "string", "enum": SUITES},
        "description": {"type": "string"},
        "references": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "tests": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "input", "result", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "minLength": 1, "pattern": "^[a-z0-9._/-]+$"},
                    "room_version": {"type": "string", "minLength": 1, "pattern": "^[a-z0-9.-]{1,32}$"},
                    "comment": {"type": "string"},
                    "input": {"type": "object"},
                    "result": {"type": "string", "enum": ["valid", "invalid"]},
                    "expected": {"type": "object"},
                    "flags": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "source": {"type": "string", "minLength": 1},
                },
            },
        },
    },
}


def _type_ok(v, t):
    return {
        "object": lambda: isinstance(v, dict),
        "array": lambda: isinstance(v, list),
        "string": lambda: isinstance(v, str),
        "integer": lambda: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda: isinstance(v, bool),
        "null": lambda: v is None,
    }[t]()


def validate(v, s, path="$"):
    """Return a list of error strings (empty when valid)."""
    errs = []
    known = {"$schema", "$id", "title", "description", "type", "required", "properties",
             "additionalProperties", "enum", "const", "pattern", "items", "minItems", "minLength"}
    unknown = set(s) - known
    if unknown:
        return ["%s: schema uses unsupported keywords %s" % (path, sorted(unknown))]
    if "type" in s and not _type_ok(v, s["type"]):
        return ["%s: not of type %s" % (path, s["type"])]
    if "const" in s and v != s["const"]:
        errs.append("%s: must equal %r" % (path, s["const"]))
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in enum" % (path, v))
    if isinstance(v, str):
        if "minLength" in s and len(v) < s["minLength"]:
            errs.append("%s: shorter than %d" % (path, s["minLength"]))
        if "pattern" in s and not re.search(s["pattern"], v):
            errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
    if isinstance(v, list):
        if "minItems" in s and len(v) < s["minItems"]:
            errs.append("%s: fewer than %d items" % (path, s["minItems"]))
        if "items" in s:
            for i, x in enumerate(v):
                errs += validate(x, s["items"], "%s[%d]" % (path, i))
    if isinstance(v, dict):
        for r in s.get("required", []):
            if r not in v:
                errs.append("%s: missing required %s" % (path, r))
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                errs += validate(x, props[k], "%s.%s" % (path, k))
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected property %s" % (path, k))
    return errs
