// Verify blocks: a freshly filled block checks out; any flipped byte, a wrong offset, block size or
// algorithm is named.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kernels/io/verify_block.h"

using namespace csc::io;

TEST_CASE("a filled block verifies and reports its seed") {
  for (ChecksumKind kind : {ChecksumKind::crc32c, ChecksumKind::xxhash})
    for (std::size_t bs : {64u, 100u, 512u, 4096u}) {
      std::vector<unsigned char> block(bs);
      fill_verify_block(block.data(), bs, 8192, 77, kind);
      const BlockCheck check = check_verify_block(block.data(), bs, 8192, kind);
      CHECK(check.ok);
      CHECK(check.seed == 77u);
    }
}

TEST_CASE("contents depend on offset and seed") {
  std::vector<unsigned char> a(512), b(512), c(512);
  fill_verify_block(a.data(), 512, 0, 1, ChecksumKind::crc32c);
  fill_verify_block(b.data(), 512, 512, 1, ChecksumKind::crc32c);
  fill_verify_block(c.data(), 512, 0, 2, ChecksumKind::crc32c);
  CHECK(std::vector<unsigned char>(a.begin() + 40, a.end()) != std::vector<unsigned char>(b.begin() + 40, b.end()));
  CHECK(std::vector<unsigned char>(a.begin() + 40, a.end()) != std::vector<unsigned char>(c.begin() + 40, c.end()));
}

TEST_CASE("every single flipped byte is caught") {
  for (ChecksumKind kind : {ChecksumKind::crc32c, ChecksumKind::xxhash}) {
    std::vector<unsigned char> block(512);
    fill_verify_block(block.data(), block.size(), 4096, 5, kind);
    for (std::size_t i = 0; i < block.size(); ++i) {
      block[i] ^= 0x01;
      CAPTURE(i);
      CHECK_FALSE(check_verify_block(block.data(), block.size(), 4096, kind).ok);
      block[i] ^= 0x01;
    }
    CHECK(check_verify_block(block.data(), block.size(), 4096, kind).ok);
  }
}

TEST_CASE("mismatches are named") {
  std::vector<unsigned char> block(4096);
  fill_verify_block(block.data(), block.size(), 4096, 5, ChecksumKind::crc32c);
  CHECK(check_verify_block(block.data(), block.size(), 0, ChecksumKind::crc32c).problem.find("offset 4096") !=
        std::string::npos);
  CHECK(check_verify_block(block.data(), block.size(), 4096, ChecksumKind::xxhash).problem.find("algorithm") !=
        std::string::npos);
  CHECK(check_verify_block(block.data(), 2048, 4096, ChecksumKind::crc32c).problem.find("--bs 4096") !=
        std::string::npos);
  block[1000] ^= 0xFF;
  CHECK(check_verify_block(block.data(), block.size(), 4096, ChecksumKind::crc32c).problem.find("crc32c mismatch") !=
        std::string::npos);
  std::vector<unsigned char> zeros(4096, 0);
  CHECK(check_verify_block(zeros.data(), zeros.size(), 0, ChecksumKind::crc32c).problem.find("no verify header") !=
        std::string::npos);
}
