// Self-describing blocks for --verify: a header (magic, checksum, offset, seed, block size, algorithm)
// and a payload generated from (seed, offset), so every block read back can be checked on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "kernels/io/checksum.h"

namespace csc::io {

// Header bytes at the start of each block; the checksum covers everything after its own field.
inline constexpr std::size_t kVerifyHeaderSize = 40;

void fill_verify_block(void* block, std::size_t block_size, std::uint64_t offset, std::uint64_t seed,
                       ChecksumKind kind);

struct BlockCheck {
  bool ok = false;
  std::uint64_t seed = 0;  // the seed the block was written with (valid when ok)
  std::string problem;     // why it failed, e.g. "checksum mismatch (stored 0x..., computed 0x...)"
};

BlockCheck check_verify_block(const void* block, std::size_t block_size, std::uint64_t expected_offset,
                              ChecksumKind kind);

}  // namespace csc::io
