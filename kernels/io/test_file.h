// The file a benchmark runs on. Either created by csc (O_EXCL, prefix csc-iobench-, mode 0600) and
// removed whatever happens, or an existing file the user named, opened read-only: csc never writes
// to a file it did not create, and never to a block device.
#pragma once

#include <cstdint>
#include <string>

namespace csc::io {

inline constexpr const char* kTestFilePrefix = "csc-iobench-";

class TestFile {
 public:
  // Creates a new file in `dir`. Without `keep_name` its name is unlinked at once, so even a killed
  // csc leaves nothing behind (the space is freed when the descriptor closes). Throws IoError.
  static TestFile create(const std::string& dir, bool keep_name);
  // Creates `path` itself (O_EXCL: fails when it exists), e.g. the temporary name of a copy.
  static TestFile create_at(const std::string& path);
  // An existing regular file, opened O_RDONLY. Throws IoError (also for a directory or a device).
  static TestFile open_existing(const std::string& path);

  TestFile(TestFile&& other) noexcept;
  TestFile& operator=(TestFile&&) = delete;
  TestFile(const TestFile&) = delete;
  ~TestFile();  // closes; removes the name of a file csc created unless keep() was called

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  bool created() const { return created_; }   // csc made it, so csc may write it
  bool named() const { return named_; }       // the path still names it
  std::uint64_t size() const;                 // current length (fstat)

  // Leaves a created file in place when the object dies (--keep after a successful run).
  void keep() { keep_ = true; }
  // Renames a created, named file to `target`; the file then stays when the object dies. Without
  // `replace` an existing `target` is an error (EEXIST), checked atomically where the filesystem can.
  void rename_to(const std::string& target, bool replace);

  // A new descriptor on the same file with its own flags (e.g. O_DIRECT), via /proc/self/fd, which
  // works after the name is gone. Returns the fd or -errno.
  int reopen(int flags) const;

 private:
  TestFile(int fd, std::string path, bool created, bool named) : fd_(fd), path_(std::move(path)), created_(created), named_(named) {}
  int fd_ = -1;
  std::string path_;
  bool created_ = false;
  bool named_ = false;
  bool keep_ = false;
};

// Bytes an unprivileged user may still write in the filesystem holding `dir` (statvfs f_bavail).
// Throws IoError when statvfs fails (e.g. `dir` does not exist).
std::uint64_t free_bytes(const std::string& dir);

}  // namespace csc::io
