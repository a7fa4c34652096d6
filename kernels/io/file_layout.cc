// fallocate, then buffered writes in 1 MiB chunks, then fsync.
#include "kernels/io/file_layout.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "kernels/io/io_error.h"
#include "kernels/io/random.h"
#include "kernels/io/verify_block.h"

namespace csc::io {

namespace {

void write_all(int fd, const char* data, std::uint64_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t n = pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError(errno, "laying out the test file at offset " + std::to_string(offset) + ": " + errno_text(errno));
    data += n, size -= static_cast<std::uint64_t>(n), offset += static_cast<std::uint64_t>(n);
  }
}

}  // namespace

bool lay_out_file(int fd, const LayoutSpec& spec, const std::function<bool()>& stop) {
  if (fallocate(fd, 0, 0, static_cast<off_t>(spec.size)) != 0 && errno != EOPNOTSUPP) {
    if (errno == ENOSPC) throw IoError(ENOSPC, "no space left for a " + std::to_string(spec.size) + "-byte test file");
    throw IoError(errno, "fallocate: " + errno_text(errno));
  }
  if (ftruncate(fd, static_cast<off_t>(spec.size)) != 0) throw IoError(errno, "ftruncate: " + errno_text(errno));
  if (spec.write_data) {
    const std::uint64_t bs = spec.block_size;
    const std::uint64_t chunk = std::max<std::uint64_t>(bs, (std::uint64_t{1} << 20) / bs * bs);
    std::vector<char> buffer(chunk);
    if (!spec.verify) {
      Xoshiro256 rng(spec.seed);
      for (std::size_t i = 0; i + 8 <= buffer.size(); i += 8) {
        const std::uint64_t v = rng.next();
        std::memcpy(buffer.data() + i, &v, 8);
      }
    }
    for (std::uint64_t at = 0; at < spec.size; at += chunk) {
      if (stop && stop()) return false;
      const std::uint64_t length = std::min(chunk, spec.size - at);
      if (spec.verify)
        for (std::uint64_t b = 0; b + bs <= length; b += bs)
          fill_verify_block(buffer.data() + b, bs, at + b, layout_seed(spec.seed), *spec.verify);
      write_all(fd, buffer.data(), length, at);
    }
  }
  if (fsync(fd) != 0) throw IoError(errno, "fsync after laying out the test file: " + errno_text(errno));
  return true;
}

}  // namespace csc::io
