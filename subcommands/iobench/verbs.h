// The verbs of csc iobench, each in its own file: run, compare, diagnose, copy.
#pragma once

#include <string>

#include "src/invocation.h"
#include "subcommands/iobench/options.h"

namespace csc {

struct CopyOptions {
  std::string source;
  std::string destination;
  bool force = false;
  std::string bs = "1m";
  unsigned iodepth = 8;
  std::string engine = "io_uring";
  bool direct = false;
  std::string checksum = "crc32c";
};

void iobench_run(Invocation& inv, const RunOptions& options);
void iobench_compare(Invocation& inv, const RunOptions& options);
void iobench_diagnose(Invocation& inv, const std::string& path);
void iobench_copy(Invocation& inv, const CopyOptions& options);

}  // namespace csc
