# Shared by the command-line test scripts (sourced): PASS/FAIL lines, the check of a refusal, waiting for a condition.
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; exit 1; }
# refuses "DESCRIPTION" "EXPECTED TEXT" COMMAND...: a non-zero exit and one line that says what to do.
refuses() {
  local what=$1 text=$2; shift 2
  if out=$("$@" 2>&1); then fail "$what: exit 0"; fi
  [[ "$out" == *"$text"* ]] || fail "$what: expected \"$text\" in: $out"
  pass "$what"
}
# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds or the time is up.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do ((SECONDS < deadline)) || return 1; sleep 0.1; done
}
