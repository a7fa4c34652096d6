# End to end: csc's exit statuses, --help/--version, the JSON envelope, --device, --threads.
source "$(dirname "$0")/lib/assert.sh"

expect_status 0 "$CSC" --help
expect_in "$out" "Subcommands:" "--help lists the command table"
expect_in "$out" "info" "--help lists info"
expect_status 0 "$CSC" --version
expect_in "$out" "^csc [0-9]+\.[0-9]+" "--version prints the version"
expect_in "$out" "cuda: (compiled in|not compiled in)" "--version says whether CUDA is compiled in"
expect_in "$out" "simd targets compiled: .*SSE4" "--version lists the Highway targets"
expect_in "$out" "openmp: [0-9]+" "--version names the OpenMP version"

# Usage errors all map to 2.
expect_status 2 "$CSC"
expect_status 2 "$CSC" no-such-command
expect_status 2 "$CSC" info --no-such-option
expect_status 2 "$CSC" info --threads -3
expect_status 2 "$CSC" info --threads many
expect_status 2 "$CSC" info --device tpu
expect_status 2 "$CSC" info --plot "$scratch/info.svg"
expect_in "$err" "nothing to plot" "--plot on info is refused with a reason"
[ ! -e "$scratch/info.svg" ] || fail "info --plot wrote a file"

# The JSON envelope, with common options before or after the subcommand.
for args in "info --json" "--json info" "--threads 1 info --json" "info --json --seed 7"; do
  expect_status 0 "$CSC" $args
  expect_json 'has("csc") and has("command") and has("device") and has("simd_target") and has("threads")
               and has("seed") and has("input") and has("params") and has("result") and has("timing_s")
               and has("warnings")' "envelope keys ($args)"
  expect_json '.command == "info" and .device == "cpu" and (.timing_s.total | type) == "number"' "envelope values ($args)"
done
expect_status 0 "$CSC" --seed 7 info --json
expect_json '.seed == 7' "--seed before the subcommand"
expect_status 0 "$CSC" info --json --threads 1
expect_json '.threads == 1 and .result.threads == 1' "--threads 1"
expect_status 0 env OMP_NUM_THREADS=1 "$CSC" info --json
expect_json '.threads == 1' "OMP_NUM_THREADS is honoured without --threads"
expect_status 0 env CSC_THREADS=1 "$CSC" info --json
expect_json '.threads == 1' "CSC_THREADS sets the default"
expect_status 0 "$CSC" info --json
expect_json '(.result.simd.target | type) == "string" and (.result.simd.supported_targets | length) >= 1
             and (.result.cuda.compiled | type) == "boolean" and (.result.cuda.devices | type) == "array"
             and (.result.io_uring.usable | type) == "boolean" and .result.threads >= 1
             and .result.memory.page_size_bytes > 0' "info result keys"
expect_json '.simd_target == .result.simd.target' "envelope and info agree on the SIMD target"
expect_json '.result.simd.supported_targets | index("SCALAR") != null or index("EMU128") != null' "a scalar fallback is supported"

# --device: cpu always works; cuda without a usable device exits 4 naming why.
expect_status 0 "$CSC" info --device cpu --json
expect_json '.device == "cpu"' "--device cpu"
if ! "$CSC" info --json | jq -e '.result.cuda.devices | length > 0' >/dev/null; then
  expect_status 4 "$CSC" info --device cuda
  expect_in "$err" "^csc info: error: --device cuda: no usable CUDA device: .+" "--device cuda names the reason"
  expect_one_stderr_line "--device cuda"
  [ -z "$out" ] || fail "--device cuda printed on stdout"
  expect_status 0 "$CSC" info --device auto --json
  expect_json '.device == "cpu"' "--device auto falls back to the CPU"
fi

# Text output is an aligned table.
expect_status 0 "$CSC" info
expect_in "$out" "SIMD target \(chosen\) +[A-Z0-9_]+" "text table"
finish
