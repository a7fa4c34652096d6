#!/usr/bin/env bash
# What does this machine offer? The SIMD target csc dispatches to, and whether a GPU is usable.
set -euo pipefail
csc info
echo "SIMD target: $(csc info --json | jq -r .result.simd.target)"
csc info --json | jq -r 'if (.result.cuda.devices | length) > 0
  then "CUDA devices: \(.result.cuda.devices | map(.name) | join(", "))"
  else "no CUDA device: \(.result.cuda.reason)" end'
