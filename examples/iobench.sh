#!/usr/bin/env bash
# I/O like fio: 4 KiB random reads at queue depth 1 (psync) and 32 (io_uring), where the bytes came
# from, and what `diagnose` says about the directory.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
csc iobench run --dir "$dir" --size 64m --mode randread --bs 4k --direct --runtime 2 \
    --job name=qd1,engine=psync --job name=qd32,engine=io_uring,iodepth=32 --json |
  jq -r '.result.jobs[] | "\(.name): \(.iops | floor) IOPS, p99 \(.lat_us.p99) µs, \(.engine), from the \(.served_from)"'
csc iobench diagnose "$dir" --json | jq -r '"\(.result.filesystem.type): " + ([.result.findings[].id] | join(", "))'
