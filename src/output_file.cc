// OutputFile (temporary file + rename, never clobbering without force) and the matrix writers.
#include "src/output_file.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "src/error.h"
#include "src/npy.h"

namespace csc::io {

namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

// Temporary paths a signal handler may unlink; a slot is cleared before its path is renamed or freed.
std::array<std::atomic<const char*>, 64> pending_outputs{};

int register_pending(const char* path) {
  for (std::size_t i = 0; i < pending_outputs.size(); ++i) {
    const char* expected = nullptr;
    if (pending_outputs[i].compare_exchange_strong(expected, path)) return static_cast<int>(i);
  }
  return -1;  // more than 64 open outputs: they still clean up on unwinding
}

void unregister_pending(int& slot) {
  if (slot >= 0) pending_outputs[static_cast<std::size_t>(slot)].store(nullptr);
  slot = -1;
}

mode_t process_umask() {
  // umask can only be read by setting it; do it once, before outputs run on several threads.
  static const mode_t mask = [] {
    const mode_t old = ::umask(022);
    ::umask(old);
    return old;
  }();
  return mask;
}

[[noreturn]] void exists_error(const std::string& path) {
  throw runtime_error(fmt::format("{} exists, pass --force to overwrite", path));
}

bool ends_with_ci(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = text[text.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

template <class T>
void write_csv_body(OutputFile& out, std::span<const T> values, std::size_t rows, std::size_t cols, char separator,
                    const MatrixWriteOptions& options) {
  if (values.size() != rows * cols) throw std::invalid_argument("write_matrix_csv: values.size() != rows * cols");
  if (!options.column_names.empty() && options.column_names.size() != cols)
    throw std::invalid_argument("write_matrix_csv: one column name per column");
  const bool with_labels = !options.labels.empty();
  if (with_labels && options.labels.size() != rows) throw std::invalid_argument("write_matrix_csv: one label per row");
  fmt::memory_buffer text;
  const auto flush_if_full = [&] {
    if (text.size() >= kBufferBytes) {
      out.write(std::string_view(text.data(), text.size()));
      text.clear();
    }
  };
  if (!options.column_names.empty()) {
    if (with_labels) {
      fmt::format_to(std::back_inserter(text), "{}{}", csv_escape(options.label_name, separator), separator);
    }
    for (std::size_t c = 0; c < cols; ++c) {
      if (c > 0) text.push_back(separator);
      const std::string escaped = csv_escape(options.column_names[c], separator);
      text.append(escaped.data(), escaped.data() + escaped.size());
    }
    text.push_back('\n');
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (with_labels) {
      fmt::format_to(std::back_inserter(text), "{}{}", csv_escape(options.labels[r], separator), separator);
    }
    const T* row = values.data() + r * cols;
    for (std::size_t c = 0; c < cols; ++c) {
      if (c > 0) text.push_back(separator);
      // fmt's default is the shortest text that parses back to the same value (for double or float).
      fmt::format_to(std::back_inserter(text), "{}", row[c]);
    }
    text.push_back('\n');
    flush_if_full();
  }
  out.write(std::string_view(text.data(), text.size()));
}

template <class T>
void write_matrix(const std::string& path, std::span<const T> values, std::size_t rows, std::size_t cols,
                  const MatrixWriteOptions& options) {
  if (values.size() != rows * cols) throw std::invalid_argument("write_matrix_file: values.size() != rows * cols");
  const OutputFormat format = options.format.value_or(output_format_for_path(path));
  OutputFile out(path, options.force);
  if (format == OutputFormat::npy) {
    const std::array<std::uint64_t, 2> shape{rows, cols};
    write_npy(out, npy_dtype_of<T>(), shape, values.data());
  } else {
    write_csv_body(out, values, rows, cols, format == OutputFormat::tsv ? '\t' : ',', options);
  }
  out.commit();
}

}  // namespace

OutputFile::OutputFile(std::string path, bool force) : path_(std::move(path)), force_(force) {
  if (path_.empty()) throw usage_error("an output file name is empty, give a path");
  buffer_.resize(kBufferBytes);
  if (path_ == "-") {
    to_stdout_ = true;
    fd_ = STDOUT_FILENO;
    return;
  }
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw runtime_error(fmt::format("{} is a directory, give a file name", path_));
    if (!force_) exists_error(path_);
  }
  const std::size_t slash = path_.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  // Keep the temporary name under NAME_MAX however long the destination's name is.
  temp_path_ = fmt::format("{}/.{}.tmp-XXXXXX", directory, base.substr(0, 200));
  const mode_t mask = process_umask();
  fd_ = ::mkostemp(temp_path_.data(), O_CLOEXEC);
  if (fd_ < 0)
    throw runtime_error(fmt::format("cannot create a file in {} for {}: {}", directory, path_, std::strerror(errno)));
  registry_slot_ = register_pending(temp_path_.c_str());
  // mkstemp makes the file 0600; give it the mode a plain open() would.
  ::fchmod(fd_, 0666 & ~mask);
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

void OutputFile::discard() noexcept {
  if (to_stdout_) return;
  unregister_pending(registry_slot_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void OutputFile::write(std::string_view bytes) { write(bytes.data(), bytes.size()); }

void OutputFile::write(const void* data, std::size_t size) {
  if (committed_ || fd_ < 0) throw std::logic_error("OutputFile::write after commit");
  const char* bytes = static_cast<const char*>(data);
  if (buffered_ + size > buffer_.size()) flush();
  if (size >= buffer_.size()) {
    write_through(bytes, size);  // large blocks skip the buffer
    return;
  }
  if (size > 0) std::memcpy(buffer_.data() + buffered_, bytes, size);
  buffered_ += size;
}

void OutputFile::flush() {
  const std::size_t size = buffered_;
  buffered_ = 0;
  write_through(buffer_.data(), size);
}

void OutputFile::write_through(const char* bytes, std::size_t size) {
  while (size > 0) {
    const ssize_t done = ::write(fd_, bytes, size);
    if (done < 0) {
      if (errno == EINTR) continue;
      throw runtime_error(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    }
    bytes += done;
    size -= static_cast<std::size_t>(done);
  }
}

void OutputFile::commit() {
  if (committed_) return;
  flush();
  if (to_stdout_) {
    committed_ = true;
    return;
  }
  // Sync before the rename so that after a power loss the destination is the old or the new file.
  if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS)
    throw runtime_error(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) throw runtime_error(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
  unregister_pending(registry_slot_);
  int renamed;
  if (force_) {
    renamed = ::rename(temp_path_.c_str(), path_.c_str());
  } else {
    // The destination may have appeared while csc ran: only an atomic no-replace rename (or a hard
    // link, which fails when the name exists) keeps the promise not to overwrite it.
    renamed = ::renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE);
    if (renamed != 0 && (errno == EINVAL || errno == ENOSYS)) {  // a file system without RENAME_NOREPLACE
      renamed = ::link(temp_path_.c_str(), path_.c_str());
      if (renamed == 0) ::unlink(temp_path_.c_str());
    }
    if (renamed != 0 && errno == EEXIST) {
      discard();
      exists_error(path_);
    }
  }
  if (renamed != 0) {
    const int saved = errno;
    discard();
    throw runtime_error(fmt::format("cannot create {}: {}", path_, std::strerror(saved)));
  }
  committed_ = true;
}

void remove_pending_outputs() noexcept {
  for (auto& slot : pending_outputs) {
    const char* path = slot.exchange(nullptr);
    if (path != nullptr) ::unlink(path);
  }
}

OutputFormat output_format_for_path(std::string_view path) {
  if (ends_with_ci(path, ".npy")) return OutputFormat::npy;
  if (ends_with_ci(path, ".tsv") || ends_with_ci(path, ".tab")) return OutputFormat::tsv;
  return OutputFormat::csv;
}

std::string csv_escape(std::string_view field, char separator) {
  const bool needs_quotes = field.find_first_of(std::string{separator, '"', '\n', '\r'}) != std::string_view::npos ||
                            (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!needs_quotes) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
  return out;
}

void write_matrix_csv(OutputFile& out, std::span<const double> values, std::size_t rows, std::size_t cols,
                      char separator, const MatrixWriteOptions& options) {
  write_csv_body(out, values, rows, cols, separator, options);
}

void write_matrix_csv(OutputFile& out, std::span<const float> values, std::size_t rows, std::size_t cols,
                      char separator, const MatrixWriteOptions& options) {
  write_csv_body(out, values, rows, cols, separator, options);
}

void write_matrix_file(const std::string& path, std::span<const double> values, std::size_t rows, std::size_t cols,
                       const MatrixWriteOptions& options) {
  write_matrix(path, values, rows, cols, options);
}

void write_matrix_file(const std::string& path, std::span<const float> values, std::size_t rows, std::size_t cols,
                       const MatrixWriteOptions& options) {
  write_matrix(path, values, rows, cols, options);
}

}  // namespace csc::io
