// Test files: O_EXCL creation under the csc-iobench- prefix, removal on every path, read-only opening
// of a user's file, and refusal of directories.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "io_test_support.h"
#include "kernels/io/file_cache.h"
#include "kernels/io/io_error.h"
#include "kernels/io/test_file.h"

using namespace csc::io;
using csc::io::test::ScratchDir;

TEST_CASE("an unnamed test file leaves no name behind, even while open") {
  ScratchDir dir;
  TestFile file = TestFile::create(dir.path(), false);
  CHECK(file.created());
  CHECK_FALSE(file.named());
  CHECK(dir.entries().empty());
  CHECK(write(file.fd(), "x", 1) == 1);
  const int again = file.reopen(O_RDONLY);
  REQUIRE(again >= 0);  // reachable through /proc/self/fd after the name is gone
  char c = 0;
  CHECK(pread(again, &c, 1, 0) == 1);
  CHECK(c == 'x');
  close(again);
}

TEST_CASE("a named test file carries the prefix and is removed unless kept") {
  ScratchDir dir;
  std::string path;
  {
    TestFile file = TestFile::create(dir.path(), true);
    path = file.path();
    REQUIRE(dir.entries().size() == 1);
    CHECK(dir.entries()[0].rfind(kTestFilePrefix, 0) == 0);
  }
  CHECK(dir.entries().empty());
  {
    TestFile file = TestFile::create(dir.path(), true);
    file.keep();
  }
  CHECK(dir.entries().size() == 1);
}

TEST_CASE("O_EXCL: an existing name is never reused or truncated") {
  ScratchDir dir;
  const std::string path = dir.path() + "/precious";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  REQUIRE(write(fd, "data", 4) == 4);
  close(fd);
  try {
    TestFile::create_at(path);
    FAIL("create_at opened an existing file");
  } catch (const IoError& e) {
    CHECK(e.error_number() == EEXIST);
  }
  TestFile existing = TestFile::open_existing(path);
  CHECK(existing.size() == 4u);
  CHECK(write(existing.fd(), "x", 1) < 0);  // opened read-only
}

TEST_CASE("directories, devices and missing paths are refused") {
  ScratchDir dir;
  CHECK_THROWS_AS(TestFile::open_existing(dir.path()), IoError);
  CHECK_THROWS_AS(TestFile::open_existing("/dev/null"), IoError);
  CHECK_THROWS_AS(TestFile::open_existing(dir.path() + "/missing"), IoError);
  CHECK_THROWS_AS(TestFile::create(dir.path() + "/missing", false), IoError);
  CHECK_THROWS_AS(free_bytes(dir.path() + "/missing"), IoError);
  CHECK(free_bytes(dir.path()) > 0);
}

TEST_CASE("renaming a created file keeps it under the new name") {
  ScratchDir dir;
  const std::string target = dir.path() + "/final";
  {
    TestFile file = TestFile::create(dir.path(), true);
    file.rename_to(target, false);
  }
  REQUIRE(dir.entries().size() == 1);
  CHECK(dir.entries()[0] == "final");
  TestFile second = TestFile::create(dir.path(), true);
  CHECK_THROWS_AS(second.rename_to(target, false), IoError);  // never replaces without being told
  second.rename_to(target, true);
  CHECK(dir.entries().size() == 1);
}

TEST_CASE("page-cache residency follows eviction and loading") {
  ScratchDir dir;
  TestFile file = TestFile::create(dir.path(), false);
  std::string block(1 << 20, 'a');
  for (int i = 0; i < 4; ++i) REQUIRE(write(file.fd(), block.data(), block.size()) == static_cast<ssize_t>(block.size()));
  evict_from_page_cache(file.fd(), true);
  const double cold = resident_fraction(file.fd(), 4 << 20);
  load_into_page_cache(file.fd(), 4 << 20, {});
  const double warm = resident_fraction(file.fd(), 4 << 20);
  CHECK(warm == doctest::Approx(1.0));
  if (!dir.on_tmpfs()) CHECK(cold < 0.05);
  CHECK(resident_fraction(file.fd(), 0) == 0.0);
}
