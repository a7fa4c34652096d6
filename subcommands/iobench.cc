// csc iobench: measure and diagnose I/O like fio. Verbs: run (the default), compare, diagnose, copy.
#include <CLI/CLI.hpp>

#include "kernels/io/engine.h"
#include "src/invocation.h"
#include "subcommands/iobench/options.h"
#include "subcommands/iobench/verbs.h"

namespace csc {

namespace {

RunOptions g_run;
RunOptions g_compare;
std::string g_diagnose_path;
CopyOptions g_copy;

RunOptions compare_defaults() {
  RunOptions o;
  o.job.size = "256m";
  o.job.iodepth = 16;
  o.job.runtime = "2";
  o.job.time_based = true;
  return o;
}

}  // namespace

void setup_iobench(CLI::App& app) {
  app.require_subcommand(0, 1);
  app.footer("Without a verb, `csc iobench` runs `csc iobench run` with its defaults. See man csc-iobench.");

  CLI::App* run = app.add_subcommand("run", "Run one or more jobs (fio-like) and report IOPS, bandwidth, latency, CPU, "
                                            "and the bytes that reached the device");
  run->fallthrough();
  add_job_options(*run, g_run, true);

  g_compare = compare_defaults();
  CLI::App* compare = app.add_subcommand("compare", "Run the same job on every engine (" + io::engine_names() +
                                                        ") and explain the difference");
  compare->fallthrough();
  add_job_options(*compare, g_compare, false);

  CLI::App* diagnose = app.add_subcommand("diagnose", "Explain the I/O stack under PATH: filesystem, device, "
                                                      "page cache, pressure, io_uring, findings");
  diagnose->fallthrough();
  diagnose->add_option("PATH", g_diagnose_path, "File or directory to examine (default: $TMPDIR, else /tmp)");

  CLI::App* copy = app.add_subcommand("copy", "Copy SRC to DST asynchronously (io_uring), verified by checksum");
  copy->fallthrough();
  copy->add_option("SRC", g_copy.source, "Regular file to copy")->required();
  copy->add_option("DST", g_copy.destination, "Destination file, or a directory to copy into")->required();
  copy->add_flag("--force", g_copy.force, "Replace DST when it exists");
  copy->add_option("--bs", g_copy.bs, "Block size per request")->capture_default_str();
  copy->add_option("--iodepth", g_copy.iodepth, "Blocks in flight")->check(CLI::Range(1, 1024))->capture_default_str();
  copy->add_option("--engine", g_copy.engine, "io_uring, threadpool or psync")
      ->check(CLI::IsMember({"io_uring", "threadpool", "psync"}))
      ->capture_default_str();
  copy->add_flag("--direct", g_copy.direct, "O_DIRECT on both files");
  copy->add_option("--verify", g_copy.checksum, "Checksum that verifies the copy: crc32c or xxhash")
      ->check(CLI::IsMember({"crc32c", "xxhash"}))
      ->capture_default_str();
}

void run_iobench(Invocation& inv) {
  const std::string& command = inv.command();
  if (command == "iobench compare")
    iobench_compare(inv, g_compare);
  else if (command == "iobench diagnose")
    iobench_diagnose(inv, g_diagnose_path.empty() ? default_dir() : g_diagnose_path);
  else if (command == "iobench copy")
    iobench_copy(inv, g_copy);
  else
    iobench_run(inv, g_run);
}

}  // namespace csc
