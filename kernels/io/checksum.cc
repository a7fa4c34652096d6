// CRC-32C (reflected polynomial 0x82F63B78, as in iSCSI/ext4) and XXH64 (xxHash spec, little-endian reads).
#include "kernels/io/checksum.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace csc::io {

const char* checksum_name(ChecksumKind kind) { return kind == ChecksumKind::crc32c ? "crc32c" : "xxhash"; }

std::optional<ChecksumKind> parse_checksum(std::string_view name) {
  if (name == "crc32c") return ChecksumKind::crc32c;
  if (name == "xxhash" || name == "xxhash64") return ChecksumKind::xxhash;
  return std::nullopt;
}

namespace {

// kTables[k][b]: the CRC of byte b followed by k zero bytes, so eight bytes fold in one step.
using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr CrcTables make_crc_tables() {
  CrcTables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t crc = b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    t[0][b] = crc;
  }
  for (std::size_t k = 1; k < 8; ++k)
    for (std::size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  return t;
}

constexpr CrcTables kCrcTables = make_crc_tables();

std::uint64_t load64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // x86-64 and aarch64 Linux are little-endian, as the xxHash and CRC specs read
}

std::uint32_t load32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

std::uint32_t crc32c_portable(const void* data, std::size_t size, std::uint32_t previous) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t crc = ~previous;
  for (; size >= 8; size -= 8, p += 8) {
    const std::uint64_t word = load64(p) ^ crc;
    crc = kCrcTables[7][word & 0xFF] ^ kCrcTables[6][(word >> 8) & 0xFF] ^ kCrcTables[5][(word >> 16) & 0xFF] ^
          kCrcTables[4][(word >> 24) & 0xFF] ^ kCrcTables[3][(word >> 32) & 0xFF] ^
          kCrcTables[2][(word >> 40) & 0xFF] ^ kCrcTables[1][(word >> 48) & 0xFF] ^ kCrcTables[0][word >> 56];
  }
  for (; size > 0; --size, ++p) crc = (crc >> 8) ^ kCrcTables[0][(crc ^ *p) & 0xFF];
  return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(const void* data, std::size_t size,
                                                             std::uint32_t previous) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t crc = ~previous;
  for (; size >= 8; size -= 8, p += 8) crc = _mm_crc32_u64(crc, load64(p));
  auto crc32 = static_cast<std::uint32_t>(crc);
  for (; size > 0; --size, ++p) crc32 = _mm_crc32_u8(crc32, *p);
  return ~crc32;
}

bool crc32c_has_sse42() { return __builtin_cpu_supports("sse4.2"); }
#else
std::uint32_t crc32c_sse42(const void* data, std::size_t size, std::uint32_t previous) {
  return crc32c_portable(data, size, previous);
}
bool crc32c_has_sse42() { return false; }
#endif

std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t previous) {
  static const bool hardware = crc32c_has_sse42();
  return hardware ? crc32c_sse42(data, size, previous) : crc32c_portable(data, size, previous);
}

namespace {

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

constexpr std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

std::uint64_t xx_round(std::uint64_t acc, std::uint64_t lane) {
  acc += lane * kPrime2;
  return rotl(acc, 31) * kPrime1;
}

std::uint64_t xx_merge(std::uint64_t acc, std::uint64_t value) {
  acc ^= xx_round(0, value);
  return acc * kPrime1 + kPrime4;
}

// The tail (< 32 bytes) and the final avalanche, shared by the one-shot and the streaming forms.
std::uint64_t xx_finish(std::uint64_t h, const unsigned char* p, std::size_t size) {
  for (; size >= 8; size -= 8, p += 8) h = rotl(h ^ xx_round(0, load64(p)), 27) * kPrime1 + kPrime4;
  if (size >= 4) {
    h = rotl(h ^ (std::uint64_t{load32(p)} * kPrime1), 23) * kPrime2 + kPrime3;
    size -= 4, p += 4;
  }
  for (; size > 0; --size, ++p) h = rotl(h ^ (*p * kPrime5), 11) * kPrime1;
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

std::uint64_t xx_converge(const std::uint64_t acc[4]) {
  std::uint64_t h = rotl(acc[0], 1) + rotl(acc[1], 7) + rotl(acc[2], 12) + rotl(acc[3], 18);
  for (int i = 0; i < 4; ++i) h = xx_merge(h, acc[i]);
  return h;
}

void xx_stripe(std::uint64_t acc[4], const unsigned char* p) {
  for (int i = 0; i < 4; ++i) acc[i] = xx_round(acc[i], load64(p + 8 * i));
}

void xx_init(std::uint64_t acc[4], std::uint64_t seed) {
  acc[0] = seed + kPrime1 + kPrime2;
  acc[1] = seed + kPrime2;
  acc[2] = seed;
  acc[3] = seed - kPrime1;
}

}  // namespace

std::uint64_t xxhash64(const void* data, std::size_t size, std::uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t h;
  std::size_t rest = size;
  if (size >= 32) {
    std::uint64_t acc[4];
    xx_init(acc, seed);
    for (; rest >= 32; rest -= 32, p += 32) xx_stripe(acc, p);
    h = xx_converge(acc);
  } else {
    h = seed + kPrime5;
  }
  return xx_finish(h + size, p, rest);
}

Xxhash64Stream::Xxhash64Stream(std::uint64_t seed) : seed_(seed) { xx_init(acc_, seed); }

void Xxhash64Stream::update(const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += size;
  if (pending_size_ > 0) {
    const std::size_t take = std::min(size, 32 - pending_size_);
    std::memcpy(pending_ + pending_size_, p, take);
    pending_size_ += take, p += take, size -= take;
    if (pending_size_ < 32) return;
    xx_stripe(acc_, pending_);
    pending_size_ = 0;
  }
  for (; size >= 32; size -= 32, p += 32) xx_stripe(acc_, p);
  std::memcpy(pending_, p, size);
  pending_size_ = size;
}

std::uint64_t Xxhash64Stream::digest() const {
  const std::uint64_t h = total_ >= 32 ? xx_converge(acc_) : seed_ + kPrime5;
  return xx_finish(h + total_, pending_, pending_size_);
}

void StreamChecksum::update(const void* data, std::size_t size) {
  if (kind_ == ChecksumKind::crc32c)
    crc_ = crc32c(data, size, crc_);
  else
    xx_.update(data, size);
}

std::uint64_t checksum(ChecksumKind kind, const void* data, std::size_t size) {
  return kind == ChecksumKind::crc32c ? crc32c(data, size) : xxhash64(data, size);
}

}  // namespace csc::io
