# End to end: csc scale-fit on the Chinchilla points (the acceptance interface and its yardstick), the
# embedded synthetic data of every model, bootstrap reproducibility, the plot, and every bad input.
source "$(dirname "$0")/lib/assert.sh"

data="${CSC_TEST_DATA:?}/chinchilla/svg_extracted_data.csv"

# The interface the acceptance checks use. Yardstick (issue 5; Besiroglu et al. 2024's 240 points, the
# 4500-start grid fit): A 477.8, B 2143, E 1.8172, alpha 0.3473, beta 0.3672, objective 1.01827e-3;
# alpha, beta, E to 1e-3 relative, A and B to 5%.
expect_status 0 "$CSC" scale-fit --model chinchilla --n 'Model Size' --c 'Training FLOP' --loss loss --drop-top-loss 5 \
  "$data" --json --compute 5.76e23
expect_json '.command == "scale-fit" and .result.points == 240 and .result.starts == 4500 and .input.dropped == 5' \
  "the 240 points and 4500 starts"
expect_json '.result.params | ((.alpha / 0.3473 - 1) | fabs) < 1e-3 and ((.beta / 0.3672 - 1) | fabs) < 1e-3
             and ((.E / 1.8172 - 1) | fabs) < 1e-3 and ((.A / 477.8 - 1) | fabs) < 0.05 and ((.B / 2143 - 1) | fabs) < 0.05' \
  "the grid fit's parameters"
expect_json '((.result.objective / 1.01827e-3 - 1) | fabs) < 1e-5 and .result.starts_at_best >= 100' "objective, starts at best"
expect_json '.result.compute_optimal | (.n_opt > 0) and (.d_opt > 0) and ((6 * .n_opt * .d_opt / 5.76e23 - 1) | fabs) < 1e-9
             and ((.a + .b - 1) | fabs) < 1e-12' "compute-optimal allocation"
# The columns are found by name without the options, and the thread count does not change the answer.
expect_status 0 "$CSC" scale-fit --drop-top-loss 5 "$data" --json --threads 1
one=$(jq -c '.result.params' <<<"$out")
expect_json '.input.columns.n == "Model Size" and .input.columns.c == "Training FLOP" and .input.d_from_compute' "detected columns"
expect_status 0 "$CSC" scale-fit --drop-top-loss 5 "$data" --json --threads 2
[ "$(jq -c '.result.params' <<<"$out")" = "$one" ] || fail "1 and 2 threads give different parameters"

# stdin, --fix, --tie, --predict.
expect_status 0 "$CSC" scale-fit - --drop-top-loss 5 --tie alpha=beta --json <"$data"
expect_json '.input.file == "<stdin>" and .result.starts == 900 and .result.params.alpha == .result.params.beta
             and .result.objective >= 1.01827e-3' "--tie alpha=beta from stdin"
expect_status 0 "$CSC" scale-fit "$data" --drop-top-loss 5 --fix E=1.8172 --fix alpha=0.3473 --predict N=7e10,C=5.76e23 --json
expect_json '.result.params.E == 1.8172 and .result.params.alpha == 0.3473 and .result.starts == 180
             and .params.fix.E == 1.8172 and (.result.predictions | length) == 1
             and (.result.predictions[0].loss > 1.9 and .result.predictions[0].loss < 2.05)' "--fix and --predict"

# The embedded data of each model, with a bootstrap; the warning says the data are synthetic, the
# input says how they were generated, and the text report says it once.
for model in power power-offset chinchilla; do
  expect_status 0 "$CSC" scale-fit --model "$model" --bootstrap 50 --seed 3 --json
  expect_json '.input.embedded and (.input.description | test("synthetic")) and (.warnings | map(test("synthetic")) | any)
               and .result.bootstrap.resamples == 50
               and (.result.intervals | length) >= 2 and .result.standard_errors_method == "bootstrap"' "embedded $model"
