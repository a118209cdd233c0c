#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, checks the installed
# files, and builds and runs a small program against it twice: with CMake's
# find_package(mxstate) and with pkg-config.
#   usage: install_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
SRC=${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix
fail=0
ok() { echo "PASS $1"; }
bad() { echo "FAIL $1"; fail=1; }

cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1 &&
  ok "cmake --install" || { bad "cmake --install"; cat "$TMP/install.log"; exit 1; }

for f in bin/mxstate include/mxstate/json.h include/mxstate/status.h \
         share/man/man1/mxstate.1 share/bash-completion/completions/mxstate; do
  [[ -f $PREFIX/$f ]] && ok "installed $f" || bad "missing $f"
done
LIBA=$(find "$PREFIX" -name libmxstate.a | head -n1)
PCDIR=$(dirname "$(find "$PREFIX" -name mxstate.pc | head -n1)")
CONFIG=$(find "$PREFIX" -name mxstateConfig.cmake | head -n1)
[[ -n $LIBA ]] && ok "installed libmxstate.a" || bad "missing libmxstate.a"
[[ -n $CONFIG ]] && ok "installed mxstateConfig.cmake" || bad "missing mxstateConfig.cmake"
"$PREFIX/bin/mxstate" --version | grep -q '^mxstate ' && ok "installed CLI runs" ||
  bad "installed CLI runs"

# Every command of `mxstate --help` is in the man page and completes.
commands=$("$PREFIX/bin/mxstate" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[[ -n $commands ]] || bad "no commands found in mxstate --help"
for c in $commands; do
  grep -q "^\.B $c\b" "$PREFIX/share/man/man1/mxstate.1" || bad "man page lacks $c"
done
man_ok=1
command -v groff >/dev/null && { groff -man -Tutf8 -ww -z "$PREFIX/share/man/man1/mxstate.1" 2>"$TMP/groff.err"; [[ -s $TMP/groff.err ]] && { bad "man page warnings"; cat "$TMP/groff.err"; man_ok=0; }; }
((man_ok)) && ok "man page lists every command"
completions=$(PATH=$PREFIX/bin:$PATH bash -c "source '$PREFIX/share/bash-completion/completions/mxstate'
  COMP_WORDS=(mxstate ''); COMP_CWORD=1; _mxstate; echo \${COMPREPLY[*]}" 2>&1)
for c in $commands; do
  [[ " $completions " == *" $c "* ]] || bad "completion lacks $c ($completions)"
done
vopts=$(PATH=$PREFIX/bin:$PATH bash -c "source '$PREFIX/share/bash-completion/completions/mxstate'
  COMP_WORDS=(mxstate vectors run --im); COMP_CWORD=3; _mxstate; echo \${COMPREPLY[*]}" 2>&1)
[[ $vopts == "--impl" ]] && ok "completion of vectors run --im" || bad "completion of vectors run --im: $vopts"

WANT='{"a":0,"b":10000000000} '
# find_package
cmake -S "$SRC/tests/install/consumer" -B "$TMP/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$PREFIX" >"$TMP/cfg.log" 2>&1 &&
  cmake --build "$TMP/consumer" >"$TMP/build.log" 2>&1 &&
  out=$("$TMP/consumer/consumer") && [[ $out == "$WANT"* ]] &&
  ok "find_package(mxstate) program: $out" ||
  { bad "find_package(mxstate) program"; cat "$TMP/cfg.log" "$TMP/build.log"; }
# pkg-config
flags=$(PKG_CONFIG_PATH=$PCDIR pkg-config --cflags --libs mxstate) &&
  c++ -std=c++20 "$SRC/tests/install/consumer/main.cc" -o "$TMP/pc-consumer" $flags \
    >"$TMP/pc.log" 2>&1 &&
  out=$("$TMP/pc-consumer") && [[ $out == "$WANT"* ]] &&
  ok "pkg-config mxstate program: $out" ||
  { bad "pkg-config mxstate program ($flags)"; cat "$TMP/pc.log"; }
exit $fail
