// One run of a subcommand: the common options of CONVENTIONS.md §2, the device chosen for it,
// phase timings and the report it fills. Subcommands receive it from main, already resolved.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "kernels/backend.h"
#include "src/report.h"

namespace csc {

// The options every subcommand understands, defined once (add_common_options) and accepted
// before or after the subcommand name.
struct CommonOptions {
  bool json = false;
  int threads = 0;                  // 0: OMP_NUM_THREADS when set, else every core
  std::string device = "auto";      // auto | cpu | cuda
  std::uint64_t seed = 1;
  bool quiet = false;
  std::string plot;                 // --plot FILE.svg, empty when not asked
};

void add_common_options(CLI::App& app, CommonOptions& options);

class Invocation {
 public:
  Invocation(std::string command, CommonOptions options, Device device, int threads);

  const std::string& command() const { return command_; }
  const CommonOptions& options() const { return options_; }
  Device device() const { return device_; }
  // Where the work really ran, when a subcommand falls back from the resolved device (the envelope's
  // "device" reports this).
  void ran_on(Device device) { device_ = device; }
  int threads() const { return threads_; }
  std::uint64_t seed() const { return options_.seed; }
  bool json() const { return options_.json; }
  // Progress bars and logs go to stderr only on a terminal and without --quiet.
  bool show_progress() const;

  Report& report() { return report_; }
  const Report& report() const { return report_; }
  void warn(std::string message) { report_.warnings.push_back(std::move(message)); }

  // Times a phase ("load", "compute", "write") while the returned object lives; repeated phases add up.
  class Phase {
   public:
    Phase(std::map<std::string, double>& timings, std::string name);
    ~Phase();
    Phase(const Phase&) = delete;
    Phase& operator=(const Phase&) = delete;

   private:
    std::map<std::string, double>& timings_;
    std::string name_;
    std::chrono::steady_clock::time_point start_;
  };
  [[nodiscard]] Phase phase(std::string name) { return Phase(timings_, std::move(name)); }
  const std::map<std::string, double>& timings() const { return timings_; }

 private:
  std::string command_;
  CommonOptions options_;
  Device device_;
  int threads_;
  Report report_;
  std::map<std::string, double> timings_;
};

}  // namespace csc
