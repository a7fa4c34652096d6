// A benchmark job (what to do: mode, block size, queue depth, engine...) and its result (what
// happened: bytes, latency histograms, CPU, bytes that reached the device), one structure printed
// by one printer in the subcommand.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/io/checksum.h"
#include "kernels/io/engine.h"
#include "kernels/io/latency_histogram.h"
#include "kernels/io/proc_counters.h"
#include "kernels/io/test_file.h"

namespace csc::io {

enum class Mode { read, write, randread, randwrite, randrw };
const char* mode_name(Mode mode);
std::optional<Mode> parse_mode(std::string_view name);
bool mode_reads(Mode mode);
bool mode_writes(Mode mode);
bool mode_random(Mode mode);

enum class CacheState { cold, warm };

struct JobSpec {
  std::string name = "job1";
  Mode mode = Mode::randread;
  unsigned read_percent = 50;       // randrw: share of reads
  std::uint64_t block_size = 4096;
  std::uint64_t size = 64ull << 20; // bytes covered, split evenly between the threads
  unsigned iodepth = 1;             // requests in flight per thread (async engines)
  unsigned threads = 1;             // fio's numjobs: threads, each on its own slice of the file
  double runtime_s = 0;             // 0: until `size` is done; else a cap (or the length, time_based)
  bool time_based = false;          // run for runtime_s, wrapping around the slice
  double ramp_s = 0;                // run this long before measuring
  bool direct = false;              // O_DIRECT (falls back to buffered where refused, said in the result)
  unsigned fsync_every = 0;         // fsync after every N writes
  unsigned fdatasync_every = 0;
  bool end_fsync = false;
  CacheState cache = CacheState::cold;
  std::string engine = "psync";
  bool fixed_buffers = true;        // io_uring
  bool registered_files = true;     // io_uring
  bool sqpoll = false;              // io_uring
  bool simulate_uring_refusal = false;  // test hook: io_uring init fails with EPERM
  bool simulate_direct_refusal = false; // test hook: opening with O_DIRECT fails with EINVAL
  std::optional<ChecksumKind> verify;
  std::uint64_t seed = 1;
  double log_interval_s = 0.5;      // bandwidth-over-time samples
};

struct DirectionStats {
  std::uint64_t ios = 0;
  std::uint64_t bytes = 0;
  LatencyHistogram lat;   // issue to completion
  LatencyHistogram slat;  // issue to submission (async engines only)
  LatencyHistogram clat;  // submission to completion
  void merge(const DirectionStats& other);
};

struct IntervalSample {
  double end_s = 0;        // seconds since measuring began, at the end of the interval
  double length_s = 0;
  std::uint64_t bytes = 0;
  std::uint64_t ios = 0;
  double mean_lat_us = 0;
};

struct VerifyOutcome {
  std::uint64_t blocks_checked = 0;
  std::uint64_t mismatches = 0;
  std::uint64_t first_bad_offset = 0;
  std::string first_problem;
};

struct JobResult {
  JobSpec spec;
  std::string file;
  std::string engine;             // the engine that ran
  std::string engine_fallback;    // why it is not the one asked for; empty when it is
  EngineFeatures features;
  bool direct = false;            // O_DIRECT really used
  std::string direct_fallback;    // why --direct was not honoured; empty when it was (or not asked)
  double layout_s = 0;
  double resident_before = -1;    // page-cache residency of the file when measuring began (-1 unknown)
  double elapsed_s = 0;           // measuring start to last completion
  DirectionStats read, write;
  std::uint64_t syncs = 0;
  LatencyHistogram sync_lat;
  CpuUsage cpu;                   // during the measured phase
  ProcIo device;                  // /proc/self/io deltas during the measured phase
  std::optional<VerifyOutcome> verify;
  std::vector<IntervalSample> timeline;
  bool interrupted = false;

  std::uint64_t ios() const { return read.ios + write.ios; }
  std::uint64_t bytes() const { return read.bytes + write.bytes; }
  DirectionStats total() const;
};

struct RunHooks {
  std::function<bool()> interrupted;    // polled often; true stops the job (result.interrupted)
};

// Prepares `file` for `spec` when csc created it (layout, fsync) and returns the seconds it took.
// Call it once; several jobs may then run on the same file (compare). Throws IoError.
double prepare_file(TestFile& file, const JobSpec& spec, const RunHooks& hooks);

// Runs one job on a prepared file: cache state, engine (with its fallbacks), threads, measuring,
// then the read-back check of --verify writes. Throws std::invalid_argument for an impossible spec
// and IoError when the system refuses something with no fallback.
JobResult run_job(const JobSpec& spec, TestFile& file, const RunHooks& hooks);

}  // namespace csc::io
