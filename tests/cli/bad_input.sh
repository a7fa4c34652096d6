# End to end: the shared readers' bad inputs (issue 2's list) through the real binary. Each gives exit 3
# (bad input data) or 1 (a file that cannot be opened), exactly one line on stderr, and names the place:
# file:line:column for CSV, the file for .npy. `csc pca` is the reader's consumer here.
source "$(dirname "$0")/lib/assert.sh"
CSC=$(cd "$(dirname "$CSC")" && pwd)/$(basename "$CSC")
cd "$scratch" || exit 1

: >empty.csv
printf 'a,b\n' >header_only.csv
printf 'a,b\n1,2\n3,abc\n' >text_cell.csv
printf 'a,b\n1,2\n3,4,5\n' >ragged.csv
printf 'a,b\n1,"2\n3,4\n' >open_quote.csv
printf 'a,b\n1,2\n3,\xff\xfe\n' >invalid_utf8.csv
printf 'a,b\n1,2\n3,nan\n4,5\n' >nan_text.csv
printf 'a,b\n1,2\n3,inf\n4,5\n' >inf_text.csv
printf '\x93NUMPY\x01\x00' >truncated.npy
printf 'NOT A NUMPY FILE' >bad_magic.npy

# file, the location the one stderr line must name
cases=(
  "empty.csv|empty.csv: the file is empty"
  "header_only.csv|header_only.csv:1:1: "
  "text_cell.csv|text_cell.csv:3:3: \"abc\" is not a number"
  "ragged.csv|ragged.csv:3:1: this row has 3 fields"
  "open_quote.csv|open_quote.csv:2:3: this quoted field is never closed"
  "invalid_utf8.csv|invalid_utf8.csv:3:3: "
  "nan_text.csv|nan_text.csv:3:3: \"nan\" is not a finite number"
  "inf_text.csv|inf_text.csv:3:3: \"inf\" is not a finite number"
  "truncated.npy|truncated.npy: truncated .npy file"
  "bad_magic.npy|bad_magic.npy: not a .npy file"
)
for case in "${cases[@]}"; do
  file=${case%%|*} where=${case#*|}
  expect_status 3 "$CSC" pca "$file"
  expect_one_stderr_line "$file"
  expect_in "$err" "^csc pca: error: $where" "$file"
done

expect_status 3 "$CSC" pca text_cell.csv --columns nope
expect_one_stderr_line "unknown column"
expect_in "$err" "text_cell.csv:1:1: no column is named \"nope\"" "unknown column names the header"

expect_status 1 "$CSC" pca missing.csv
expect_one_stderr_line "missing file"
expect_in "$err" "cannot open missing.csv" "missing file"

# A 1 MB line of numbers is data, not an error.
awk 'BEGIN {for (i = 0; i < 3; i++) {for (j = 0; j < 120000; j++) printf "%s%d.123456", (j ? "," : ""), i * j % 7; print ""}}' >wide_line.csv
[ "$(head -1 wide_line.csv | wc -c)" -gt 1000000 ] || fail "wide_line.csv has no 1 MB line"
expect_status 0 "$CSC" pca wide_line.csv --header no -k 1 --json
expect_json '.result.n_features == 120000 and .result.n_samples == 3' "a 1 MB line of 120000 numbers is read"
finish
