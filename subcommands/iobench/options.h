// csc iobench's job options: bound to CLI11 (run, compare), overridable per job by `--job k=v,...`
// and by a JSON job file, and turned into validated csc::io::JobSpec values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "kernels/io/job.h"

namespace csc {

class Invocation;

// Every job setting as the user spells it; sizes and durations stay text until validated.
struct JobOptions {
  std::string name;
  std::string mode = "randread";
  unsigned mix = 50;
  std::string bs = "4k";
  std::string size;              // default 64m (compare: 256m); with --file: the file's size
  unsigned iodepth = 1;
  unsigned jobs = 1;
  std::string runtime;           // empty: until --size is done
  bool time_based = false;
  std::string ramp;
  bool direct = false;
  unsigned fsync = 0;
  unsigned fdatasync = 0;
  bool end_fsync = false;
  std::string cache = "cold";
  std::string engine = "psync";
  bool sqpoll = false;
  bool no_fixed_buffers = false;
  bool no_registered_files = false;
  std::string verify;
};

// What `run` and `compare` both take besides the job settings.
struct RunOptions {
  JobOptions job;
  std::string dir;               // default $TMPDIR or /tmp
  std::string file;              // an existing file to read instead of a created one
  bool keep = false;
  std::vector<std::string> job_specs;   // --job, repeated
  std::string job_file;
  std::string log_out;
  std::string log_interval = "500ms";
  bool force = false;
};

// Adds the job options to a verb; `with_jobs` also adds --job/--job-file (run only).
void add_job_options(CLI::App& app, RunOptions& options, bool with_jobs);

// The jobs to run: the options alone, or one per --job / job-file entry with the options as defaults;
// `default_size` applies where no --size was given; `read_only` (--file) refuses writing modes. Throws csc::Error: usage (exit 2) for bad options
// or --job text, bad_input (3) for a bad job file.
std::vector<io::JobSpec> build_job_specs(const RunOptions& options, Invocation& inv, std::uint64_t default_size,
                                        bool read_only);

// $TMPDIR when set and non-empty, else /tmp.
std::string default_dir();

// Test hooks documented in csc-iobench(1): CSC_IOBENCH_SIMULATE_URING_EPERM, CSC_IOBENCH_SIMULATE_DIRECT_EINVAL.
bool simulate_uring_refusal();
bool simulate_direct_refusal();

}  // namespace csc
