// Laying out a created test file before a job: reserving its blocks and, when the job reads, writing
// real data (random bytes, or --verify blocks) so reads are not served from holes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "kernels/io/checksum.h"

namespace csc::io {

struct LayoutSpec {
  std::uint64_t size = 0;
  std::uint64_t block_size = 4096;
  bool write_data = true;                // false: only reserve the space (write-only jobs, as fio)
  std::optional<ChecksumKind> verify;    // write verify blocks with `seed` instead of random bytes
  std::uint64_t seed = 1;
};

// The seed of blocks laid out for a verified job, distinct from the job's own so a block the job was
// supposed to rewrite but did not is caught.
constexpr std::uint64_t layout_seed(std::uint64_t job_seed) { return job_seed ^ 0xA5A5A5A5A5A5A5A5ULL; }

// Writes the layout and fsyncs it. Returns false when `stop` asked to stop. Throws IoError (ENOSPC...).
bool lay_out_file(int fd, const LayoutSpec& spec, const std::function<bool()>& stop);

}  // namespace csc::io
