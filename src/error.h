// csc::Error: an error with the exit status it maps to; thrown anywhere, turned into output only in main.
#pragma once

#include <stdexcept>
#include <string>

namespace csc {

// Exit statuses of CONVENTIONS.md §3, the only list of them.
enum class ExitCode : int {
  ok = 0,
  runtime_failure = 1,     // I/O error, verification failed, out of memory
  usage = 2,               // bad options (CLI11's own errors are mapped here too)
  bad_input = 3,           // the data cannot be used: ragged, non-numeric, NaN, wrong shape...
  device_unavailable = 4,  // --device cuda without a usable CUDA device
  interrupted = 130,       // Ctrl-C, after cleaning up
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// Bad input data; `where` is "file:line:column" (or "file:line", or "file") when known.
inline Error input_error(const std::string& where, const std::string& what) {
  return Error(ExitCode::bad_input, where.empty() ? what : where + ": " + what);
}
inline Error usage_error(const std::string& what) { return Error(ExitCode::usage, what); }
inline Error runtime_error(const std::string& what) { return Error(ExitCode::runtime_failure, what); }

}  // namespace csc
