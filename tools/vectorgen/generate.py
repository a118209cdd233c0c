#!/usr/bin/python3
"""Generate the mxstate public conformance corpus (spec-vectors/).

Run from the repository root:   /usr/bin/python3 tools/vectorgen/generate.py

Deterministic: fixed seeds and timestamps, sorted keys, no wall-clock input.
"""
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_cjson  # noqa: E402
import readme  # noqa: E402
import schema  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "spec-vectors")
SHARED = os.environ.get("MXSTATE_SHARED", "/work/shared")
APPENDIX = os.path.join(SHARED, "vectors", "spec-appendix.json")
JTS = os.path.join(SHARED, "vectors", "third-party", "JSONTestSuite", "test_parsing")


def dump(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main():
    appendix = json.load(open(APPENDIX, encoding="utf-8"))
    files = {}
    files.update(gen_cjson.build(appendix, JTS))
    import gen_events
    files.update(gen_events.build(appendix))
    import gen_auth
    files.update(gen_auth.build_files())
    import gen_stateres
    files.update(gen_stateres.build_files())
    import gen_room
    files.update(gen_room.build_files())
    import gen_restricted_join
    files.update(gen_restricted_join.build_files())

    # ---- self-checks -------------------------------------------------------------
    ids = {}
    errors = []
    for name, f in sorted(files.items()):
        errs = schema.validate(f, schema.SCHEMA)
        errors += ["%s: %s" % (name, e) for e in errs]
        assert name.startswith(f["suite"] + "/"), name
        for t in f["tests"]:
            if t["id"] in ids:
                errors.append("%s: duplicate id %s (also in %s)" % (name, t["id"], ids[t["id"]]))
            ids[t["id"]] = name
            if not t.get("source"):
                errors.append("%s: %s has no source" % (name, t["id"]))
            if f["suite"] != "canonical-json" and "room_version" not in t:
                errors.append("%s: %s has no room_version" % (name, t["id"]))
            if t["result"] == "valid" and f["suite"] not in ("verify-event", "auth") and "expected" not in t:
                errors.append("%s: valid test %s has no expected" % (name, t["id"]))
    if errors:
        for e in errors[:50]:
            print("SELF-CHECK FAILED:", e, file=sys.stderr)
        sys.exit(1)

    # ---- write -------------------------------------------------------------------
    os.makedirs(os.path.join(OUT, "schema"), exist_ok=True)
    with open(os.path.join(OUT, "schema", "mxstate-vectors-1.schema.json"), "w", encoding="utf-8") as fh:
        fh.write(dump(schema.SCHEMA))
    for name, f in sorted(files.items()):
        path = os.path.join(OUT, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(dump(f))
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(readme.render(files))
    lic = os.path.join(OUT, "third-party-licenses")
    os.makedirs(lic, exist_ok=True)
    with open(os.path.join(SHARED, "vectors", "third-party", "JSONTestSuite", "LICENSE"), "rb") as src, \
            open(os.path.join(lic, "JSONTestSuite-LICENSE"), "wb") as dst:
        dst.write(src.read())
    total = sum(len(f["tests"]) for f in files.values())
    print("wrote %d files, %d tests" % (len(files), total))


if __name__ == "__main__":
    main()
