# Shared by the command-line test scripts (sourced): PASS/FAIL lines and the check of a refusal.
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; exit 1; }
# refuses "DESCRIPTION" "EXPECTED TEXT" COMMAND...: a non-zero exit and one line that says what to do.
refuses() {
  local what=$1 text=$2; shift 2
  if out=$("$@" 2>&1); then fail "$what: exit 0"; fi
  [[ "$out" == *"$text"* ]] || fail "$what: expected \"$text\" in: $out"
  pass "$what"
}
