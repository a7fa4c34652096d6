# Assertions shared by the end-to-end scripts in tests/cli/ (sourced, not run; lives in lib/ so ctest skips it).
# Each script is run as `bash tests/cli/<name>.sh /path/to/csc`.
set -uo pipefail
CSC=${1:?usage: $0 /path/to/csc}
failures=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_status N cmd args...: runs the command, keeps stdout/stderr in $out/$err, checks the status.
expect_status() {
  local want=$1; shift
  "$@" >"$scratch/out" 2>"$scratch/err"
  local got=$?
  out=$(cat "$scratch/out"); err=$(cat "$scratch/err")
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want; stderr: $err"
}

# expect_in TEXT PATTERN WHAT: grep -E PATTERN in TEXT.
expect_in() { grep -qE -- "$2" <<<"$1" || fail "$3: /$2/ not found in: $1"; }

# expect_json FILTER WHAT: jq -e FILTER on the last command's stdout.
expect_json() { jq -e "$1" >/dev/null 2>&1 <<<"$out" || fail "$2: jq '$1' failed on: ${out:0:400}"; }

# expect_one_stderr_line WHAT: bad input gives exactly one line on stderr.
expect_one_stderr_line() { [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "$1: expected one stderr line, got: $err"; }

finish() {
  if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
  echo "ok"
}
