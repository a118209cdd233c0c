#!/usr/bin/python3
"""Writes the sample room states of samples/spaces/ (JSON Lines, one state event a line).

space.json: a v10 space (alice admin; carol joined, bob left) listing #engineering and #standup.
engineering.json: a v10 room, restricted to members of the space; invite level 50 (bob 50).
engineering-old.json / engineering-v12.json: the same room tombstoned and upgraded to v12 by alice.
#standup's state is deliberately not given. Run from this directory.
"""
import json

A, B, C = "@alice:example.org", "@bob:example.org", "@carol:remote.example.net"
SP, ENG, STANDUP = "!space:example.org", "!engineering:example.org", "!standup:example.org"
NEW = "!engineering-v12:example.org"


def ev(room, type, key, sender, content, eid, ts=1700000000000):
    e = {"type": type, "state_key": key, "sender": sender, "content": content, "event_id": eid,
         "origin_server_ts": ts}
    if room:
        e["room_id"] = room
    return e


def mem(room, user, m, tag):
    return ev(room, "m.room.member", user, user, {"membership": m}, "$%s-%s-%s" % (tag, m, user[1:].split(":")[0]))


def write(name, events):
    with open(name, "w") as f:
        for e in events:
            f.write(json.dumps(e, sort_keys=True) + "\n")


ALLOW = {"join_rule": "restricted", "allow": [{"type": "m.room_membership", "room_id": SP}]}
write("space.json", [
    ev(SP, "m.room.create", "", A, {"creator": A, "room_version": "10", "type": "m.space"}, "$space-create"),
    ev(SP, "m.room.power_levels", "", A, {"users": {A: 100}, "events_default": 100}, "$space-pl"),
    ev(SP, "m.room.join_rules", "", A, {"join_rule": "invite"}, "$space-jr"),
    ev(SP, "m.space.child", ENG, A, {"via": ["example.org"], "order": "a", "suggested": True}, "$space-child-eng"),
    ev(SP, "m.space.child", STANDUP, A, {"via": ["example.org"], "order": "b"}, "$space-child-standup"),
    mem(SP, A, "join", "space"), mem(SP, C, "join", "space"), mem(SP, B, "leave", "space")])
room = [
    ev(ENG, "m.room.create", "", A, {"creator": A, "room_version": "10"}, "$eng-create"),
    ev(ENG, "m.room.power_levels", "", A, {"users": {A: 100, B: 50}, "invite": 50}, "$eng-pl"),
    ev(ENG, "m.room.join_rules", "", A, ALLOW, "$eng-jr"),
    ev(ENG, "m.space.parent", SP, A, {"via": ["example.org"], "canonical": True}, "$eng-parent"),
    mem(ENG, A, "join", "eng"), mem(ENG, B, "join", "eng")]
write("engineering.json", room)
write("engineering-old.json", [room[0],
    ev(ENG, "m.room.power_levels", "", A, {"users": {A: 100, B: 100}, "invite": 50}, "$eng-pl2")] + room[2:] + [
    mem(ENG, C, "join", "eng"),
    ev(ENG, "m.room.tombstone", "", A, {"body": "This room has been upgraded", "replacement_room": NEW},
       "$eng-tombstone")])
write("engineering-v12.json", [
    ev(None, "m.room.create", "", A, {"room_version": "12", "predecessor": {"room_id": ENG}}, "$new-create"),
    ev(NEW, "m.room.power_levels", "", A, {"users": {}, "invite": 50}, "$new-pl"),
    ev(NEW, "m.room.join_rules", "", A, ALLOW, "$new-jr"),
    mem(NEW, A, "join", "new")])
