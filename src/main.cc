// csc's entry point: parse the command line, resolve threads and device, run the subcommand, print
// its report as text or as the JSON envelope, and turn every error into a message and an exit status.
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <new>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "kernels/backend.h"
#include "kernels/simd/targets.h"
#include "src/commands.h"
#include "src/csc_version.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "src/invocation.h"
#include "src/report.h"

namespace {

std::string version_text() {
  std::string targets;
  for (const auto& name : csc::simd::compiled_targets()) targets += (targets.empty() ? "" : " ") + name;
  return fmt::format("csc {}\nbuild: {}\ncuda: {}\nsimd targets compiled: {}\nopenmp: {}", CSC_VERSION,
                     CSC_BUILD_TYPE, csc::cuda_status().compiled ? "compiled in" : "not compiled in", targets,
                     _OPENMP);
}

// "pca" or, when a verb of the subcommand was given, "pca apply".
std::string command_path(const CLI::App& sub) {
  std::string path = sub.get_name();
  for (const CLI::App* verb : sub.get_subcommands()) path += " " + verb->get_name();
  return path;
}

int effective_threads(int requested) {
  if (requested > 0) omp_set_num_threads(requested);  // otherwise libgomp has read OMP_NUM_THREADS
  return omp_get_max_threads();
}

void print_report(const csc::Invocation& inv, double total_seconds) {
  const csc::Report& report = inv.report();
  if (inv.json()) {
    csc::EnvelopeContext context{inv.command(), csc::device_name(inv.device()), csc::simd::chosen_target(),
                                 inv.threads(), inv.seed(), inv.timings()};
    context.timing_s["total"] = total_seconds;
    std::cout << csc::make_envelope(report, context).dump(2) << '\n';
  } else {
    std::cout << report.text;
    for (const auto& warning : report.warnings) fmt::print(stderr, "csc {}: warning: {}\n", inv.command(), warning);
  }
  std::cout.flush();
}

}  // namespace

int main(int argc, char** argv) {
  csc::install_interrupt_handler();

  CLI::App app{"csc: a command-line workbench for scientific computing (see man csc)", "csc"};
  app.set_version_flag("-V,--version", version_text());
  app.require_subcommand(1);
  csc::CommonOptions common;
  csc::add_common_options(app, common);
  for (const csc::Command& command : csc::commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    sub->fallthrough();
    csc::add_common_options(*sub, common);
    command.setup(*sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);  // prints help, version or the message with a hint
    return status == 0 ? 0 : static_cast<int>(csc::ExitCode::usage);
  }

  const csc::Command* chosen = nullptr;
  CLI::App* sub = nullptr;
  for (const csc::Command& command : csc::commands()) {
    CLI::App* candidate = app.get_subcommand(std::string(command.name));
    if (candidate->parsed()) chosen = &command, sub = candidate;
  }
  const std::string name = command_path(*sub);

  try {
    const auto start = std::chrono::steady_clock::now();
    std::string reason;
    auto device = csc::resolve_device(common.device, reason);
    if (!device) throw csc::Error(csc::ExitCode::device_unavailable, "--device cuda: " + reason);
    csc::Invocation inv(name, common, *device, effective_threads(common.threads));
    chosen->run(inv);
    print_report(inv, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return 0;
  } catch (const csc::Error& e) {
    fmt::print(stderr, "csc {}: error: {}\n", name, e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "csc {}: error: out of memory, try a smaller input or --memory\n", name);
  } catch (const std::exception& e) {
    fmt::print(stderr, "csc {}: error: {}\n", name, e.what());
  }
  return static_cast<int>(csc::ExitCode::runtime_failure);
}
