# End to end: csc iobench run/compare/diagnose/copy on small files in a scratch directory: exact byte
# counts, IOPS x bs = bandwidth, ordered percentiles, fallbacks, --verify, cleanup after Ctrl-C, exit codes.
source "$(dirname "$0")/lib/assert.sh"

dir="$scratch/io"
mkdir -p "$dir"
on_tmpfs=false
[ "$(stat -f -c %T "$dir")" = tmpfs ] && on_tmpfs=true
no_test_files() { [ -z "$(find "$dir" -name 'csc-iobench-*')" ] || fail "$1: test files left: $(ls "$dir")"; }

# The interface the acceptance checks use, scaled down.
expect_status 0 "$CSC" iobench run --dir "$dir" --mode randread --bs 4k --size 16m --iodepth 32 --engine io_uring \
  --direct --runtime 5 --json
expect_json '.command == "iobench run" and (.result.jobs | length) == 1' "envelope of iobench run"
expect_json '.result.jobs[0] | (.iops > 0) and (.bw_mib_s > 0) and .bytes == 16777216 and .engine == "io_uring"
             and (.lat_us.p50 <= .lat_us.p99) and (.lat_us.p99 <= .lat_us.p999) and (.lat_us.p999 <= .lat_us.p9999)
             and (.device_read_bytes | type) == "number" and .ios == 4096' "acceptance keys"
expect_json '.result.jobs[0] | ((.iops * .bs / 1048576 - .bw_mib_s) | fabs) <= 1e-9 * .bw_mib_s' "IOPS x bs = bandwidth"
expect_json '.result.jobs[0] | .direct and .engine_fallback == null and .read.bytes == .bytes and (has("write") | not)
             and .slat_us.count == .ios and .clat_us.count == .ios and .cpu.system_s >= 0' "direct io_uring details"
$on_tmpfs || expect_json '.result.jobs[0].served_from == "device" and .result.jobs[0].device_read_bytes >= 16777216' \
  "O_DIRECT reads reach the device"
no_test_files "after a run"

