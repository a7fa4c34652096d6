// pread/pwrite until the request is done, an error occurs or the file ends.
#include "kernels/io/sync_transfer.h"

#include <unistd.h>

#include <cerrno>

namespace csc::io {

std::int64_t sync_transfer(int fd, const IoRequest& r) {
  std::uint64_t done = 0;
  auto* p = static_cast<char*>(r.buffer);
  while (done < r.length) {
    const ssize_t n = r.dir == IoDir::read ? pread(fd, p + done, r.length - done, r.offset + done)
                                           : pwrite(fd, p + done, r.length - done, r.offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) break;
    done += static_cast<std::uint64_t>(n);
  }
  return static_cast<std::int64_t>(done);
}

}  // namespace csc::io
