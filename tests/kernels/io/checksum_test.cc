// CRC-32C and XXH64 against published test vectors (not against this code's own output).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "kernels/io/checksum.h"
#include "kernels/io/random.h"

using namespace csc::io;

namespace {

// RFC 3720 (iSCSI) appendix B.4 CRC-32C examples, and the CRC catalogue's check value for "123456789".
struct CrcVector {
  std::vector<unsigned char> data;
  std::uint32_t crc;
};

std::vector<CrcVector> rfc3720_vectors() {
  std::vector<unsigned char> zeros(32, 0), ones(32, 0xFF), up(32), down(32);
  std::iota(up.begin(), up.end(), 0);
  for (int i = 0; i < 32; ++i) down[i] = static_cast<unsigned char>(31 - i);
  const std::string check = "123456789";
  return {{zeros, 0x8A9136AAu},
          {ones, 0x62A8AB43u},
          {up, 0x46DD794Eu},
          {down, 0x113FDB5Cu},
          {std::vector<unsigned char>(check.begin(), check.end()), 0xE3069283u}};
}

// xxHash's own sanity-check buffer (cli/xsum_sanity_check.c, XSUM_fillTestBuffer).
std::vector<unsigned char> xxhash_test_buffer(std::size_t n) {
  constexpr std::uint64_t kPrime32 = 2654435761u;
  constexpr std::uint64_t kPrime64 = 11400714785074694797ull;
  std::vector<unsigned char> buffer(n);
  std::uint64_t gen = kPrime32;
  for (auto& byte : buffer) {
    byte = static_cast<unsigned char>(gen >> 56);
    gen *= kPrime64;
  }
  return buffer;
}

}  // namespace

TEST_CASE("crc32c matches RFC 3720 and the catalogue check value, both implementations") {
  for (const auto& v : rfc3720_vectors()) {
    CHECK(crc32c_portable(v.data.data(), v.data.size()) == v.crc);
    if (crc32c_has_sse42()) CHECK(crc32c_sse42(v.data.data(), v.data.size()) == v.crc);
    CHECK(crc32c(v.data.data(), v.data.size()) == v.crc);
  }
  if (!crc32c_has_sse42()) MESSAGE("no SSE4.2 on this CPU: the hardware CRC path was not exercised");
}

TEST_CASE("crc32c continues across pieces and both implementations agree on awkward lengths") {
  const std::string check = "123456789";
  const std::uint32_t first = crc32c(check.data(), 4);
  CHECK(crc32c(check.data() + 4, 5, first) == 0xE3069283u);
  std::vector<unsigned char> data(1000);
  Xoshiro256 rng(7);
  for (auto& b : data) b = static_cast<unsigned char>(rng.next());
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 65u, 999u, 1000u})
    for (std::size_t offset : {0u, 1u, 3u})
      if (offset + n <= data.size())
        CHECK(crc32c_sse42(data.data() + offset, n) == crc32c_portable(data.data() + offset, n));
  CHECK(crc32c(data.data(), 0) == 0u);
}

TEST_CASE("xxhash64 matches xxHash's published sanity vectors") {
  constexpr std::uint64_t kPrime32 = 2654435761u;
  const auto buffer = xxhash_test_buffer(222);
  struct Vector {
    std::size_t length;
    std::uint64_t seed;
    std::uint64_t hash;
  };
  const Vector vectors[] = {
      {0, 0, 0xEF46DB3751D8E999ull},   {0, kPrime32, 0xAC75FDA2929B17EFull},
      {1, 0, 0xE934A84ADB052768ull},   {1, kPrime32, 0x5014607643A9B4C3ull},
      {4, 0, 0x9136A0DCA57457EEull},   {14, 0, 0x8282DCC4994E35C8ull},
      {14, kPrime32, 0xC3BD6BF63DEB6DF0ull}, {222, 0, 0xB641AE8CB691C174ull},
      {222, kPrime32, 0x20CB8AB7AE10C14Aull},
  };
  for (const auto& v : vectors) {
    CAPTURE(v.length);
    CAPTURE(v.seed);
    CHECK(xxhash64(buffer.data(), v.length, v.seed) == v.hash);
    Xxhash64Stream whole(v.seed);
    whole.update(buffer.data(), v.length);
    CHECK(whole.digest() == v.hash);
    Xxhash64Stream bytewise(v.seed);
    for (std::size_t i = 0; i < v.length; ++i) bytewise.update(buffer.data() + i, 1);
    CHECK(bytewise.digest() == v.hash);
  }
}

TEST_CASE("streamed checksums equal one-shot ones for uneven pieces") {
  std::vector<unsigned char> data(5000);
  Xoshiro256 rng(3);
  for (auto& b : data) b = static_cast<unsigned char>(rng.next());
  for (ChecksumKind kind : {ChecksumKind::crc32c, ChecksumKind::xxhash}) {
    StreamChecksum stream(kind);
    std::size_t at = 0;
    for (std::size_t piece : {1u, 31u, 32u, 33u, 100u, 4096u}) {
      const std::size_t n = std::min(piece, data.size() - at);
      stream.update(data.data() + at, n);
      at += n;
    }
    stream.update(data.data() + at, data.size() - at);
    CHECK(stream.value() == checksum(kind, data.data(), data.size()));
  }
}

TEST_CASE("checksum names parse both ways") {
  CHECK(parse_checksum("crc32c") == ChecksumKind::crc32c);
  CHECK(parse_checksum("xxhash") == ChecksumKind::xxhash);
  CHECK_FALSE(parse_checksum("md5"));
  CHECK(std::string(checksum_name(ChecksumKind::xxhash)) == "xxhash");
}
