#!/usr/bin/env bash
# PCA of the handwritten digits (embedded): how many components keep 90 % of the variance, the scree
# and score plot, and the digits that the first ten components reconstruct worst (anomaly scores).
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
csc pca --variance 0.9 --json | jq -r '"\(.result.n_components) of \(.result.n_features) components keep \(.result.cumulative_explained_variance_ratio[-1] * 1000 | floor / 10) % of the variance (solver: \(.result.solver))"'
csc pca -k 10 --plot "$dir/digits.svg" --errors-out "$dir/errors.csv" --quiet >/dev/null
echo "worst reconstructed rows (row, digit, squared error):"
tail -n +2 "$dir/errors.csv" | awk -F, '{print NR - 1, $1, $2}' | sort -k3 -g -r | awk 'NR <= 3'  # awk reads to the end: no SIGPIPE under pipefail
