# Shared by the CLI test scripts (sourced): `expect` and `expect_out`
# checks with PASS/FAIL lines, counted in $pass and $fail. Needs $TMP.
pass=0
fail=0
# expect NAME CODE CMD... : runs CMD, checks its exit code.
expect() {
  local name=$1 want=$2
  shift 2
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local got=$?
  if [[ $got == "$want" ]]; then
    pass=$((pass + 1))
    echo "PASS $name (exit $got)"
  else
    fail=$((fail + 1))
    echo "FAIL $name: expected exit $want, got $got"
    echo "     command: $*"
    sed 's/^/     stdout: /' "$TMP/out" | head -n 15
    sed 's/^/     stderr: /' "$TMP/err" | head -n 15
  fi
}
# expect_out NAME EXPECTED_STDOUT CMD... : exit 0 and exactly this stdout
# (trailing newline ignored).
expect_out() {
  local name=$1 want=$2
  shift 2
  local got
  got=$("$@" 2>"$TMP/err" </dev/null)
  local rc=$?
  if [[ $rc == 0 && "$got" == "$want" ]]; then
    pass=$((pass + 1))
    echo "PASS $name"
  else
    fail=$((fail + 1))
    echo "FAIL $name: exit $rc"
    echo "     expected: $want"
    echo "     got:      $got"
    sed 's/^/     stderr: /' "$TMP/err" | head -n 15
  fi
}
