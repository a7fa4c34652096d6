// An asynchronous, checksum-verified file copy through the engine table (io_uring by default): reads
// and writes overlap at a queue depth, the source is checksummed in order as blocks arrive, and the
// destination is read back from the device and compared before it gets its final name.
#pragma once

#include <cstdint>
#include <string>

#include "kernels/io/checksum.h"
#include "kernels/io/job.h"
#include "kernels/io/test_file.h"

namespace csc::io {

struct CopySpec {
  std::uint64_t block_size = 1 << 20;
  unsigned depth = 8;
  std::string engine = "io_uring";
  bool direct = false;
  ChecksumKind checksum = ChecksumKind::crc32c;
  bool simulate_uring_refusal = false;   // test hooks, as in JobSpec
  bool simulate_direct_refusal = false;
};

struct CopyResult {
  std::uint64_t bytes = 0;
  double copy_s = 0;              // reads, writes and the final fsync
  double verify_s = 0;            // reading the destination back
  std::string engine;             // the engine that ran
  std::string engine_fallback;    // why not the one asked for
  bool direct = false;
  std::string direct_fallback;
  std::uint64_t source_checksum = 0;
  std::uint64_t destination_checksum = 0;
  bool interrupted = false;
};

// Copies `source` into `destination` (a file csc created, empty). Throws IoError on failure and
// std::invalid_argument for an impossible spec; a checksum difference is reported in the result
// (source_checksum != destination_checksum), never thrown.
CopyResult copy_file(const TestFile& source, TestFile& destination, const CopySpec& spec, const RunHooks& hooks);

}  // namespace csc::io
