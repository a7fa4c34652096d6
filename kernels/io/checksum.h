// Block checksums for --verify and copy: CRC-32C (Castagnoli) and XXH64, both written from their specs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace csc::io {

enum class ChecksumKind { crc32c, xxhash };

const char* checksum_name(ChecksumKind kind);
std::optional<ChecksumKind> parse_checksum(std::string_view name);

// CRC-32C of `data`, continuing from `previous` (the CRC of the bytes before it; 0 to start).
// Uses the SSE4.2 crc32 instruction when the CPU has it, else a slicing-by-8 table.
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t previous = 0);
// The two implementations behind crc32c(), exposed so tests check both on every machine.
std::uint32_t crc32c_portable(const void* data, std::size_t size, std::uint32_t previous = 0);
std::uint32_t crc32c_sse42(const void* data, std::size_t size, std::uint32_t previous = 0);
bool crc32c_has_sse42();

// XXH64 (xxHash, 64-bit) of `data` with `seed`.
std::uint64_t xxhash64(const void* data, std::size_t size, std::uint64_t seed = 0);

// XXH64 over a stream of pieces, for files read block by block.
class Xxhash64Stream {
 public:
  explicit Xxhash64Stream(std::uint64_t seed = 0);
  void update(const void* data, std::size_t size);
  std::uint64_t digest() const;

 private:
  std::uint64_t acc_[4];
  std::uint64_t seed_;
  std::uint64_t total_ = 0;
  unsigned char pending_[32];
  std::size_t pending_size_ = 0;
};

// Either checksum through one interface: the file copy streams through this.
class StreamChecksum {
 public:
  explicit StreamChecksum(ChecksumKind kind) : kind_(kind) {}
  void update(const void* data, std::size_t size);
  std::uint64_t value() const { return kind_ == ChecksumKind::crc32c ? crc_ : xx_.digest(); }

 private:
  ChecksumKind kind_;
  std::uint32_t crc_ = 0;
  Xxhash64Stream xx_;
};

// One call for a whole buffer: the 32-bit CRC widened, or XXH64 with seed 0.
std::uint64_t checksum(ChecksumKind kind, const void* data, std::size_t size);

}  // namespace csc::io
