#!/usr/bin/env bash
# Coverage of the authorization rules engine reached by the corpus alone.
#
# Builds the library and the CLI with g++ --coverage -O0 in build-cov/, runs
# `mxstate vectors run spec-vectors/auth` (nothing else), then runs
# `gcov -b -c` on the rules engine's sources and prints, per file, the lines
# executed and the branches taken at least once. Then lists every rule
# decision (call sites of Reject( / Allow( / Decide( in the engine, and the
# Fail( sites of power_levels.cc) that the corpus never reaches, from the
# `#####` marks of the .gcov files. Finally prints the corpus's tests per
# suite and room version (computed from the files).
#
#   usage: scripts/auth-coverage.sh        env: BUILD_DIR (default build-cov), JOBS
# Exit status: 0 when the figures were produced (whatever they are), 1 when
# the build or the corpus run failed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-cov}
JOBS=${JOBS:-2}
FILES=(auth.cc auth_rules.cc power_levels.cc auth_rule_numbers.cc)

CXX=${CXX:-g++} cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="--coverage -O0" -DCMAKE_EXE_LINKER_FLAGS="--coverage" \
  -DMXSTATE_BUILD_TESTS=OFF -DMXSTATE_BUILD_BENCH=OFF -DMXSTATE_BUILD_FUZZ=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target mxstate >/dev/null

OBJ_DIR=$BUILD_DIR/CMakeFiles/mxstate_lib.dir/libstate/src
# Counters from this run only.
find "$BUILD_DIR" -name '*.gcda' -delete

echo "== mxstate vectors run spec-vectors/auth"
"$BUILD_DIR/mxstate" vectors run "$ROOT/spec-vectors/auth" | tail -n 3

GCOV_DIR=$BUILD_DIR/gcov
rm -rf "$GCOV_DIR"
mkdir -p "$GCOV_DIR"
echo
echo "== gcov -b -c ($(gcov --version | head -n 1)), $(date -u +%Y-%m-%d)"
printf '%-22s %8s %8s %10s %8s %16s %8s\n' file lines "lines%" branches "taken%" "non-throw br." "taken%"
for f in "${FILES[@]}"; do
  summary=$(cd "$GCOV_DIR" && gcov -b -c -o "$OBJ_DIR" "$OBJ_DIR/$f.o" 2>/dev/null |
            awk -v want="$ROOT/libstate/src/$f" '
              /^File / { gsub(/\x27/, "", $2); on = ($2 == want) }
              on && /^Lines executed:/ { split($2, a, ":"); sub(/%/, "", a[2]); lp = a[2]; ln = $4 }
              on && /^Taken at least once:/ { split($4, a, ":"); sub(/%/, "", a[2]); tp = a[2]; bn = $6 }
              on && /^No branches/ { tp = "-"; bn = 0 }
              END { print ln, lp, bn, tp }')
  read -r nlines lpct nbranches tpct <<<"$summary"
  # The same count without the branches gcov marks "(throw)" (the
  # compiler's exception edges of calls, which no input can take).
  nothrow=$(awk '/^branch/ && !/\(throw\)/ { n++; if ($3 == "taken" && $4 > 0) t++ }
                 END { printf "%d %.2f", n, n ? 100 * t / n : 0 }' "$GCOV_DIR/$f.gcov")
  read -r nt_n nt_pct <<<"$nothrow"
  printf '%-22s %8s %7s%% %10s %7s%% %16s %7s%%\n' "$f" "$nlines" "$lpct" "$nbranches" "$tpct" \
    "$nt_n" "$nt_pct"
done

echo
echo "== rule decisions the corpus never reaches (file:line: source)"
unreached=0
for f in "${FILES[@]}"; do
  g="$GCOV_DIR/$f.gcov"
  [[ -f $g ]] || { echo "missing $g"; continue; }
  # Lines look like "    #####:  123:    return Reject(...". Branch and call
  # lines of `gcov -b` start with "branch"/"call" and are skipped.
  while IFS= read -r line; do
    lineno=$(echo "$line" | cut -d: -f2 | tr -d ' ')
    src=$(echo "$line" | cut -d: -f3- | sed -e 's/^ *//')
    echo "libstate/src/$f:$lineno: $src"
    unreached=$((unreached + 1))
  done < <(grep -E '^ *#####: *[0-9]+:.*(return (Reject|Allow|Decide|Fail)\(|Decide\()' "$g" || true)
done
echo "($unreached unreached decision sites)"

echo
echo "== corpus: tests per suite and room version (spec-vectors/*/*.json)"
python3 - "$ROOT/spec-vectors" <<'PY'
import collections, glob, json, os, sys
root = sys.argv[1]
counts = collections.defaultdict(collections.Counter)
for path in sorted(glob.glob(os.path.join(root, "*", "*.json"))):
    if os.path.basename(os.path.dirname(path)) == "schema":
        continue
    data = json.load(open(path, encoding="utf-8"))
    if not isinstance(data, dict) or "tests" not in data:
        continue
    for t in data["tests"]:
        counts[data["suite"]][t.get("room_version") or "(none)"] += 1
order = ["(none)"] + [str(i) for i in range(1, 13)] + ["org.matrix.hydra.11"]
versions = [v for v in order if any(v in c for c in counts.values())]
versions += sorted({v for c in counts.values() for v in c} - set(versions))
head = ["suite"] + ["hydra" if v == "org.matrix.hydra.11" else v for v in versions] + ["total"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
totals = collections.Counter()
for suite in sorted(counts):
    c = counts[suite]
    totals.update(c)
    print("| " + " | ".join([suite] + [str(c.get(v, 0)) for v in versions] +
                             [str(sum(c.values()))]) + " |")
print("| **total** | " + " | ".join([str(totals.get(v, 0)) for v in versions] +
                                   [str(sum(totals.values()))]) + " |")
PY
