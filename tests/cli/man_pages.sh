# Man pages, driven by the command table through `csc --help`: every subcommand has a page that is
# mandoc-lint clean and mentions every long option of its --help (and of its verbs' --help).
source "$(dirname "$0")/lib/assert.sh"
man_dir="${CSC_SOURCE_DIR:?}/man"

lint() {
  mandoc -Tlint -W warning "$1" >"$scratch/lint" 2>&1 || fail "mandoc -Tlint $1: $(cat "$scratch/lint")"
}

# subcommands_of "csc args...": the names under "Subcommands:" in that command's --help.
subcommands_of() { "$@" --help | awk '/^Subcommands:/{on=1; next} on && /^[^ ]/{on=0} on && NF {print $1}'; }

# Every long option of "csc args... --help" appears in the page.
check_options() {
  local page=$1; shift
  for option in $("$@" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
    grep -qE -- "(^|[^a-z-])(\\\\-\\\\-|\\\\-|-|Fl \\\\-|Fl )${option#--}([^a-z0-9-]|$)" "$page" \
      || fail "$(basename "$page") does not document $option (from '$* --help')"
  done
}

lint "$man_dir/csc.1"
check_options "$man_dir/csc.1" "$CSC"
subs=$(subcommands_of "$CSC")
[ -n "$subs" ] || fail "no subcommands found in csc --help"
for sub in $subs; do
  page="$man_dir/csc-$sub.1"
  [ -f "$page" ] || { fail "no man page $page for subcommand $sub"; continue; }
  lint "$page"
  grep -q "csc-$sub" "$man_dir/csc.1" || fail "csc.1 does not refer to csc-$sub"
  check_options "$page" "$CSC" "$sub"
  for verb in $(subcommands_of "$CSC" "$sub"); do
    check_options "$page" "$CSC" "$sub" "$verb"
  done
done
finish
