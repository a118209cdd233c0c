#!/usr/bin/env bash
# Opens `mxstate dag --format html` pages in headless Chromium (Debian's
# `chromium`, installed by scripts/install-deps.sh) and checks what the page
# shows once its script has run: every event drawn as a node, the rejected
# and soft-failed marks, the state reset's highlighted path and the reset
# list the script builds, and nothing fetched from the network. A copy of
# the page with its script broken must fail the same checks, so the test
# can tell a working page from a broken one.
#   usage: dag_browser_test.sh PATH/TO/mxstate [REPO_ROOT]
# Exit 77 (ctest SKIP_RETURN_CODE) only when chromium is not installed.
set -uo pipefail
MX=${1:?usage: dag_browser_test.sh PATH/TO/mxstate [REPO_ROOT]}
ROOT=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $CHROMIUM ]]; then
  echo "SKIP: chromium is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
# shellcheck source=cli_expect.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli_expect.sh"

# dom PAGE: the DOM after the page's scripts ran. Network is refused: every
# host name resolves to nothing, so a page that needed the network would
# show it.
dom() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$TMP/profile-$RANDOM" \
    --host-resolver-rules='MAP * ~NOTFOUND' --virtual-time-budget=5000 \
    --dump-dom "file://$1" 2>"$TMP/chromium.err"
}

CHECK=$TMP/check.py
cat >"$CHECK" <<'PY'
"""check.py DOM HTML [key=value...]: what the rendered page shows."""
import html.parser, json, re, sys

dom_path, html_path = sys.argv[1], sys.argv[2]
want = dict(a.split("=", 1) for a in sys.argv[3:])
text = open(dom_path, encoding="utf-8").read()
source = open(html_path, encoding="utf-8").read()

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.nodes = []        # class lists of event nodes (g.node)
        self.status = None     # attrs of #status
        self.status_text = ""
        self.in_status = False
        self.resets = []       # texts of li.reset-item
        self.in_reset = False
        self.badges = []
        self.in_badge = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "g" and "node" in cls:
            self.nodes.append(cls)
        if a.get("id") == "status":
            self.status, self.in_status = a, True
        if tag == "li" and "reset-item" in cls:
            self.in_reset = True
            self.resets.append("")
        if tag == "text" and "badge" in cls:
            self.in_badge = True
            self.badges.append("")
    def handle_endtag(self, tag):
        if tag == "p": self.in_status = False
        if tag == "li": self.in_reset = False
        if tag == "text": self.in_badge = False
    def handle_data(self, data):
        if self.in_status: self.status_text += data
        if self.in_reset: self.resets[-1] += data
        if self.in_badge: self.badges[-1] += data

p = Page()
p.feed(text)
data = json.loads(re.search(r'<script type="application/json" id="mxstate-dag-data">(.*?)</script>',
                            source, re.S).group(1))
problems = []
def check(ok, what):
    if not ok: problems.append(what)

events = len(data["events"])
check(p.status is not None and p.status.get("data-ready") == "1",
      "the script did not run: #status is %r" % p.status_text)
check(p.status_text.startswith("drawn: %d events" % events), "status line: %r" % p.status_text)
check(len(p.nodes) == events, "%d event nodes drawn, %d events" % (len(p.nodes), events))
def count(cls): return sum(1 for c in p.nodes if cls in c)
for key, cls in (("rejected", "o-rejected"), ("soft_failed", "o-soft-failed"),
                 ("accepted", "o-accepted"), ("dropped", "o-dropped")):
    if key in want:
        check(count(cls) == int(want[key]), "%s nodes: %d, want %s" % (cls, count(cls), want[key]))
if "reset_merge" in want:
    merge = want["reset_merge"]
    check(count("rs-merge") >= 1, "no node marked as the reset's merge")
    check(count("rs-old") >= 1 and count("rs-lost") >= 1, "old/lost values not marked")
    check(count("rs-path") >= 3, "the reset path has %d nodes" % count("rs-path"))
    check("STATE RESET" in p.badges, "no STATE RESET badge: %r" % p.badges)
    check(any(merge in r for r in p.resets), "the reset list does not name %s: %r" % (merge, p.resets))
    check(p.status_text.endswith("%s state reset(s) highlighted" % want.get("resets", "1")),
          "status line: %r" % p.status_text)
# Self-contained: nothing to fetch.
check(not re.search(r'(src|href)\s*=\s*"(https?:)?//', source), "the page references the network")
check("@import" not in source and "url(http" not in source, "the CSS references the network")
if problems:
    print("FAIL " + "; ".join(problems))
    sys.exit(1)
print("ok: %d nodes, status %r, resets %r" % (len(p.nodes), p.status_text, p.resets))
PY

# Page 1: the bundled forked room, in creation order (so the demoted
# moderator's ban arrives after her demotion and is soft-failed), with its
# state reset.
merge=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["state_reset"]["merge_event"])' "$ROOT/samples/room/synth.json")
expect "dag html: sample room page written" 0 "$MX" dag --keys "$ROOT/samples/room/keys" "$ROOT/samples/room/events.jsonl" --arrival-input-order --format html -o "$TMP/room.html"
dom "$TMP/room.html" >"$TMP/room.dom"
expect "chromium: sample room shows nodes, soft failure and the reset" 0 $PY "$CHECK" "$TMP/room.dom" "$TMP/room.html" soft_failed=1 rejected=0 reset_merge="$merge" resets=1
cat "$TMP/out"

# Page 2: the signed v10 sample with rejected and dropped events.
expect "dag html: v10 sample page written" 0 "$MX" dag --keys "$ROOT/samples/keys" "$ROOT/samples/events-v10.jsonl" --format html -o "$TMP/v10.html"
dom "$TMP/v10.html" >"$TMP/v10.dom"
expect "chromium: v10 sample shows its rejected and dropped events" 0 $PY "$CHECK" "$TMP/v10.dom" "$TMP/v10.html" rejected=2 dropped=3 soft_failed=0
cat "$TMP/out"

# The same page with its script broken must fail the checks.
sed 's/var data = JSON.parse(/var data = JSON.parse(undefinedFunction() + /' "$TMP/room.html" >"$TMP/broken.html"
expect "the broken copy differs" 1 cmp -s "$TMP/room.html" "$TMP/broken.html"
dom "$TMP/broken.html" >"$TMP/broken.dom"
expect "chromium: a broken script fails the checks" 1 $PY "$CHECK" "$TMP/broken.dom" "$TMP/broken.html" soft_failed=1 reset_merge="$merge"
cat "$TMP/out"

echo "$pass passed, $fail failed"
((fail == 0))