done
expect_status 0 "$CSC" scale-fit --model chinchilla
[ "$(grep -c "IsoFLOP budgets" <<<"$out$err")" = 1 ] || fail "the embedded data's description appears once: $err"
expect_in "$err" "no FILE: fitting synthetic data" "the short warning"
# Power-offset on Hoffmann's frontier: the exponent alpha beta / (alpha + beta) = 0.15355 lies in the interval.
expect_status 0 "$CSC" scale-fit --model power-offset --bootstrap 200 --json
expect_json '.result.intervals.alpha[0] < 0.15355 and 0.15355 < .result.intervals.alpha[1]' "power-offset interval covers the truth"
# The same seed gives the same bootstrap whatever the thread count.
expect_status 0 "$CSC" scale-fit --model chinchilla --bootstrap 20 --seed 5 --threads 1 --json
first=$(jq -c '.result.intervals' <<<"$out")
expect_status 0 "$CSC" scale-fit --model chinchilla --bootstrap 20 --seed 5 --threads 2 --json
[ "$(jq -c '.result.intervals' <<<"$out")" = "$first" ] || fail "bootstrap depends on the thread count"
# Inference-aware allocation on the embedded (Hoffmann) data.
expect_status 0 "$CSC" scale-fit --target-loss 2.0177 --inference-tokens 2e12 --json
expect_json '.result.inference_optimal | (.n < .chinchilla_n) and (.d_train > .chinchilla_d_train) and (.saving_fraction > 0)' \
  "inference-aware model is smaller and trained longer"

# Text output and the plot (never overwritten without --force).
expect_status 0 "$CSC" scale-fit "$data" --drop-top-loss 5 --plot "$scratch/fit.svg"
expect_in "$out" "alpha +0\.347" "text table"
expect_in "$(head -c 200 "$scratch/fit.svg")" "<svg" "the plot is an SVG"
expect_status 1 "$CSC" scale-fit "$data" --plot "$scratch/fit.svg"
expect_in "$err" "exists, pass --force" "existing plot kept"
expect_status 0 "$CSC" scale-fit --model power --plot "$scratch/fit.svg" --force

# Bad input: exit 3, one line naming the file and line.
printf 'N,D,loss\n1e8,2e9,3.1\n2e8,4e9,0\n4e8,8e9,2.9\n1e9,2e10,2.7\n2e9,4e10,2.6\n3e9,5e10,2.5\n' >"$scratch/zero.csv"
expect_status 3 "$CSC" scale-fit "$scratch/zero.csv"
expect_in "$err" "zero.csv:3: loss = 0" "non-positive loss located"
expect_one_stderr_line "non-positive loss"
printf 'x,y\n1,2\n-2,3\n3,4\n' >"$scratch/neg.csv"
expect_status 3 "$CSC" scale-fit --model power "$scratch/neg.csv"
expect_in "$err" "neg.csv:3: x = -2" "non-positive x located"
printf 'N,D,loss\n1e8,2e9,3.1\n2e8,nan,3.0\n' >"$scratch/nan.csv"
expect_status 3 "$CSC" scale-fit "$scratch/nan.csv"
expect_in "$err" "nan.csv:3:" "NaN located"
printf 'N,D,loss\n1e8,2e9,3.1\n2e8,4e9,3.0\n4e8,8e9,2.9\n' >"$scratch/three.csv"
expect_status 3 "$CSC" scale-fit "$scratch/three.csv"
expect_in "$err" "fewer than the 5 parameters" "too few rows"
expect_status 3 "$CSC" scale-fit "$scratch/three.csv" --loss bogus
expect_in "$err" "no column is named \"bogus\"" "unknown column"
expect_status 3 "$CSC" scale-fit "$scratch/three.csv" --drop-top-loss 3
printf 'x,y\n1,2\n1,3\n1,4\n' >"$scratch/samex.csv"
expect_status 3 "$CSC" scale-fit --model power "$scratch/samex.csv"
: >"$scratch/empty.csv"
expect_status 3 "$CSC" scale-fit "$scratch/empty.csv"
expect_status 1 "$CSC" scale-fit "$scratch/no-such-file.csv"

# Usage errors: exit 2.
usage_cases=("--model linear" "--grid alpha=1:0:1" "--grid gamma=1" "--grid alpha=0:2" "--fix Q=1" "--fix E=-1"
  "--fix E=1 --fix E=2" "--tie alpha=gamma" "--tie alpha=beta --fix beta=0.3" "--model power --compute 1e20"
  "--x N" "--model power --n N" "--bootstrap-grid" "--ci 1.5" "--predict N=1e9" "--model power --predict x=-1"
  "--inference-tokens 1e12" "--huber-delta 0" "--model power --huber-delta 0.1" "--compute -5")
for args in "${usage_cases[@]}"; do
  expect_status 2 "$CSC" scale-fit $args
done

finish
