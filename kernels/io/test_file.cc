// Creating, reopening and removing the benchmark's file.
#include "kernels/io/test_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <stdio.h>  // renameat2
#include <ctime>

#include "kernels/io/io_error.h"
#include "kernels/io/random.h"

namespace csc::io {

namespace {

std::atomic<unsigned> g_sequence{0};

}  // namespace

TestFile TestFile::create(const std::string& dir, bool keep_name) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) throw IoError(errno, dir + ": " + errno_text(errno));
  if (!S_ISDIR(st.st_mode)) throw IoError(ENOTDIR, dir + ": not a directory");
  std::uint64_t seed = static_cast<std::uint64_t>(getpid()) << 32 ^ static_cast<std::uint64_t>(time(nullptr)) ^
                       g_sequence.fetch_add(1) * 0x9E3779B97F4A7C15ULL;
  for (int attempt = 0; attempt < 100; ++attempt) {
    char name[96];
    std::snprintf(name, sizeof name, "%s%d-%u-%06llx", kTestFilePrefix, static_cast<int>(getpid()),
                  g_sequence.fetch_add(1), static_cast<unsigned long long>(splitmix64(seed) & 0xFFFFFF));
    std::string path = dir + (dir.ends_with('/') ? "" : "/") + name;
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) throw IoError(errno, "cannot create a test file in " + dir + ": " + errno_text(errno));
    if (!keep_name) unlink(path.c_str());
    return TestFile(fd, std::move(path), true, keep_name);
  }
  throw IoError(EEXIST, "cannot create a test file in " + dir + ": 100 names taken");
}

TestFile TestFile::create_at(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw IoError(errno, "cannot create " + path + ": " + errno_text(errno));
  return TestFile(fd, path, true, true);
}

TestFile TestFile::open_existing(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(errno, path + ": " + errno_text(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    throw IoError(EINVAL, path + ": not a regular file (csc iobench reads regular files only, never devices)");
  }
  return TestFile(fd, path, false, true);
}

TestFile::TestFile(TestFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), created_(other.created_), named_(other.named_), keep_(other.keep_) {
  other.fd_ = -1;
  other.named_ = false;
}

TestFile::~TestFile() {
  if (created_ && named_ && !keep_) unlink(path_.c_str());
  if (fd_ >= 0) close(fd_);
}

std::uint64_t TestFile::size() const {
  struct stat st {};
  if (fstat(fd_, &st) != 0) throw IoError(errno, path_ + ": " + errno_text(errno));
  return static_cast<std::uint64_t>(st.st_size);
}

void TestFile::rename_to(const std::string& target, bool replace) {
  if (!created_ || !named_) throw IoError(EINVAL, "only a named file csc created can be renamed");
  int rc = renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), replace ? 0 : RENAME_NOREPLACE);
  if (rc != 0 && errno == EINVAL && !replace) {  // filesystem without RENAME_NOREPLACE
    struct stat st {};
    if (lstat(target.c_str(), &st) == 0) throw IoError(EEXIST, target + " exists, pass --force to overwrite");
    rc = ::rename(path_.c_str(), target.c_str());
  }
  if (rc != 0 && errno == EEXIST) throw IoError(EEXIST, target + " exists, pass --force to overwrite");
  if (rc != 0) throw IoError(errno, "cannot rename " + path_ + " to " + target + ": " + errno_text(errno));
  path_ = target;
  keep_ = true;
}

int TestFile::reopen(int flags) const {
  const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
  int fd = open(proc.c_str(), flags | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && named_) fd = open(path_.c_str(), flags | O_CLOEXEC);  // no /proc mounted
  return fd < 0 ? -errno : fd;
}

std::uint64_t free_bytes(const std::string& dir) {
  struct statvfs vfs {};
  if (statvfs(dir.c_str(), &vfs) != 0) throw IoError(errno, dir + ": " + errno_text(errno));
  return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

}  // namespace csc::io
