# End to end: csc pca against scikit-learn's numbers, every solver, outputs, apply, out of core, bad input.
# Reference values: scripts/bench/pca_reference.py with scikit-learn 1.9.1 (PCA, svd_solver='full'),
# the same numbers as tests/kernels/pca/sklearn_reference.h.
source "$(dirname "$0")/lib/assert.sh"
data=${CSC_TEST_DATA:?}
digits=$data/digits/digits.csv
magic=$data/magic/magic04.data
cms=$data/cms/Zmumu_Run2011A.csv

# near VALUE EXPECTED RELATIVE: a jq expression that is true when |value - expected| <= relative * |expected|.
near() { echo "(($1) - ($2) | fabs) <= ($3) * (($2) | fabs)"; }

# No FILE: the embedded digits, a human summary.
expect_status 0 "$CSC" pca
expect_in "$out" "1797 samples x 64 features, K = 10" "embedded digits summary"
expect_in "$out" "solver: gram" "auto picks the Gram solver for the digits"

# Digits (float64): scikit-learn's explained_variance_ratio_, explained_variance_, singular_values_,
# noise_variance_ and components_ (after the sign rule).
for args in "$digits --label label" ""; do
  expect_status 0 "$CSC" pca $args -k 20 --json
  expect_json ".command == \"pca\" and .result.n_components == 20 and (.result.explained_variance_ratio | length) == 20
               and (.timing_s.total | type) == \"number\"" "digits: envelope ($args)"
  expect_json "$(near .result.explained_variance_ratio[0] 0.1489059358406384 1e-6) and
               $(near .result.explained_variance_ratio[1] 0.1361877123963544 1e-6) and
               $(near .result.explained_variance_ratio[2] 0.11794593763975808 1e-6) and
               $(near .result.explained_variance[0] 179.00693009797206 1e-6) and
               $(near .result.singular_values[0] 567.0065665016216 1e-6) and
               $(near .result.noise_variance 2.8878015128090486 1e-6)" "digits matches scikit-learn ($args)"
  expect_json "(.result.components[0][2] - (-0.22342883465920332) | fabs) < 1e-6 and
               (.result.components[1][5] - 0.11775531776074721 | fabs) < 1e-6" "digits components ($args)"
  expect_json '.result.zero_variance_columns == ["p0", "p32", "p39"]' "digits constant pixels reported"
done

# MAGIC, K = 3, with every solver (the acceptance interface: csc pca FILE -k K --solver S --json).
for solver in auto gram svd randomized krylov; do
  expect_status 0 "$CSC" pca "$magic" --label 10 -k 3 --solver $solver --json
  expect_json "$(near .result.explained_variance_ratio[0] 0.4404728315643294 1e-6) and
               $(near .result.explained_variance_ratio[1] 0.25799073868307415 1e-6) and
               $(near .result.explained_variance_ratio[2] 0.1349833045045818 1e-6) and
               $(near .result.explained_variance[0] 6579.791399778595 1e-6) and
               $(near .result.singular_values[2] 6192.70463686 1e-6) and
               $(near .result.noise_variance 355.42481448567867 1e-6)" "magic -k 3 --solver $solver"
  expect_json "(.result.components[0][0] - 0.32781230510055304 | fabs) < 1e-6" "magic component --solver $solver"
  [ "$solver" = auto ] || expect_json ".result.solver == \"$solver\"" "result.solver names the solver that ran"
  expect_json '(.result.solver_reason | length) > 0' "solver_reason is given"
done
# Standardised (StandardScaler + PCA).
expect_status 0 "$CSC" pca "$magic" --label 10 -k 5 --scale --json
expect_json "$(near .result.explained_variance_ratio[0] 0.4223990899412471 1e-6) and
             $(near .result.explained_variance_ratio[4] 0.07420193941999681 1e-6) and
             $(near .result.noise_variance 0.2906120367695571 1e-6)" "magic --scale"
# --variance: the smallest K whose cumulative ratio exceeds 0.95 (0.9197 at 6, 0.9605 at 7).
expect_status 0 "$CSC" pca "$magic" --label 10 --scale --variance 0.95 --json
expect_json '.result.n_components == 7 and .result.cumulative_explained_variance_ratio[6] > 0.95' "magic --variance 0.95"

# CMS Z->mumu: ten per-muon columns, the charge as label.
expect_status 0 "$CSC" pca "$cms" --columns pt1,eta1,phi1,dxy1,iso1,pt2,eta2,phi2,dxy2,iso2 --label Q1 -k 4 --json
expect_json "$(near .result.explained_variance_ratio[0] 0.4649727547479599 1e-6) and
             $(near .result.explained_variance_ratio[3] 0.030187818507455205 1e-6) and
             $(near .result.noise_variance 1.972834011437519 1e-6)" "cms matches scikit-learn"

