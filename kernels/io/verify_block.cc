// Writing and checking --verify blocks. Layout (little-endian): magic u64 | checksum u64 | offset u64 |
// seed u64 | block_size u32 | algorithm u32 | payload.
#include "kernels/io/verify_block.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "kernels/io/random.h"

namespace csc::io {

namespace {

constexpr std::uint64_t kMagic = 0x31667639534f4943ULL;  // "CIOS9vf1" read as little-endian bytes
constexpr std::size_t kChecksumAt = 8;
constexpr std::size_t kCoveredFrom = 16;

std::uint32_t algorithm_code(ChecksumKind kind) { return kind == ChecksumKind::crc32c ? 1 : 2; }

template <class T>
T read_field(const unsigned char* p, std::size_t at) {
  T v;
  std::memcpy(&v, p + at, sizeof v);
  return v;
}

template <class T>
void write_field(unsigned char* p, std::size_t at, T v) {
  std::memcpy(p + at, &v, sizeof v);
}

std::string hex(std::uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%016" PRIx64, v);
  return text;
}

}  // namespace

void fill_verify_block(void* block, std::size_t block_size, std::uint64_t offset, std::uint64_t seed,
                       ChecksumKind kind) {
  auto* p = static_cast<unsigned char*>(block);
  std::uint64_t mix = seed ^ (offset * 0x9E3779B97F4A7C15ULL);
  Xoshiro256 rng(splitmix64(mix));
  std::size_t i = kVerifyHeaderSize;
  for (; i + 8 <= block_size; i += 8) write_field(p, i, rng.next());
  for (std::uint64_t last = rng.next(); i < block_size; ++i, last >>= 8) p[i] = static_cast<unsigned char>(last);
  write_field(p, 0, kMagic);
  write_field(p, 16, offset);
  write_field(p, 24, seed);
  write_field(p, 32, static_cast<std::uint32_t>(block_size));
  write_field(p, 36, algorithm_code(kind));
  write_field(p, kChecksumAt, checksum(kind, p + kCoveredFrom, block_size - kCoveredFrom));
}

BlockCheck check_verify_block(const void* block, std::size_t block_size, std::uint64_t expected_offset,
                              ChecksumKind kind) {
  const auto* p = static_cast<const unsigned char*>(block);
  BlockCheck check;
  if (read_field<std::uint64_t>(p, 0) != kMagic) {
    check.problem = "no verify header (the block was not written by csc --verify, or it was overwritten)";
    return check;
  }
  const auto size = read_field<std::uint32_t>(p, 32);
  if (size != block_size) {
    check.problem = "block written with --bs " + std::to_string(size) + ", read with " + std::to_string(block_size);
    return check;
  }
  if (read_field<std::uint32_t>(p, 36) != algorithm_code(kind)) {
    check.problem = std::string("block written with the other --verify algorithm than ") + checksum_name(kind);
    return check;
  }
  const auto stored = read_field<std::uint64_t>(p, kChecksumAt);
  const auto computed = checksum(kind, p + kCoveredFrom, block_size - kCoveredFrom);
  if (stored != computed) {
    check.problem = std::string(checksum_name(kind)) + " mismatch (stored " + hex(stored) + ", computed " +
                    hex(computed) + ")";
    return check;
  }
  const auto offset = read_field<std::uint64_t>(p, 16);
  if (offset != expected_offset) {
    check.problem = "block belongs at offset " + std::to_string(offset) + " (misplaced write)";
    return check;
  }
  check.ok = true;
  check.seed = read_field<std::uint64_t>(p, 24);
  return check;
}

}  // namespace csc::io
