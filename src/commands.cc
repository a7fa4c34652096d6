// The command table, the only list of subcommands, in the order `csc --help` shows them.
//
// Adding a subcommand `foo-bar`:
//   1. subcommands/foo_bar.cc defines setup_foo_bar(CLI::App&) and run_foo_bar(Invocation&);
//   2. one declaration and one row below (register it only when it works: no placeholders);
//   3. man/csc-foo-bar.1 documents every long option of `csc foo-bar --help` and every result key
//      (tests/cli/man_pages.sh checks it, driven by this table through `csc --help`);
//   4. tests/cli/foo_bar.sh runs the binary; examples/foo_bar.sh shows a one-liner.
#include "src/commands.h"

namespace csc {

void setup_info(CLI::App& app);
void run_info(Invocation& inv);
void setup_pca(CLI::App& app);
void run_pca(Invocation& inv);
void setup_iobench(CLI::App& app);
void run_iobench(Invocation& inv);
void setup_scale_fit(CLI::App& app);
void run_scale_fit(Invocation& inv);

namespace {
constexpr Command kCommands[] = {
    {"info", "What this build and this machine offer: SIMD targets, threads, caches, CUDA, io_uring",
     setup_info, run_info},
    {"pca", "Principal components of data of any size (scikit-learn's numbers, streamed when large)", setup_pca,
     run_pca},
    {"iobench", "Measure and diagnose I/O like fio: engines, queue depth, latency percentiles, page cache vs device",
     setup_iobench, run_iobench},
    {"scale-fit", "Fit neural scaling laws (Chinchilla's Approach 3), bootstrap them, allocate compute", setup_scale_fit,
     run_scale_fit},
};
}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace csc
