// ByteSource: POSIX reads for files and stdin, std::istream reads for in-memory inputs.
#include "src/byte_source.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "src/error.h"

namespace csc::io {

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

ByteSource::ByteSource(const std::string& path) : name_(display_name(path)) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw runtime_error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    owns_fd_ = true;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (owns_fd_) ::close(fd_);
      throw runtime_error(fmt::format("cannot read {}: it is a directory, give a file", name_));
    }
    if (S_ISREG(st.st_mode)) {
      size_ = static_cast<std::uint64_t>(st.st_size);
      ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
}

ByteSource::ByteSource(std::istream& in, std::string name) : name_(std::move(name)), stream_(&in) {}

ByteSource::~ByteSource() {
  if (owns_fd_) ::close(fd_);
}

std::size_t ByteSource::read(char* destination, std::size_t size) {
  std::size_t done = 0;
  if (stream_ != nullptr) {
    stream_->read(destination, static_cast<std::streamsize>(size));
    done = static_cast<std::size_t>(stream_->gcount());
    if (stream_->bad()) throw runtime_error(fmt::format("cannot read {}", name_));
  } else {
    // A pipe delivers at most its buffer per read(): loop so a short count means end of input.
    while (done < size) {
      const ssize_t got = ::read(fd_, destination + done, size - done);
      if (got < 0) {
        if (errno == EINTR) continue;
        throw runtime_error(fmt::format("cannot read {}: {}", name_, std::strerror(errno)));
      }
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
  }
  position_ += done;
  return done;
}

}  // namespace csc::io
