#!/usr/bin/env bash
# Neural scaling laws: fit Hoffmann et al.'s L(N, D) (here to synthetic runs generated from their law),
# then ask how to spend 1e23 FLOPs and how uncertain that answer is.
set -euo pipefail
csc scale-fit --compute 1e23 --quiet
csc scale-fit --compute 1e23 --bootstrap 100 --json --quiet |
  jq -r '.result.compute_optimal | "N_opt = \(.n_opt | . / 1e9 | floor) B parameters (95% interval \(.intervals.n_opt[0] / 1e9 | floor) to \(.intervals.n_opt[1] / 1e9 | floor) B), \(.tokens_per_parameter | floor) tokens per parameter"'
