// Jobs end to end on small files: every engine and mode moves exactly the bytes asked for, statistics
// are consistent, --verify catches a flipped byte, fallbacks are named, cold and warm caches differ
// in device bytes, and an interrupted job stops.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "io_test_support.h"
#include "kernels/io/io_error.h"
#include "kernels/io/job.h"
#include "kernels/io/test_file.h"

using namespace csc::io;
using csc::io::test::ScratchDir;

namespace {

JobSpec small_job(const std::string& engine, Mode mode) {
  JobSpec spec;
  spec.engine = engine;
  spec.mode = mode;
  spec.block_size = 4096;
  spec.size = 1 << 20;
  spec.iodepth = 4;
  spec.threads = 2;
  return spec;
}

JobResult run_on_new_file(const std::string& dir, const JobSpec& spec) {
  TestFile file = TestFile::create(dir, false);
  prepare_file(file, spec, {});
  return run_job(spec, file, {});
}

void check_consistent(const JobResult& r, const JobSpec& spec) {
  CHECK(r.bytes() == r.ios() * spec.block_size);
  CHECK(r.read.bytes == r.read.ios * spec.block_size);
  CHECK(r.write.bytes == r.write.ios * spec.block_size);
  CHECK(r.elapsed_s > 0);
  const DirectionStats all = r.total();
  CHECK(all.lat.count() == r.ios());
  CHECK(all.lat.percentile_ns(50) <= all.lat.percentile_ns(99));
  CHECK(all.lat.percentile_ns(99) <= all.lat.percentile_ns(99.9));
  CHECK(all.lat.percentile_ns(99.9) <= all.lat.percentile_ns(99.99));
  CHECK(all.lat.min_ns() <= all.lat.mean_ns());
  CHECK(all.lat.mean_ns() <= static_cast<double>(all.lat.max_ns()));
  std::uint64_t timeline_bytes = 0;
  for (const auto& s : r.timeline) timeline_bytes += s.bytes;
  CHECK(timeline_bytes == r.bytes());
}

}  // namespace

TEST_CASE("every engine and mode moves exactly size bytes") {
  ScratchDir dir;
  REQUIRE(!dir.path().empty());
  for (const EngineOps* engine : engines())
    for (Mode mode : {Mode::read, Mode::randread, Mode::write, Mode::randwrite, Mode::randrw})
      for (bool direct : {false, true}) {
        if (direct && !(engine->capabilities & kCapDirect)) continue;
        JobSpec spec = small_job(engine->name, mode);
        spec.direct = direct;
        CAPTURE(engine->name);
        CAPTURE(mode_name(mode));
        CAPTURE(direct);
        const JobResult r = run_on_new_file(dir.path(), spec);
        CHECK(r.bytes() == spec.size);
        CHECK(r.ios() == spec.size / spec.block_size);
        CHECK(r.engine == engine->name);
        CHECK(r.engine_fallback.empty());
        if (mode == Mode::randrw) {
          CHECK(r.read.ios > 0);
          CHECK(r.write.ios > 0);
        } else {
          CHECK((mode_reads(mode) ? r.write.ios : r.read.ios) == 0);
        }
        check_consistent(r, spec);
        const bool async = engine->capabilities & kCapAsync;
        CHECK(r.total().slat.count() == (async ? r.ios() : 0));
      }
  CHECK(dir.entries().empty());
}

TEST_CASE("size not divisible by block size and threads: whole blocks per thread, exactly counted") {
  ScratchDir dir;
  JobSpec spec = small_job("psync", Mode::randread);
  spec.size = 10 * 4096 + 100;
  spec.threads = 3;  // 10 blocks / 3 threads = 3 blocks each
  const JobResult r = run_on_new_file(dir.path(), spec);
  CHECK(r.bytes() == 9 * 4096);
}

TEST_CASE("randrw honours the read percentage") {
  ScratchDir dir;
  JobSpec spec = small_job("io_uring", Mode::randrw);
  spec.size = 4 << 20;
  spec.read_percent = 100;
  CHECK(run_on_new_file(dir.path(), spec).write.ios == 0);
  spec.read_percent = 0;
  CHECK(run_on_new_file(dir.path(), spec).read.ios == 0);
}

