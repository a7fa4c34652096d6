// diagnose: facts read from /proc and /sys for the test directory, and findings derived from
// hand-made diagnoses (so every finding is exercised whatever machine runs the test).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "io_test_support.h"
#include "kernels/io/diagnose.h"
#include "kernels/io/io_error.h"
#include "kernels/io/job_findings.h"

using namespace csc::io;
using csc::io::test::ScratchDir;

namespace {

bool has(const std::vector<Finding>& findings, const std::string& id) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
}

}  // namespace

TEST_CASE("diagnose reads the filesystem of a real directory") {
  ScratchDir dir;
  const Diagnosis d = diagnose(dir.path(), false);
  CHECK_FALSE(d.filesystem.type.empty());
  CHECK(d.filesystem.block_size > 0);
  CHECK(d.filesystem.total_bytes > 0);
  CHECK_FALSE(d.filesystem.mount_point.empty());
  CHECK(d.memory.total_bytes > 0);
  CHECK_FALSE(d.is_file);
  CHECK_FALSE(d.residency.applicable);
  if (d.device.present) {
    CHECK_FALSE(d.device.name.empty());
    CHECK(d.device.logical_block_size >= 512);
  }
  CHECK(d.uring_usable == d.uring_reason.empty());
}

TEST_CASE("diagnose of a missing path is an IoError") {
  CHECK_THROWS_AS(diagnose("/nonexistent/csc/path", false), IoError);
}

TEST_CASE("a simulated io_uring refusal becomes a finding") {
  ScratchDir dir;
  const Diagnosis d = diagnose(dir.path(), true);
  CHECK_FALSE(d.uring_usable);
  CHECK(has(d.findings, "uring_refused"));
}

TEST_CASE("findings follow the facts") {
  Diagnosis d;
  d.uring_usable = true;
  d.filesystem.type = "tmpfs";
  CHECK(has(diagnosis_findings(d), "tmpfs_direct"));
  d.filesystem.type = "overlay";
  CHECK(has(diagnosis_findings(d), "overlay"));
  d.filesystem.type = "ext4";
  CHECK(diagnosis_findings(d).empty());
  d.device.present = true;
  d.device.virtual_disk = true;
  d.device.virtual_reason = "virtio disk";
  d.device.rotational = 1;
  CHECK(has(diagnosis_findings(d), "virtual_rotational"));
  d.device.read_ahead_kb = 8192;
  CHECK(has(diagnosis_findings(d), "large_readahead"));
  d.memory.total_bytes = 1ull << 30;
  d.memory.dirty_bytes = 200ull << 20;
  CHECK(has(diagnosis_findings(d), "dirty_memory"));
  d.pressure.available = true;
  d.pressure.some_avg10 = 40;
  CHECK(has(diagnosis_findings(d), "io_pressure"));
  d.residency = {true, 1 << 20, 1.0};
  CHECK(has(diagnosis_findings(d), "file_cached"));
}

TEST_CASE("job findings: page cache, random QD1, amplification, buffered writes, fallbacks") {
  FilesystemInfo ext4;
  ext4.type = "ext4";
  BlockDeviceInfo dev;
  dev.read_ahead_kb = 128;
  JobResult r;
  r.spec.mode = Mode::randread;
  r.spec.name = "j";
  r.engine = "psync";
  r.read.bytes = 100 << 20;
  r.device.available = true;
  r.device.read_bytes = 0;
  CHECK(served_from(r, ext4) == "page cache");
  CHECK(has(job_findings(r, ext4, dev), "page_cache_result"));
  r.device.read_bytes = 100 << 20;
  CHECK(served_from(r, ext4) == "device");
  CHECK(has(job_findings(r, ext4, dev), "random_qd1"));
  r.engine = "io_uring";
  r.spec.iodepth = 32;
  CHECK_FALSE(has(job_findings(r, ext4, dev), "random_qd1"));
  r.device.read_bytes = 400 << 20;
  CHECK(has(job_findings(r, ext4, dev), "read_amplification"));
  r.device.read_bytes = 50 << 20;
  CHECK(served_from(r, ext4) == "page cache and device");

  JobResult w;
  w.spec.mode = Mode::write;
  w.spec.name = "w";
  w.engine = "psync";
  w.write.bytes = 1 << 20;
  CHECK(served_from(w, ext4) == "page cache");
  CHECK(has(job_findings(w, ext4, dev), "buffered_writes"));
  w.spec.end_fsync = true;
  CHECK(served_from(w, ext4) == "page cache, flushed to the device");
  w.direct = true;
  CHECK(served_from(w, ext4) == "device");
  w.engine_fallback = "io_uring refused";
  w.direct_fallback = "O_DIRECT refused";
  const auto f = job_findings(w, ext4, dev);
  CHECK(has(f, "uring_fallback"));
  CHECK(has(f, "direct_fallback"));

  FilesystemInfo tmpfs;
  tmpfs.type = "tmpfs";
  w.spec.direct = true;
  CHECK(has(job_findings(w, tmpfs, dev), "tmpfs_direct"));
  CHECK(served_from(w, tmpfs) == "page cache");
}
