"""spec-vectors/README.md, written by the generator so that its counts stay true."""
import collections

import mxcore as m

RVS = ["-"] + m.ROOM_VERSIONS + [m.HYDRA]

TEMPLATE = """# mxstate public conformance corpus (`spec-vectors/`)

Language-neutral test vectors for Matrix room-event verification: canonical JSON, content
hashes, redaction, event IDs, JSON and event signing, event verification, the authorization
rules (`auth`), state resolution (`state-res`), room replays (`room`) and restricted-join
decisions (`restricted-join`), for room versions 1 to 12 (plus `org.matrix.hydra.11`, the pre-release name of version 12). Any homeserver or
library can run them; `mxstate vectors run` runs them for mxstate.

**Generated files: do not edit by hand.** Regenerate with

    /usr/bin/python3 tools/vectorgen/generate.py

from the repository root (see `tools/vectorgen/README.md`). Output is deterministic.

## Format

Every file follows the `mxstate-vectors/1` format defined by the project's format contract,
`spec-vectors-format.md` (machine-readable form: `schema/mxstate-vectors-1.schema.json`, a
draft-07 JSON Schema using only simple keywords). In short:
top-level `format`, `suite`, `description`, `references`, `tests`; each test has `id` (unique
across the corpus), `room_version`, `comment`, `input`, `result` (`valid`/`invalid`),
`expected`, `flags`, `source`. Every test here carries `source`, which says where its
expectation came from (never from mxstate itself):

* `spec: ...`: an example printed in the Matrix spec, or a rule quoted by section;
* `hand-worked ...`: reasoned in `comment` (a constructed case with one known fault, or an
  mxstate decision where the spec is silent);
* a library name and version: computed independently with Debian 12's python3-canonicaljson
  1.6.2, python3-signedjson 1.1.1, python3-nacl 1.5.0 and hashlib, plus a redaction function
  transcribed from the spec's redaction fragments (`tools/vectorgen/mxcore.py`);
* `element-hq/synapse@...`: a vector from Synapse's unit tests, re-verified.

Flags: `spec-example` (printed in the spec), `divergence` (known implementations disagree; the
comment says who does what; see anchors D1-D8), `edge-case`, `regression`.

## Files

{files}

## Counts (valid/invalid) per suite and room version

`-` = no `room_version` (canonical-json only: the spec appendix's generic canonicalisation).

{counts}

## Decisions encoded in the vectors

* Canonical JSON numbers: without `room_version`, a number is accepted iff its exact value is
  an integer within +-(2^53-1) and is written as a plain integer (`-0` -> `0`, `1e10` ->
  `10000000000`, as the spec's own example requires); in room versions 6-12 only integer
  syntax is accepted (`1E2`, `1.0`, `0.0`, `-0.0` refused; `-0` -> `0`); in 1-5 any number is
  accepted and written as python's `json.dumps` does (`100.0`, `1e+16`, `50.57`); a double
  overflow such as `1e400` is refused everywhere.
* Duplicate keys (also after unescaping), unpaired surrogate escapes, invalid UTF-8, overlong
  forms, UTF-16, a UTF-8 BOM and nesting deeper than 128 levels are refused. Top-level scalars
  are accepted.
* verify-event: `valid` iff the PDU format is right for the version, every required signature
  verifies, and the content hash matches (a hash mismatch is reported as `hash.mismatch`,
  although a server would keep the redacted copy). Required signers: the sender's server
  (except for an `m.room.member` invite carrying `third_party_invite`), the `event_id` server
  in v1-2, the `join_authorised_via_users_server` user's server in v8+. A required server
  with no signature under a key given in `server_keys` fails (`signature.unknown_key`).
  PDU format: `depth` may equal the version's limit (2^63-1 in v1-5, 2^53-1 from v6: the
  schemas' "if the room's depth is already at the limit, the depth must be set to the
  limit"), never be negative; a top-level `redacts` must be a string in v1-10 (pdu_v1 to
  pdu_v6) and is an ignored extra key from v11; `origin`, gone from the schemas since spec
  v1.3, may hold anything. User IDs follow the appendix's historical grammar: any localpart
  without `:` or NUL, the empty one included, and at most 255 bytes.
* auth: `valid` iff the event is allowed by the version's authorization rules with
  `input.auth_events` as its auth events, the checks on the auth_events list included; every
  comment names the deciding rule in that version's numbering. A missing `m.room.join_rules`
  event admits no join (Synapse assumes `invite`); only a JSON `false` `m.federate` stops
  other servers; v1-5 float power levels are truncated toward zero.
* auth input extension: the optional `input.rejected_auth_events` lists IDs among
  `input.auth_events` that were themselves rejected on receipt, so that rule 2.3 (v12: 3.3)
  can be tested (`auth/rejected-auth-events.json`). A runner that does not know the field
  must not ignore it (the format's rule on unknown fields), so these vectors fail loudly
  rather than pass silently there.
* room input extension: the optional `input.arrival_order` lists every event's ID in the
  order a server received them (each after the events it cites). With it, receipt step 6 is
  judged (s2s "Soft failure"): an event that passes its auth events and the state before it
  but not the auth rules against the current state when it arrived (the resolution of the
  states after the forward extremities so far) is soft failed. It is not rejected and keeps
  its state after, but is never a forward extremity. Such vectors carry
  `expected.soft_failed` (IDs, order does not matter) next to `rejected` and `state`
  (`room/soft-failure.json`); as with `rejected_auth_events`, a runner that does not know
  the field fails them rather than passing silently.
* restricted-join (a suite added to the format by this corpus): `input` is
  `{{"room": [...], "rooms": {{"!id": [...]}}, "user_id": "@...", "authoriser": "@..."}}`:
  the target room's state events (its create event gives the version and must agree with
  `room_version`), optionally the state events of rooms its `allow` list names, keyed by room
  ID (a room left out is one the resident server has no state for), the joining user, and
  optionally the user the join would name in `join_authorised_via_users_server`. `valid`
  means a resident server lets the join through: the user needs no condition (invited,
  joined, or a public room), or an `m.room_membership` condition holds and the authoriser
  (when given) is joined with power >= the invite level. `expected` is
  `{{"matched_room": "!id"}}` (the first satisfied condition's room) or
  `{{"matched_room": null}}` (no condition needed). `invalid` covers a 403 (no condition
  holds, banned, join rule unsupported by the version or not restricted), a 400
  M_UNABLE_TO_AUTHORISE_JOIN (a condition names a room not given) and a 400
  M_UNABLE_TO_GRANT_JOIN (the authoriser cannot sign); `expected.error` gives mxstate's code
  (`restricted_join.*`, docs/errors.md). Events carry readable `event_id`s and no
  hashes or signatures, as in `auth`.
* state-res: the spec text read literally (auth chains exclude the event itself; power events
  are power levels, join rules, and kicks/bans; the create event is not one); where Synapse
  or ruma read it otherwise the vector says so and carries the `divergence` flag.
* Size limits: 65536 bytes of canonical JSON for the whole event (signatures included);
  255 bytes for `type`, `state_key`, `sender`, `room_id`, `event_id`; at most 10
  `auth_events` and 20 `prev_events`.

## Attribution and licences

* Examples from the Matrix specification (matrix-org/matrix-spec, commit
  d0ba2aaef801e0134a4e5c6054a2c2f41bb55531, `content/appendices.md`: canonical-JSON
  examples, the signing key seed, JSON-signing and event-signing vectors) are used under the
  Apache License 2.0, Copyright The Matrix.org Foundation C.I.C.
* `canonical-json/jsontestsuite.json` embeds, as test inputs, all 318 files of
  `test_parsing/` from nst/JSONTestSuite (commit 1ef36fa01286573e846ac449e8683f8833c5b26a),
  Copyright (c) 2016 Nicolas Seriot, MIT License; the licence text is in
  `third-party-licenses/JSONTestSuite-LICENSE`. The `y_`/`n_` verdicts are the suite's;
  decisions on `i_` files (and on the two `y_` duplicate-key files) are mxstate's, stated in
  each test's comment.
* The event-ID vector from Synapse's `rust/src/events/utils.rs` (`test_calculate_event_id`,
  element-hq/synapse, AGPL-3.0-only / commercial) is factual test data (one event and its
  IDs), re-verified independently.
"""

FILE_DESC = {}


def render(files):
    lines = []
    for name, f in sorted(files.items()):
        lines.append("* `%s` (%d tests): %s" % (name, len(f["tests"]), f.get("description", "")))
    c = collections.Counter()
    for f in files.values():
        for t in f["tests"]:
            c[(f["suite"], t.get("room_version", "-"), t["result"])] += 1
    suites = sorted({k[0] for k in c})
    hdr = "| suite | " + " | ".join("hydra.11" if r == m.HYDRA else r for r in RVS) + " | total |"
    sep = "|" + "---|" * (len(RVS) + 2)
    rows = [hdr, sep]
    for s in suites:
        cells = []
        tot = 0
        for r in RVS:
            v, i = c[(s, r, "valid")], c[(s, r, "invalid")]
            tot += v + i
            cells.append("%d/%d" % (v, i) if v + i else "")
        rows.append("| %s | %s | %d |" % (s, " | ".join(cells), tot))
    return TEMPLATE.format(files="\n".join(lines), counts="\n".join(rows))
