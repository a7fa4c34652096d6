// mincore over a read-only mapping (mapping a file faults nothing in), posix_fadvise, buffered reads.
#include "kernels/io/file_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "kernels/io/io_error.h"

namespace csc::io {

double resident_fraction(int fd, std::uint64_t size) {
  if (size == 0) return 0.0;
  const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  constexpr std::uint64_t kWindow = std::uint64_t{1} << 30;  // map 1 GiB at a time
  std::uint64_t resident = 0;
  std::uint64_t pages = 0;
  std::vector<unsigned char> vec;
  for (std::uint64_t at = 0; at < size; at += kWindow) {
    const std::uint64_t length = std::min(kWindow, size - at);
    void* map = mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(at));
    if (map == MAP_FAILED) return -1.0;
    const std::uint64_t n = (length + page - 1) / page;
    vec.assign(n, 0);
    const int rc = mincore(map, length, vec.data());
    munmap(map, length);
    if (rc != 0) return -1.0;
    for (unsigned char v : vec) resident += v & 1u;
    pages += n;
  }
  return static_cast<double>(resident) / static_cast<double>(pages);
}

void evict_from_page_cache(int fd, bool flush_first) {
  if (flush_first && fsync(fd) != 0) throw IoError(errno, "fsync before evicting the page cache: " + errno_text(errno));
  const int rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  if (rc != 0) throw IoError(rc, "posix_fadvise(DONTNEED): " + errno_text(rc));
}

void load_into_page_cache(int fd, std::uint64_t size, const std::function<bool()>& stop) {
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  std::vector<char> buffer(kChunk);
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  for (std::uint64_t at = 0; at < size;) {
    if (stop && stop()) return;
    const ssize_t n = pread(fd, buffer.data(), kChunk, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError(errno, "reading the file into the page cache: " + errno_text(errno));
    if (n == 0) break;
    at += static_cast<std::uint64_t>(n);
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL);
}

}  // namespace csc::io
