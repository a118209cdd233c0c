#!/usr/bin/python3
"""ctest driver for `mxstate vectors run --impl` (docs/adapters.md).

  adapter_test.py MXSTATE REPO_ROOT protocol   misbehaving adapters
  adapter_test.py MXSTATE REPO_ROOT mxstate    mxstate's own adapter
  adapter_test.py MXSTATE REPO_ROOT python     the python-matrix adapter

Prints PASS/FAIL per check and exits 1 if any check failed.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

MX, ROOT, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
PY = "/usr/bin/python3"
HERE = os.path.join(ROOT, "tests", "adapter")
failures = 0


def check(name, ok, detail=""):
    global failures
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        failures += 1


def run(impl, paths, *extra, env=None, timeout=900):
    cmd = [MX, "vectors", "run", "--json", "--impl", impl, *extra, *paths]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=timeout)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        report = None
    return proc.returncode, report, proc.stderr


def reasons(report):
    return {t["id"].rsplit("/", 1)[-1]: (t["verdict"], t.get("reason", ""))
            for t in report["tests"]}


def protocol():
    corpus = os.path.join(HERE, "corpus.json")
    marker = str(900000 + os.getpid())  # the grandchild `sleep MARKER`
    env = dict(os.environ, FAKE_MARKER=marker)
    with tempfile.TemporaryDirectory() as tmp:
        junit, matrix = os.path.join(tmp, "r.xml"), os.path.join(tmp, "m.md")
        code, report, err = run(
            PY + " " + os.path.join(HERE, "fake_adapter.py"), [corpus],
            "--timeout-ms", "1500", "--max-line-bytes", "1024",
            "--junit", junit, "--matrix", matrix, env=env)
        check("misbehaving adapter: exit 1", code == 1, "exit %d %s" % (code, err))
        if report is None:
            check("misbehaving adapter: JSON report", False, err)
            return
        got = reasons(report)
        want = {
            "ok1": ("pass", ""), "crash": ("fail", "adapter.crashed"),
            "ok2": ("pass", ""), "segv": ("fail", "adapter.crashed"),
            "ok3": ("pass", ""), "hang": ("fail", "adapter.timeout"),
            "ok4": ("pass", ""), "garbage": ("fail", "adapter.garbage"),
            "ok5": ("pass", ""), "wrongid": ("fail", "adapter.wrong_id"),
            "ok6": ("pass", ""), "long": ("fail", "adapter.too_long"),
            "ok7": ("pass", ""), "unsupported": ("skip", "unsupported"),
            "adaptererror": ("fail", "adapter.error"),
            "badanswer": ("fail", "adapter.bad_answer"),
            "typo": ("fail", "adapter.bad_answer"),
            "extra": ("pass", ""), "ok8": ("fail", "adapter.wrong_id"),
        }
        for name, (verdict, prefix) in want.items():
            v, reason = got.get(name, ("missing", ""))
            check("fake %s -> %s %s" % (name, verdict, prefix),
                  v == verdict and reason.startswith(prefix), "%s %r" % (v, reason))
        check("segv names the signal", "signal 11" in got["segv"][1], got["segv"][1])
        check("crash names the status", "status 3" in got["crash"][1], got["crash"][1])
        s = report["summary"]
        check("summary counts", (s["passed"], s["failed"], s["skipped"]) == (8, 10, 1),
              str(s))
        time.sleep(0.2)
        ps = subprocess.run(["pgrep", "-f", "sleep " + marker], capture_output=True)
        check("hung adapter's process group is gone", ps.returncode == 1,
              ps.stdout.decode())
        try:
            suites = ET.parse(junit).getroot()
            check("junit: 19 tests", suites.get("tests") == "19", suites.get("tests"))
            types = {f.get("type") for f in suites.iter("failure")}
            check("junit: failure types are the adapter codes",
                  {"adapter.timeout", "adapter.crashed", "adapter.garbage"} <= types, str(types))
        except ET.ParseError as e:
            check("junit parses", False, str(e))
        text = open(matrix).read()
        check("matrix row", "| canonical-json | 8/10/1 | 8/10/1 |" in text, text)
        # A command that never answers is given up on after three starts.
        start = time.time()
        code, report, err = run("exit 7", [corpus])
        took = time.time() - start
        got = reasons(report)
        crashed = [n for n, (v, r) in got.items() if r.startswith("adapter.crashed")]
        gave_up = [n for n, (v, r) in got.items() if r.startswith("adapter.gave_up")]
        check("dead command: 3 crashes then gave up",
              len(crashed) == 3 and len(gave_up) == 16 and code == 1,
              "%d %d exit %d" % (len(crashed), len(gave_up), code))
        check("dead command: fast", took < 10, "%.1f s" % took)
        zombies = subprocess.run(["ps", "-o", "stat=", "--ppid", str(os.getpid())],
                                 capture_output=True, text=True).stdout
        check("no zombie children left", "Z" not in zombies, zombies)


def serve_robustness():
    """`vectors serve` answers every line, whatever it is, and keeps going."""
    lines = [
        "not json",
        json.dumps({"id": "a", "suite": "no-such-suite", "input": {}}),
        json.dumps({"id": "b", "suite": "canonical-json", "input": {"typo": "1"}}),
        json.dumps({"id": "c", "suite": "content-hash", "room_version": "99",
                    "input": {"event": {}}}),
        json.dumps({"id": "d", "suite": "content-hash", "input": {"event": {}}}),
        "",
        json.dumps({"id": "e", "suite": "canonical-json", "room_version": None,
                    "input": {"json": "{\"b\":1,\"a\":2}"}}),
    ]
    proc = subprocess.run([MX, "vectors", "serve"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=60)
    answers = [json.loads(l) for l in proc.stdout.splitlines()]
    codes = [a.get("error", {}).get("code", a.get("result")) for a in answers]
    check("serve: one answer per non-blank line, in order", proc.returncode == 0 and codes == [
        "bad_request", "unsupported", "bad_request", "bad_request", "bad_request", "valid"],
        "exit %d %s" % (proc.returncode, codes))
    check("serve: canonical output", answers[-1].get("output") == {"canonical": '{"a":2,"b":1}'},
          str(answers[-1]))


def summary_of(code, report, err):
    return report["summary"] if report else {"error": err, "exit": code}


def mxstate_adapter():
    corpus = os.path.join(ROOT, "spec-vectors")
    direct = subprocess.run([MX, "vectors", "run", "--json", corpus],
                            capture_output=True, text=True)
    want = json.loads(direct.stdout)["summary"]
    code, report, err = run(MX + " vectors serve", [corpus])
    s = summary_of(code, report, err)
    check("serve: exit 0", code == 0, str(s))
    check("serve: same passes as in process, nothing skipped",
          report is not None and s["passed"] == want["passed"] and s["skipped"] == 0,
          "%s vs %s" % (s, want))
    env = dict(os.environ, MXSTATE=MX)
    code, report, err = run(os.path.join(ROOT, "adapters", "mxstate-adapter"),
                            [os.path.join(corpus, "canonical-json")], env=env)
    check("adapters/mxstate-adapter: exit 0", code == 0, str(summary_of(code, report, err)))
    serve_robustness()


def python_adapter():
    expected_file = os.path.join(ROOT, "adapters", "python-matrix",
                                 "expected-failures.txt")
    want = set()
    for line in open(expected_file):
        line = line.split("#", 1)[0].strip()
        if line:
            want.add(line)
    adapter = PY + " " + os.path.join(ROOT, "adapters", "python-matrix", "adapter.py")
    code, report, err = run(adapter, [os.path.join(ROOT, "spec-vectors")])
    if report is None:
        check("python adapter: JSON report", False, err)
        return
    got = {t["id"] for t in report["tests"] if t["verdict"] == "fail"}
    harness = [t["id"] + ": " + t["reason"] for t in report["tests"]
               if t.get("reason", "").startswith("adapter.")]
    check("python adapter: no protocol failure", not harness, "\n".join(harness[:10]))
    check("python adapter: no file error", not report["file_errors"],
          str(report["file_errors"][:3]))
    check("python adapter: exactly the recorded findings fail", got == want,
          "newly failing: %s; no longer failing: %s"
          % (sorted(got - want)[:20], sorted(want - got)[:20]))
    passed = report["summary"]["passed"]
    check("python adapter: passes something in each suite it answers", all(
        any(t["verdict"] == "pass" and t["suite"] == s for t in report["tests"])
        for s in ("canonical-json", "content-hash", "sign-json")), str(passed))


{"protocol": protocol, "mxstate": mxstate_adapter, "python": python_adapter}[MODE]()
sys.exit(1 if failures else 0)
