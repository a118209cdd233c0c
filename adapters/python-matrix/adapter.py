#!/usr/bin/python3
"""mxstate adapter for the matrix-org Python libraries Synapse uses.

Answers the adapter protocol (docs/adapters.md) with Debian's
python3-canonicaljson and python3-signedjson, adding as little logic of its
own as possible so that what the run measures is the libraries:

  canonical-json  json.loads (as Synapse parses), then
                  canonicaljson.encode_canonical_json
  content-hash    the event without unsigned/signatures/hashes, encoded by
                  encode_canonical_json, SHA-256, unpadded base64 (the
                  content-hash algorithm Synapse runs over these libraries)
  sign-json       signedjson.sign.sign_json with a key from
                  signedjson.key.decode_signing_key_base64

Every other suite is answered {"error": {"code": "unsupported"}}. The
libraries know nothing of room versions, so the room version is ignored:
where the spec's rules depend on it (numbers in v6+), the run shows it.
"""
import hashlib
import json
import sys

import canonicaljson
import signedjson.key
import signedjson.sign
import unpaddedbase64


def canonical_json(room_version, data):
    if "json_base64" in data:
        raw = unpaddedbase64.decode_base64(data["json_base64"])
        value = json.loads(raw)  # bytes: json detects UTF-8/16/32 itself
    else:
        value = json.loads(data["json"])
    text = canonicaljson.encode_canonical_json(value).decode("utf-8")
    return {"canonical": text}


def content_hash(room_version, data):
    event = dict(data["event"])
    for key in ("unsigned", "signatures", "hashes"):
        event.pop(key, None)
    digest = hashlib.sha256(canonicaljson.encode_canonical_json(event)).digest()
    return {"sha256": unpaddedbase64.encode_base64(digest)}


def sign_json(room_version, data):
    key = data["signing_key"]
    algorithm, _, version = key["key_id"].partition(":")
    signing_key = signedjson.key.decode_signing_key_base64(
        algorithm, version, key["seed"])
    return {"json": signedjson.sign.sign_json(
        dict(data["json"]), key["server_name"], signing_key)}


SUITES = {
    "canonical-json": canonical_json,
    "content-hash": content_hash,
    "sign-json": sign_json,
}


def answer(request):
    test_id = request.get("id")
    handler = SUITES.get(request.get("suite"))
    if handler is None:
        return {"id": test_id, "error": {"code": "unsupported"}}
    try:
        output = handler(request.get("room_version"), request["input"])
    except Exception as e:  # the library refused the input
        return {"id": test_id, "result": "invalid",
                "reason": "%s: %s" % (type(e).__name__, e)}
    return {"id": test_id, "result": "valid", "output": output}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            reply = answer(request)
        except Exception as e:
            reply = {"id": None, "error": {"code": "bad_request",
                                           "message": str(e)}}
        # ensure_ascii keeps the line free of raw newlines and of lone
        # surrogates that UTF-8 cannot carry.
        sys.stdout.write(json.dumps(reply, ensure_ascii=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
