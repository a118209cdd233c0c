#!/usr/bin/python3
"""A misbehaving adapter for tests/adapter/adapter_test.py.

Answers canonical-json requests by echoing the input text as the canonical
form (the test corpus only holds inputs that are already canonical), and
misbehaves when the test id names a way to: crash, segv, hang, garbage,
wrongid, long, unsupported, adaptererror, badanswer, typo, extra. `hang`
also starts a grandchild `sleep` so that the test can check the whole
process group is killed (FAKE_MARKER names its duration).
"""
import json
import os
import signal
import subprocess
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    for line in sys.stdin:
        request = json.loads(line)
        test_id = request["id"]
        tail = test_id.rsplit("/", 1)[-1]
        if tail == "crash":
            sys.exit(3)
        if tail == "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        if tail == "hang":
            subprocess.Popen(["sleep", os.environ.get("FAKE_MARKER", "1000")])
            time.sleep(1000)
        if tail == "garbage":
            sys.stdout.write("this is not JSON\n")
            sys.stdout.flush()
            continue
        if tail == "wrongid":
            reply({"id": "someone/else", "result": "valid"})
            continue
        if tail == "long":
            sys.stdout.write("x" * 5000)
            sys.stdout.flush()
            time.sleep(1000)
        if tail == "unsupported":
            reply({"id": test_id, "error": {"code": "unsupported"}})
            continue
        if tail == "adaptererror":
            reply({"id": test_id, "error": {"code": "boom", "message": "no"}})
            continue
        if tail == "badanswer":
            reply({"id": test_id, "result": "maybe"})
            continue
        output = {"canonical": request["input"]["json"]}
        if tail == "typo":
            reply({"id": test_id, "result": "valid", "ouput": output})
            continue
        reply({"id": test_id, "result": "valid", "output": output})
        if tail == "extra":
            reply({"id": test_id, "result": "valid", "output": output})


if __name__ == "__main__":
    main()