# Every engine and mode moves exactly --size bytes.
for engine in psync mmap io_uring threadpool; do
  for mode in read randread write randwrite randrw; do
    expect_status 0 "$CSC" iobench run --dir "$dir" --engine "$engine" --mode "$mode" --size 2m --iodepth 4 --jobs 2 --json
    expect_json ".result.jobs[0] | .bytes == 2097152 and .ios == 512 and .engine == \"$engine\"
                 and ((.read.bytes // 0) + (.write.bytes // 0)) == .bytes" "$engine $mode byte counts"
  done
done
no_test_files "after every engine"

# Text output: a table, the details and the findings.
expect_status 0 "$CSC" iobench run --dir "$dir" --size 2m
expect_in "$out" "^job +mode +engine +bs +depth" "text table header"
expect_in "$out" "served from" "text names where the bytes came from"
expect_status 0 env TMPDIR="$dir" "$CSC" iobench --json
expect_json '.command == "iobench" and .result.jobs[0].engine == "psync" and .result.jobs[0].bytes == 67108864
             and (.params.dir | endswith("/io"))' "no verb = run with its defaults in \$TMPDIR"

# Several jobs: --job and a job file, with the options as defaults.
expect_status 0 "$CSC" iobench run --dir "$dir" --size 4m --bs 64k --job name=seq,mode=read --job name=rnd,mode=randread,bs=4k,engine=io_uring,iodepth=8 --json
expect_json '[.result.jobs[].name] == ["seq", "rnd"] and .result.jobs[0].bs == 65536 and .result.jobs[1].bs == 4096
             and .result.jobs[1].iodepth == 8 and (.params.jobs | length) == 2' "--job twice"
cat >"$scratch/jobs.json" <<'JSON'
{"global": {"size": "4m", "engine": "threadpool", "iodepth": 4},
 "jobs": [{"name": "a", "mode": "randwrite", "end_fsync": true}, {"name": "b", "mode": "read", "bs": 131072}]}
JSON
expect_status 0 "$CSC" iobench run --dir "$dir" --job-file "$scratch/jobs.json" --json
expect_json '[.result.jobs[].name] == ["a", "b"] and .result.jobs[0].sync.count == 1 and .result.jobs[1].bs == 131072
             and all(.result.jobs[]; .engine == "threadpool" and .bytes == 4194304)' "job file with globals"

# Cold and warm caches differ in the bytes that reached the device.
if $on_tmpfs; then
  echo "skip: $dir is tmpfs, which has no device bytes to tell cold from warm"
else
  expect_status 0 "$CSC" iobench run --dir "$dir" --size 16m --bs 1m --mode read --job name=cold,cache=cold --job name=warm,cache=warm --json
  expect_json '.result.jobs[0] | .served_from == "device" and .device_read_bytes >= 0.9 * .bytes and .resident_before_pct < 5' "cold read from the device"
  expect_json '.result.jobs[1] | .served_from == "page cache" and .device_read_bytes <= 0.1 * .bytes and .resident_before_pct > 95' "warm read from the page cache"
  expect_json '[.result.findings[].id] | index("page_cache_result") != null' "a page-cache result is named"
fi

# Fallbacks, simulated: io_uring refused (Docker seccomp) and O_DIRECT refused (EINVAL).
expect_status 0 env CSC_IOBENCH_SIMULATE_URING_EPERM=1 "$CSC" iobench run --dir "$dir" --size 2m --engine io_uring --iodepth 8 --json
expect_json '.result.jobs[0] | .engine == "threadpool" and .engine_requested == "io_uring" and (.engine_fallback | test("EPERM"))
             and .bytes == 2097152' "io_uring refused: threadpool named"
expect_json '[.result.findings[].id] | index("uring_fallback") != null' "io_uring fallback finding"
expect_status 0 env CSC_IOBENCH_SIMULATE_DIRECT_EINVAL=1 "$CSC" iobench run --dir "$dir" --size 2m --direct --json
expect_json '.result.jobs[0] | (.direct | not) and .direct_requested and (.direct_fallback | test("EINVAL"))' "O_DIRECT refused: buffered named"

# --verify: clean data verifies; one flipped byte is reported with its offset and fails the run.
expect_status 0 "$CSC" iobench run --dir "$dir" --mode write --size 1m --verify crc32c --keep --json
expect_json '.result.jobs[0].verify | .mismatches == 0 and .blocks_checked == 256' "verified writes"
kept=$(jq -r '.result.jobs[0].file' <<<"$out")
[ -f "$kept" ] || fail "--keep did not keep $kept"
expect_status 0 "$CSC" iobench run --file "$kept" --mode randread --verify crc32c --json
expect_json '.result.jobs[0].verify | .mismatches == 0 and .blocks_checked == 256' "kept file reads back clean"
printf '\x5a' | dd of="$kept" bs=1 seek=$((5 * 4096 + 100)) conv=notrunc status=none
for mode in read randread; do
  expect_status 1 "$CSC" iobench run --file "$kept" --mode "$mode" --verify crc32c --engine io_uring --iodepth 4
  expect_in "$err" "1 bad block\(s\) of 256; the first at offset 20480 \(block 5\): crc32c mismatch" "$mode: flipped byte found"
  expect_one_stderr_line "verify failure"
done
expect_status 2 "$CSC" iobench run --file "$kept" --mode write
sum_before=$(cksum <"$kept")
expect_status 2 "$CSC" iobench run --file "$kept" --job mode=randwrite
[ "$(cksum <"$kept")" = "$sum_before" ] || fail "csc modified a file it did not create"
rm -f "$kept"

# Ctrl-C: exit 130 and no test file left, during the layout and during the measurement.
set -m
for phase in layout run; do
  size=$([ $phase = layout ] && echo 2g || echo 8m)
  "$CSC" iobench run --dir "$dir" --size $size --mode read --runtime 60 --time-based --keep >/dev/null 2>"$scratch/int.err" &
  pid=$!
  for _ in $(seq 100); do [ -n "$(find "$dir" -name 'csc-iobench-*')" ] && break; sleep 0.05; done
  [ $phase = run ] && sleep 1
  kill -INT $pid
  wait $pid
  status=$?
  [ $status = 130 ] || fail "Ctrl-C during $phase: exit $status, expected 130 ($(cat "$scratch/int.err"))"
  no_test_files "after Ctrl-C during $phase"
done
set +m

# SIGKILL leaves no handler a chance: the test file is unlinked as soon as it is created (unless --keep).
"$CSC" iobench run --dir "$dir" --size 8m --mode randread --runtime 60 --time-based >/dev/null 2>&1 &
pid=$!
sleep 1
[ -d "/proc/$pid/fd" ] && find "/proc/$pid/fd" -lname "*csc-iobench-*" | grep -q . || fail "the killed run had no test file open"
kill -KILL $pid
wait $pid 2>/dev/null || true
no_test_files "after SIGKILL"

# --log-out and --plot; an existing file is kept without --force.
expect_status 0 "$CSC" iobench run --dir "$dir" --size 8m --engine io_uring --iodepth 4 --runtime 0.3 --time-based \
  --log-out "$scratch/log.csv" --log-interval 50ms --plot "$scratch/io.svg"
head -1 "$scratch/log.csv" | grep -q '^job,time_s,interval_s,bytes,ios,bw_mib_s,iops,mean_lat_us$' || fail "log header"
[ "$(wc -l <"$scratch/log.csv")" -ge 4 ] || fail "log has too few intervals"
grep -q '<svg' "$scratch/io.svg" || fail "--plot did not write an SVG"
expect_status 1 "$CSC" iobench run --dir "$dir" --size 1m --log-out "$scratch/log.csv"
expect_in "$err" "exists, pass --force" "existing --log-out kept"
expect_status 0 "$CSC" iobench run --dir "$dir" --size 1m --log-out "$scratch/log.csv" --force

# Bad options: 2 for usage, 3 for a bad job file or a missing input file.
expect_status 2 "$CSC" iobench run --dir "$dir" --bs 1000 --direct
expect_in "$err" "not a multiple of 512" "--bs 1000 --direct"
expect_status 2 "$CSC" iobench run --dir "$dir" --size 0
expect_status 2 "$CSC" iobench run --dir "$dir" --engine aio
expect_in "$err" "unknown --engine aio \(engines: psync, mmap, io_uring, threadpool\)" "unknown engine lists the engines"
for bad in "--mode bogus" "--bs 4x" "--bs 0" "--size 1k" "--time-based" "--runtime soon" "--verify md5" \
           "--engine mmap --direct" "--fsync 1 --fdatasync 1" "--job foo=1" "--job iodepth=-1" "--log-interval 0"; do
  expect_status 2 "$CSC" iobench run --dir "$dir" $bad
  expect_one_stderr_line "$bad"
done
for bad in "--iodepth 0" "--jobs 0" "--mix 101" "--cache lukewarm"; do  # CLI11's own checks
  expect_status 2 "$CSC" iobench run --dir "$dir" $bad
done
expect_status 2 "$CSC" iobench run --dir "$scratch/missing"
expect_status 2 "$CSC" iobench run --file "$scratch/jobs.json" --size 1g
echo '{"jobs": [{"mode": "nope"}]}' >"$scratch/bad.json"
expect_status 3 "$CSC" iobench run --dir "$dir" --job-file "$scratch/bad.json"
expect_in "$err" "bad.json: jobs\[0\]: unknown --mode nope" "job file errors name the job"
echo '{"jobs": [' >"$scratch/broken.json"
expect_status 3 "$CSC" iobench run --dir "$dir" --job-file "$scratch/broken.json"
expect_status 3 "$CSC" iobench run --file "$scratch/missing"
no_test_files "after bad options"

# compare: every engine on one file, and a lesson.
expect_status 0 "$CSC" iobench compare --dir "$dir" --size 8m --runtime 0.3 --json
expect_json '[.result.jobs[].engine_requested] == ["psync", "mmap", "io_uring", "threadpool"]
             and (.result.lesson | length) > 0 and all(.result.jobs[]; .bytes > 0)' "compare runs every engine"
expect_status 0 "$CSC" iobench compare --dir "$dir" --size 8m --runtime 0.2 --direct
expect_in "$out" "lesson: " "compare prints its lesson"
expect_in "$err" "mmap ran buffered" "compare says mmap cannot use O_DIRECT"

# diagnose: facts and findings for a directory and a file; a refused io_uring becomes a finding.
expect_status 0 "$CSC" iobench diagnose "$dir" --json
expect_json '.result | (.filesystem.type | type) == "string" and .filesystem.block_size > 0 and (.io_uring.usable | type) == "boolean"
             and (.findings | type) == "array" and .memory.total_bytes > 0 and .page_cache == null' "diagnose a directory"
head -c 1048576 /dev/urandom >"$scratch/data.bin"
expect_status 0 "$CSC" iobench diagnose "$scratch/data.bin" --json
expect_json '.result.is_file and .result.page_cache.size_bytes == 1048576 and .result.page_cache.resident_pct >= 0' "diagnose a file"
expect_status 0 env CSC_IOBENCH_SIMULATE_URING_EPERM=1 "$CSC" iobench diagnose "$dir" --json
expect_json '(.result.io_uring.usable | not) and ([.result.findings[].id] | index("uring_refused") != null)' "refused io_uring finding"
expect_status 0 "$CSC" iobench diagnose "$dir"
expect_in "$out" "io_uring" "diagnose text"
expect_status 3 "$CSC" iobench diagnose "$scratch/missing"
expect_status 0 env CSC_IOBENCH_SIMULATE_DIRECT_EINVAL=1 "$CSC" iobench diagnose "$dir" --json
expect_json '.result.direct_io.tested and (.result.direct_io.supported | not)
             and ([.result.findings[].id] | index("direct_refused") != null)' "refused O_DIRECT finding"
expect_status 0 "$CSC" iobench diagnose "$dir" --json
expect_json '.result.direct_io.tested and (.result.direct_io.supported | type) == "boolean"' "O_DIRECT probe"
expect_status 2 "$CSC" iobench diagnose "$dir" --plot "$scratch/d.svg"
no_test_files "after diagnose"

# copy: identical, verified, never over an existing file without --force.
expect_status 0 "$CSC" iobench copy "$scratch/data.bin" "$scratch/copy.bin" --bs 64k --json
expect_json '.result.verified and .result.bytes == 1048576 and .result.engine == "io_uring"
             and .result.checksum.source == .result.checksum.destination' "copy verified"
cmp -s "$scratch/data.bin" "$scratch/copy.bin" || fail "the copy differs"
echo keep >"$scratch/precious"
expect_status 1 "$CSC" iobench copy "$scratch/data.bin" "$scratch/precious"
[ "$(cat "$scratch/precious")" = keep ] || fail "copy overwrote a file without --force"
expect_status 0 env CSC_IOBENCH_SIMULATE_URING_EPERM=1 "$CSC" iobench copy "$scratch/data.bin" "$scratch/precious" --force --verify xxhash --json
expect_json '.result.engine == "threadpool" and (.result.engine_fallback | test("EPERM")) and .result.checksum.algorithm == "xxhash"' "copy fallback"
cmp -s "$scratch/data.bin" "$scratch/precious" || fail "the forced copy differs"
mkdir -p "$scratch/into"
expect_status 0 "$CSC" iobench copy "$scratch/data.bin" "$scratch/into" --direct --json
cmp -s "$scratch/data.bin" "$scratch/into/data.bin" || fail "copy into a directory"
expect_status 0 env CSC_IOBENCH_SIMULATE_DIRECT_EINVAL=1 "$CSC" iobench copy "$scratch/data.bin" "$scratch/into/d2.bin" --direct --json
expect_json '(.result.direct | not) and (.result.direct_fallback | test("EINVAL"))' "copy: O_DIRECT refused, buffered named"
expect_status 2 "$CSC" iobench copy "$scratch/data.bin" "$scratch/data.bin" --force
expect_status 3 "$CSC" iobench copy "$scratch/missing" "$scratch/x"
expect_status 2 "$CSC" iobench copy "$scratch/data.bin"
[ -z "$(find "$scratch" -name 'csc-iobench-*')" ] || fail "copy left temporary files"

finish