TEST_CASE("verify: clean writes read back clean, a flipped byte is caught with its offset") {
  ScratchDir dir;
  for (const char* engine : {"psync", "io_uring", "threadpool", "mmap"})
    for (ChecksumKind kind : {ChecksumKind::crc32c, ChecksumKind::xxhash}) {
      CAPTURE(engine);
      CAPTURE(checksum_name(kind));
      TestFile file = TestFile::create(dir.path(), false);
      JobSpec spec = small_job(engine, Mode::randwrite);
      spec.verify = kind;
      prepare_file(file, spec, {});
      const JobResult written = run_job(spec, file, {});
      REQUIRE(written.verify);
      CHECK(written.verify->mismatches == 0);
      CHECK(written.verify->blocks_checked == spec.size / spec.block_size);

      // Corrupt one byte of block 37 behind csc's back, then read everything with verification.
      const off_t corrupt_at = 37 * 4096 + 1234;
      unsigned char byte = 0;
      REQUIRE(pread(file.fd(), &byte, 1, corrupt_at) == 1);
      byte ^= 0x20;
      REQUIRE(pwrite(file.fd(), &byte, 1, corrupt_at) == 1);
      REQUIRE(fsync(file.fd()) == 0);

      // Sequential and random reads alike visit every block once, so the bad one cannot be missed.
      for (Mode mode : {Mode::read, Mode::randread}) {
        JobSpec reader = spec;
        reader.mode = mode;
        const JobResult read = run_job(reader, file, {});
        REQUIRE(read.verify);
        CHECK(read.verify->blocks_checked == spec.size / spec.block_size);
        CHECK(read.verify->mismatches == 1);
        CHECK(read.verify->first_bad_offset == 37 * 4096u);
        CHECK(read.verify->first_problem.find("mismatch") != std::string::npos);
      }
    }
}

TEST_CASE("verify on a laid-out file reads clean with every direct-capable engine") {
  ScratchDir dir;
  for (const char* engine : {"psync", "io_uring", "threadpool"}) {
    JobSpec spec = small_job(engine, Mode::randread);
    spec.direct = true;
    spec.verify = ChecksumKind::xxhash;
    const JobResult r = run_on_new_file(dir.path(), spec);
    REQUIRE(r.verify);
    CHECK(r.verify->mismatches == 0);
    CHECK(r.verify->blocks_checked == r.ios());
  }
}

TEST_CASE("io_uring refused: the thread pool runs the job and the fallback is named") {
  ScratchDir dir;
  JobSpec spec = small_job("io_uring", Mode::randread);
  spec.simulate_uring_refusal = true;
  const JobResult r = run_on_new_file(dir.path(), spec);
  CHECK(r.engine == "threadpool");
  CHECK(r.engine_fallback.find("EPERM") != std::string::npos);
  CHECK(r.bytes() == spec.size);
}

TEST_CASE("O_DIRECT refused: the job runs buffered and says so") {
  ScratchDir dir;
  JobSpec spec = small_job("psync", Mode::randread);
  spec.direct = true;
  spec.simulate_direct_refusal = true;
  const JobResult r = run_on_new_file(dir.path(), spec);
  CHECK_FALSE(r.direct);
  CHECK(r.direct_fallback.find("EINVAL") != std::string::npos);
  CHECK(r.bytes() == spec.size);
}

TEST_CASE("misaligned O_DIRECT is an error that names the alignment") {
  ScratchDir dir;
  if (dir.on_tmpfs()) {
    MESSAGE("skipped: tmpfs accepts unaligned O_DIRECT (it never bypasses RAM)");
    return;
  }
  JobSpec spec = small_job("psync", Mode::read);
  spec.block_size = 1000;
  spec.direct = true;
  try {
    run_on_new_file(dir.path(), spec);
    FAIL("an unaligned O_DIRECT read succeeded");
  } catch (const IoError& e) {
    CHECK(e.error_number() == EINVAL);
    CHECK(std::string(e.what()).find("O_DIRECT read of 1000 bytes") != std::string::npos);
  }
}

