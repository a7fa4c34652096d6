// The common options (defined once, attached to the root app and to every subcommand) and one run's state.
#include "src/invocation.h"

#include <unistd.h>

namespace csc {

void add_common_options(CLI::App& app, CommonOptions& options) {
  app.add_flag("--json", options.json, "Print exactly one JSON document on stdout");
  app.add_option("-j,--threads", options.threads,
                 "Worker threads (default: OMP_NUM_THREADS when set, else all cores)")
      ->check(CLI::Range(0, 4096))
      ->envname("CSC_THREADS");
  app.add_option("--device", options.device, "Device: auto (CUDA if usable, else CPU), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  app.add_option("--seed", options.seed, "Seed for every random choice (same seed + threads = same output)");
  app.add_flag("-q,--quiet", options.quiet, "No progress output on stderr");
  app.add_option("--plot", options.plot, "Write an SVG picture of the result to this file");
}

Invocation::Invocation(std::string command, CommonOptions options, Device device, int threads)
    : command_(std::move(command)), options_(std::move(options)), device_(device), threads_(threads) {}

bool Invocation::show_progress() const { return !options_.quiet && isatty(STDERR_FILENO); }

Invocation::Phase::Phase(std::map<std::string, double>& timings, std::string name)
    : timings_(timings), name_(std::move(name)), start_(std::chrono::steady_clock::now()) {}

Invocation::Phase::~Phase() {
  timings_[name_] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace csc
