// The async copy: byte-identical output (compared in the test with a plain read of both files), equal
// checksums (against a one-shot checksum of the source computed here), every engine, odd sizes.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "io_test_support.h"
#include "kernels/io/file_copy.h"
#include "kernels/io/random.h"

using namespace csc::io;
using csc::io::test::ScratchDir;

namespace {

std::vector<char> read_all(const std::string& path) {
  std::vector<char> data;
  const int fd = open(path.c_str(), O_RDONLY);
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) data.insert(data.end(), buffer, buffer + n);
  close(fd);
  return data;
}

std::string make_source(const std::string& dir, std::size_t size) {
  const std::string path = dir + "/source.bin";
  std::vector<char> data(size);
  Xoshiro256 rng(size);
  for (auto& c : data) c = static_cast<char>(rng.next());
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  close(fd);
  return path;
}

}  // namespace

TEST_CASE("copy is byte-identical and checksum-verified with every copy engine and odd sizes") {
  for (const char* engine : {"io_uring", "threadpool", "psync"})
    for (std::size_t size : {0ul, 1ul, 4095ul, 65536ul, 3 * 1048576ul + 777})
      for (bool direct : {false, true}) {
        CAPTURE(engine);
        CAPTURE(size);
        CAPTURE(direct);
        ScratchDir dir;
        const std::string source_path = make_source(dir.path(), size);
        TestFile source = TestFile::open_existing(source_path);
        TestFile destination = TestFile::create(dir.path(), true);
        CopySpec spec;
        spec.engine = engine;
        spec.block_size = 64 * 1024;
        spec.depth = 4;
        spec.direct = direct;
        const CopyResult r = copy_file(source, destination, spec, {});
        CHECK(r.bytes == size);
        CHECK(r.engine == engine);
        const std::vector<char> original = read_all(source_path);
        CHECK(r.source_checksum == checksum(ChecksumKind::crc32c, original.data(), original.size()));
        CHECK(r.destination_checksum == r.source_checksum);
        CHECK(read_all(destination.path()) == original);
      }
}

TEST_CASE("copy falls back to the thread pool when io_uring is refused") {
  ScratchDir dir;
  TestFile source = TestFile::open_existing(make_source(dir.path(), 100000));
  TestFile destination = TestFile::create(dir.path(), true);
  CopySpec spec;
  spec.simulate_uring_refusal = true;
  spec.checksum = ChecksumKind::xxhash;
  const CopyResult r = copy_file(source, destination, spec, {});
  CHECK(r.engine == "threadpool");
  CHECK(r.engine_fallback.find("EPERM") != std::string::npos);
  CHECK(r.destination_checksum == r.source_checksum);
}

TEST_CASE("copy refuses the mmap engine and a destination it did not create") {
  ScratchDir dir;
  const std::string path = make_source(dir.path(), 1000);
  TestFile source = TestFile::open_existing(path);
  TestFile not_ours = TestFile::open_existing(path);
  TestFile destination = TestFile::create(dir.path(), true);
  CopySpec spec;
  spec.engine = "mmap";
  CHECK_THROWS_AS(copy_file(source, destination, spec, {}), std::invalid_argument);
  spec.engine = "io_uring";
  CHECK_THROWS_AS(copy_file(source, not_ours, spec, {}), std::invalid_argument);
}

TEST_CASE("an interrupted copy stops and says so") {
  ScratchDir dir;
  TestFile source = TestFile::open_existing(make_source(dir.path(), 4 << 20));
  TestFile destination = TestFile::create(dir.path(), true);
  CopySpec spec;
  spec.block_size = 4096;
  int polls = 0;
  const CopyResult r = copy_file(source, destination, spec, RunHooks{[&] { return ++polls > 3; }});
  CHECK(r.interrupted);
}