TEST_CASE("impossible specs are rejected before any I/O") {
  ScratchDir dir;
  TestFile file = TestFile::create(dir.path(), false);
  JobSpec spec = small_job("psync", Mode::read);
  prepare_file(file, spec, {});
  auto rejects = [&](JobSpec s) { CHECK_THROWS_AS(run_job(s, file, {}), std::invalid_argument); };
  JobSpec s = spec;
  s.engine = "aio";
  rejects(s);
  s = spec, s.block_size = 0;
  rejects(s);
  s = spec, s.size = 4096, s.threads = 2;
  rejects(s);
  s = spec, s.engine = "mmap", s.direct = true;
  rejects(s);
  s = spec, s.verify = ChecksumKind::crc32c, s.block_size = 32;
  rejects(s);
  s = spec, s.time_based = true;
  rejects(s);
  s = spec, s.size = 4 << 20;
  rejects(s);  // larger than the file
}

TEST_CASE("csc never writes to a file it did not create") {
  ScratchDir dir;
  const std::string path = dir.path() + "/user-data";
  {
    TestFile made = TestFile::create_at(path);
    JobSpec spec = small_job("psync", Mode::read);
    prepare_file(made, spec, {});
    made.keep();
  }
  TestFile existing = TestFile::open_existing(path);
  CHECK_FALSE(existing.created());
  JobSpec spec = small_job("psync", Mode::write);
  CHECK_THROWS_AS(run_job(spec, existing, {}), std::invalid_argument);
  spec.mode = Mode::read;
  CHECK(run_job(spec, existing, {}).bytes() == spec.size);
  CHECK(prepare_file(existing, spec, {}) == 0.0);  // no layout over a user's file
}

TEST_CASE("fsync every N writes and at the end") {
  ScratchDir dir;
  for (const char* engine : {"psync", "io_uring", "threadpool", "mmap"}) {
    CAPTURE(engine);
    JobSpec spec = small_job(engine, Mode::write);
    spec.threads = 1;
    spec.size = 64 * 4096;
    spec.fsync_every = 4;
    CHECK(run_on_new_file(dir.path(), spec).syncs == 16);
    spec.fsync_every = 0;
    spec.fdatasync_every = 8;
    spec.end_fsync = true;
    const JobResult r = run_on_new_file(dir.path(), spec);
    CHECK(r.syncs == 9);
    CHECK(r.sync_lat.count() == 9);
  }
}

TEST_CASE("cold and warm caches are told apart by device bytes") {
  ScratchDir dir;
  if (dir.on_tmpfs()) {
    MESSAGE("skipped: tmpfs has no device, so it cannot show device bytes");
    return;
  }
  TestFile file = TestFile::create(dir.path(), false);
  JobSpec spec = small_job("psync", Mode::read);
  spec.size = 8 << 20;
  spec.threads = 1;
  prepare_file(file, spec, {});
  spec.cache = CacheState::cold;
  const JobResult cold = run_job(spec, file, {});
  spec.cache = CacheState::warm;
  const JobResult warm = run_job(spec, file, {});
  REQUIRE(cold.device.available);
  CHECK(cold.resident_before < 0.05);
  CHECK(warm.resident_before > 0.95);
  CHECK(cold.device.read_bytes >= cold.bytes() * 9 / 10);
  CHECK(warm.device.read_bytes <= warm.bytes() / 10);
}

TEST_CASE("time-based jobs run for the runtime and wrap around the file; ramp is not counted") {
  ScratchDir dir;
  JobSpec spec = small_job("io_uring", Mode::read);
  spec.size = 256 << 10;
  spec.runtime_s = 0.3;
  spec.time_based = true;
  spec.ramp_s = 0.1;
  spec.cache = CacheState::warm;
  spec.log_interval_s = 0.05;
  const JobResult r = run_on_new_file(dir.path(), spec);
  CHECK(r.elapsed_s >= 0.29);
  CHECK(r.bytes() > spec.size);
  CHECK(r.timeline.size() >= 3);
  check_consistent(r, spec);
}

TEST_CASE("an interrupt stops a long job promptly and is reported") {
  ScratchDir dir;
  JobSpec spec = small_job("threadpool", Mode::randread);
  spec.runtime_s = 600;
  spec.time_based = true;
  TestFile file = TestFile::create(dir.path(), false);
  prepare_file(file, spec, {});
  int polls = 0;
  RunHooks hooks{[&] { return ++polls > 5; }};
  const JobResult r = run_job(spec, file, hooks);
  CHECK(r.interrupted);
  CHECK(r.elapsed_s < 60);
}