# .npy input, float64 and float32 (a reconstruction with every component is the data again).
expect_status 0 "$CSC" pca "$digits" --label label -k 64 --reconstruct-out "$scratch/d64.npy"
expect_status 0 "$CSC" pca "$scratch/d64.npy" -k 20 --json
expect_json "$(near .result.explained_variance_ratio[0] 0.1489059358406384 1e-6) and .result.dtype == \"float64\"
             and .input.format == \"npy\"" "digits from .npy float64"
expect_status 0 "$CSC" pca "$digits" --label label -k 64 --dtype float32 --reconstruct-out "$scratch/d32.npy"
expect_status 0 "$CSC" pca "$scratch/d32.npy" -k 20 --json
expect_json "$(near .result.explained_variance_ratio[0] 0.1489059358406384 1e-4) and
             $(near .result.explained_variance_ratio[19] 0.009056174389949887 1e-4) and .result.dtype == \"float32\"" \
  "digits from .npy float32 (dtype kept)"

# Outputs: files, shapes, labels; never overwritten without --force.
expect_status 0 "$CSC" pca "$digits" --label label -k 5 --scores-out "$scratch/s.csv" --components-out "$scratch/c.csv" \
  --reconstruct-out "$scratch/r.csv" --errors-out "$scratch/e.csv" --model-out "$scratch/m.json" --json
[ "$(wc -l <"$scratch/s.csv")" = 1798 ] || fail "scores: header + 1797 rows"
[ "$(head -1 "$scratch/s.csv")" = "label,PC1,PC2,PC3,PC4,PC5" ] || fail "scores header"
[ "$(wc -l <"$scratch/c.csv")" = 6 ] || fail "components: header + 5 rows"
[ "$(head -1 "$scratch/r.csv" | tr ',' '\n' | wc -l)" = 65 ] || fail "reconstruction: label + 64 columns"
[ "$(sed -n 2p "$scratch/e.csv" | cut -d, -f1)" = 0 ] || fail "errors carry the label"
max_row=$(jq '.result.reconstruction_error.max_row' <<<"$out")
awk -F, -v want="$max_row" 'NR > 1 && $2 > best {best = $2; row = NR - 2} END {exit row != want}' "$scratch/e.csv" \
  || fail "result.reconstruction_error.max_row is the row with the largest error in --errors-out"
expect_status 1 "$CSC" pca "$digits" -k 5 --scores-out "$scratch/s.csv"
expect_in "$err" "exists, pass --force" "existing output refused"
expect_status 0 "$CSC" pca "$digits" -k 5 --scores-out "$scratch/s.csv" --force
expect_status 2 "$CSC" pca "$digits" --scores-out "$scratch/x.csv" --errors-out "$scratch/x.csv"

# apply: the saved model projects the same rows to the same scores.
expect_status 0 "$CSC" pca "$digits" --label label -k 5 --scores-out "$scratch/fit.csv" --model-out "$scratch/model.json"
expect_status 0 "$CSC" pca apply --model-in "$scratch/model.json" "$digits" --label label --scores-out "$scratch/applied.csv" --json
cmp -s "$scratch/fit.csv" "$scratch/applied.csv" || fail "apply reproduces the fit's scores"
expect_json '.command == "pca apply" and .result.n_samples == 1797 and .result.n_components == 5' "apply result"
expect_status 0 "$CSC" pca apply --model-in "$scratch/model.json" --json
expect_json '.result.n_samples == 1797' "apply on the embedded digits"

# Whitened scores have unit sample variance.
expect_status 0 "$CSC" pca "$magic" --label 10 -k 2 --whiten --scores-out "$scratch/w.csv"
awk -F, 'NR > 1 {s += $2 * $2; n++} END {v = s / (n - 1); exit (v < 0.999999 || v > 1.000001)}' "$scratch/w.csv" \
  || fail "whitened PC1 has unit variance"

# Out of core: a file larger than --memory is streamed, with the in-memory answer.
expect_status 0 "$CSC" pca "$magic" --label 10 -k 3 --memory 1M --json
expect_json ".result.out_of_core == true and .result.passes == 1 and
             $(near .result.explained_variance_ratio[0] 0.4404728315643294 1e-6) and
             $(near .result.noise_variance 355.42481448567867 1e-6)" "magic streamed"
expect_status 0 "$CSC" pca "$magic" --label 10 -k 3 --memory 1M --scores-out "$scratch/so.csv" --json
expect_json '.result.passes == 2' "a second pass writes the scores"
expect_status 0 "$CSC" pca "$magic" --label 10 -k 3 --scores-out "$scratch/si.csv"
paste -d, "$scratch/so.csv" "$scratch/si.csv" | awk -F, 'NR > 1 {for (i = 2; i <= 4; i++) {d = $i - $(i + 4); if (d < 0) d = -d; if (d > 1e-9 * (1 + ($i < 0 ? -$i : $i))) bad = 1}} END {exit bad}' \
  || fail "streamed scores equal the in-memory ones"

