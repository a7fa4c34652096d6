// ByteSource: the sequential byte stream under the CSV and .npy readers (a file, stdin as "-", or a
// std::istream for tests and fuzzing), read in large chunks so no reader ever needs the whole file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>

namespace csc::io {

class ByteSource {
 public:
  // Opens `path` for reading; "-" is stdin. Throws csc::Error (runtime_failure) when it cannot be opened.
  explicit ByteSource(const std::string& path);
  // Reads from `in` (not owned; must outlive the source); `name` is what messages call it.
  ByteSource(std::istream& in, std::string name);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to `size` bytes; returns fewer only at the end of the input. Throws on a read error.
  std::size_t read(char* destination, std::size_t size);

  // The name used in messages: the path, or "<stdin>".
  const std::string& name() const { return name_; }
  // The size of a regular file (lets readers reject an impossible length before allocating).
  std::optional<std::uint64_t> size() const { return size_; }
  // Bytes delivered by read() so far.
  std::uint64_t position() const { return position_; }

 private:
  std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
  std::istream* stream_ = nullptr;
  std::optional<std::uint64_t> size_;
  std::uint64_t position_ = 0;
};

// "<stdin>" for "-", else the path itself: how messages name an input.
std::string display_name(const std::string& path);

}  // namespace csc::io
