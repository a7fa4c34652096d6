// OutputFile: every file csc writes goes to a temporary name beside its destination and is renamed
// over it on commit, so an error, an exception or Ctrl-C never leaves a half-written file. Plus the
// matrix writers (CSV/TSV/.npy by extension) that subcommands use for --*-out options.
//
// An existing destination is kept unless `force` is true: OutputFile throws csc::Error with
// ExitCode::runtime_failure (exit 1) and "<path> exists, pass --force to overwrite". Exit 1 rather
// than 2 (usage) because the options are well-formed; it is the file system that is in the way.
// The check runs when the OutputFile is created (before any work) and again, atomically, at commit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace csc::io {

class OutputFile {
 public:
  // Creates ".<name>.tmp-XXXXXX" in the destination's directory. "-" writes straight to stdout
  // (nothing to rename). Throws csc::Error (runtime_failure) when `path` exists and !force, when it
  // is a directory, or when the directory is not writable.
  OutputFile(std::string path, bool force);
  // Without commit(): closes and removes the temporary file.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  void write(const void* data, std::size_t size);
  // Flushes, syncs and renames the temporary file to the destination. Throws csc::Error on failure
  // (the temporary file is removed then).
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  void flush();
  void write_through(const char* bytes, std::size_t size);
  void discard() noexcept;

  std::string path_;
  std::string temp_path_;
  bool force_;
  int fd_ = -1;
  bool to_stdout_ = false;
  bool committed_ = false;
  int registry_slot_ = -1;
  std::vector<char> buffer_;
  std::size_t buffered_ = 0;
};

// Unlinks the temporary files of every live OutputFile. Async-signal-safe: for a signal handler
// that ends the process without unwinding (normal Ctrl-C handling unwinds and needs no call).
void remove_pending_outputs() noexcept;

enum class OutputFormat { csv, tsv, npy };

// .npy -> npy, .tsv/.tab -> tsv, anything else (and "-") -> csv; any case.
OutputFormat output_format_for_path(std::string_view path);

struct MatrixWriteOptions {
  std::vector<std::string> column_names;  // CSV/TSV header row when non-empty (one name per column)
  std::span<const std::string> labels;    // CSV/TSV: a first column of row labels when non-empty
  std::string label_name = "label";       // its header name
  bool force = false;                     // replace an existing file
  std::optional<OutputFormat> format;     // overrides the extension
};

// Writes a rows x cols row-major matrix to `path` (CSV/TSV/.npy chosen by extension or options.format)
// through an OutputFile. CSV numbers are the shortest text that reads back to the same double (or
// float). .npy holds numbers only: column names and labels are not written to it.
void write_matrix_file(const std::string& path, std::span<const double> values, std::size_t rows, std::size_t cols,
                       const MatrixWriteOptions& options = {});
void write_matrix_file(const std::string& path, std::span<const float> values, std::size_t rows, std::size_t cols,
                       const MatrixWriteOptions& options = {});

// The CSV/TSV body on its own, for callers that hold an OutputFile (fields are quoted when needed).
void write_matrix_csv(OutputFile& out, std::span<const double> values, std::size_t rows, std::size_t cols,
                      char separator, const MatrixWriteOptions& options = {});
void write_matrix_csv(OutputFile& out, std::span<const float> values, std::size_t rows, std::size_t cols,
                      char separator, const MatrixWriteOptions& options = {});

// `field` quoted per RFC 4180 when it holds the separator, a quote, a line break or outer spaces.
std::string csv_escape(std::string_view field, char separator);

}  // namespace csc::io