# --plot: an SVG with the scree and the scores.
expect_status 0 "$CSC" pca "$digits" --label label -k 5 --plot "$scratch/p.svg"
grep -q "<svg" "$scratch/p.svg" || fail "--plot writes an SVG"
grep -q "cumulative" "$scratch/p.svg" || fail "the scree panel shows the cumulative curve"
# 19020 rows: the score scatter keeps every second row (at most 10000 points), also when `apply`
# streams a CSV whose length it does not know in advance.
expect_status 0 "$CSC" pca "$magic" --label 10 -k 2 --plot "$scratch/m.svg" --model-out "$scratch/m2.json"
expect_status 0 "$CSC" pca apply --model-in "$scratch/m2.json" "$magic" --label 10 --plot "$scratch/a.svg"
for svg in m a; do
  points=$(grep -o "<circle" "$scratch/$svg.svg" | wc -l)
  [ "$points" -ge 9510 ] && [ "$points" -le 9530 ] || fail "$svg.svg: expected 9510 points (+ legend), got $points"
done

# Streamed with parsing and accumulating overlapped (2 threads): a bad cell in a later block stops
# the run with its location, after earlier blocks were handed to the worker.
{ echo "a,b,c"; seq 1 60000 | awk '{print $1 "," ($1 * 7) % 13 "," $1 % 5}'; echo "1,oops,3"; echo "1,2,3"; } \
  >"$scratch/late_bad.csv"
OMP_NUM_THREADS=2 expect_status 3 "$CSC" pca "$scratch/late_bad.csv" -k 2 --memory 1M
expect_in "$err" "late_bad.csv:60002:3: \"oops\" is not a number" "streamed: a bad cell in a later block"

# Bad input: exit 3 with one line, or a documented result; never a crash or a NaN.
printf 'a,b,c\n1,2,3\n' >"$scratch/one_row.csv"
printf 'a,b\n1,2\n3,nan\n' >"$scratch/nan.csv"
printf 'a,b\n1,2\n3\n' >"$scratch/ragged.csv"
printf 'a,b\n1,1\n1,1\n' >"$scratch/constant.csv"
for bad in one_row nan ragged constant; do
  expect_status 3 "$CSC" pca "$scratch/$bad.csv"
  expect_one_stderr_line "$bad"
done
# A NaN and an infinity in a float32 .npy (2000 x 3 zeros: 6000 values, past the first 4096-value
# block of the check), read whole: exit 3 naming the row and column.
npy_header="{'descr': '<f4', 'fortran_order': False, 'shape': (2000, 3), }"
printf '\x93NUMPY\x01\x00\x76\x00%-117s\n' "$npy_header" >"$scratch/nan.npy"
head -c 24000 /dev/zero >>"$scratch/nan.npy"
cp "$scratch/nan.npy" "$scratch/inf.npy"
printf '\x00\x00\xc0\x7f' | dd of="$scratch/nan.npy" bs=1 seek=$((128 + 4 * 4501)) conv=notrunc status=none
printf '\x00\x00\x80\xff' | dd of="$scratch/inf.npy" bs=1 seek=$((128 + 4 * 2)) conv=notrunc status=none
expect_status 3 "$CSC" pca "$scratch/nan.npy"
expect_in "$err" "row 1500, column 1: NaN value" ".npy NaN located past the first block"
expect_status 3 "$CSC" pca "$scratch/inf.npy"
expect_in "$err" "row 0, column 2: infinite value" ".npy -inf located in the first block"
printf 'a\n1\n2\n4\n7\n' >"$scratch/one_col.csv"
expect_status 0 "$CSC" pca "$scratch/one_col.csv" -k 3 --json
expect_json ".result.n_components == 1 and $(near .result.explained_variance[0] 7 1e-12) and (.warnings | length) == 1" \
  "one column: K clipped to 1 with a warning, variance 7"
printf 'a,b,c\n1,5,3\n2,5,1\n4,5,0\n7,5,2\n' >"$scratch/const_col.csv"
expect_status 0 "$CSC" pca "$scratch/const_col.csv" -k 3 --scale --json
expect_json '.result.zero_variance_columns == ["b"] and (.warnings | map(select(test("constant column"))) | length) == 1
             and ([.result.explained_variance_ratio[], .result.noise_variance, .result.components[][]] | all(type == "number"))' \
  "constant column with --scale: reported, left unscaled, no NaN"
expect_status 2 "$CSC" pca -k 3 --variance 0.9
expect_status 2 "$CSC" pca --variance 1.5
expect_status 2 "$CSC" pca --solver arpack
expect_status 2 "$CSC" pca --solver randomized --variance 0.9
expect_status 2 "$CSC" pca --solver krylov --variance 0.9
expect_status 3 "$CSC" pca --columns no_such_column
echo '{"format": "something else"}' >"$scratch/bad_model.json"
expect_status 3 "$CSC" pca apply --model-in "$scratch/bad_model.json"
expect_one_stderr_line "bad model file"
expect_status 3 "$CSC" pca apply --model-in "$scratch/model.json" "$scratch/one_col.csv" --columns a
expect_in "$err" "fitted on 64" "apply names the column mismatch"
finish
