#!/usr/bin/python3
"""Makes the bundled demo samples: signed rooms in several room versions,
with a few events deliberately spoiled, and the servers' key documents.

Run from the repository root with Debian's python (python3-signedjson,
python3-canonicaljson):  /usr/bin/python3 samples/make_samples.py

The events are built and signed by tools/vectorgen (an independent Python
implementation over matrix-org's signedjson/canonicaljson), not by mxstate,
so `mxstate verify` on them is a real check. Each spoiled event says in
`unsigned.mxstate_sample` what was done to it and which verdict it must get.
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools", "vectorgen"))

import mxcore as m  # noqa: E402
import rooms as R  # noqa: E402

VERSIONS = ["1", "4", "10", "11", "12"]
# A server whose only key stopped being valid before the events were sent:
# room versions 5+ must refuse to use it (rooms/v5), 1-4 must ignore validity.
STALE = "stale.example.com"
STALE_KEY = m.derived_key(STALE, "ed25519:old")
KEY_VALID_UNTIL = R.TS0 + 3 * 365 * 24 * 3600 * 1000
STALE_VALID_UNTIL = R.TS0 - 1000


def key_document(key, valid_until):
    doc = {"server_name": key.server, "valid_until_ts": valid_until,
           "verify_keys": {key.key_id: {"key": key.public}}, "old_verify_keys": {}}
    return m.sign_json(doc, key)


def note(ev, text):
    ev = copy.deepcopy(ev)
    ev.setdefault("unsigned", {})["mxstate_sample"] = text
    return ev


def sample_events(rv):
    room = R.Room(rv)
    out = [note(room.events[name], "good: expect valid") for name in room.order]
    message = room.events["message"]
    # Content changed after signing: the signature (over the redacted form,
    # which drops the body) still holds, the content hash does not.
    tampered = copy.deepcopy(message)
    tampered["content"]["body"] = "Hello from somewhere else"
    out.append(note(tampered, "content edited after signing: expect hash-mismatch"))
    # A signed field changed: the signature breaks.
    moved = copy.deepcopy(message)
    moved["origin_server_ts"] += 1
    out.append(note(moved, "origin_server_ts edited after signing: expect bad-signature"))
    # The sender's server never signed.
    unsigned_ev = copy.deepcopy(message)
    unsigned_ev["signatures"] = {}
    out.append(note(unsigned_ev, "signatures removed: expect bad-signature (missing)"))
    # A message from a server whose key expired before it was sent.
    stale = room.make("stale-message", "m.room.message", "@sam:" + STALE,
                      {"msgtype": "m.text", "body": "sent with an expired key"}, None,
                      ["create", "power-levels"], signers=[STALE_KEY])
    verdict = "valid (key validity is ignored before room version 5)" if m.vnum(rv) < 5 \
        else "unknown-key (rooms/v5: key not valid at origin_server_ts)"
    out.append(note(stale, "signed with a key valid only until before the event: expect " + verdict))
    return out


def auth_example():
    """A room version 10 state and an event it must refuse: Bob (power 50)
    tries to kick Alice (power 100). For `mxstate auth` in the README."""
    room = R.Room("10")
    names = ["create", "alice-join", "power-levels", "join-rules", "bob-invite", "bob-join"]
    state = [room.events[n] for n in names]
    kick = room.make("bob-kicks-alice", "m.room.member", R.BOB, {"membership": "leave"},
                     R.ALICE, ["create", "power-levels", "bob-join", "alice-join"])
    auth_dir = os.path.join(HERE, "auth")
    os.makedirs(auth_dir, exist_ok=True)
    with open(os.path.join(auth_dir, "state-v10.jsonl"), "w") as f:
        for ev in state:
            f.write(json.dumps(ev, sort_keys=True, ensure_ascii=False) + "\n")
    with open(os.path.join(auth_dir, "kick-v10.json"), "w") as f:
        json.dump(kick, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def main():
    keys_dir = os.path.join(HERE, "keys")
    os.makedirs(keys_dir, exist_ok=True)
    for server, key in sorted(R.KEYS.items()):
        with open(os.path.join(keys_dir, server + ".json"), "w") as f:
            json.dump(key_document(key, KEY_VALID_UNTIL), f, indent=1, sort_keys=True)
            f.write("\n")
    with open(os.path.join(keys_dir, STALE + ".json"), "w") as f:
        json.dump(key_document(STALE_KEY, STALE_VALID_UNTIL), f, indent=1, sort_keys=True)
        f.write("\n")
    auth_example()
    for rv in VERSIONS:
        with open(os.path.join(HERE, "events-v%s.jsonl" % rv), "w") as f:
            for ev in sample_events(rv):
                f.write(json.dumps(ev, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
