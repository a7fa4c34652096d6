// The one exception kernels/io throws for a failed system call, carrying the errno so callers can
// tell "refused" from "broken"; bad specs throw std::invalid_argument instead.
#pragma once

#include <stdexcept>
#include <string>

namespace csc::io {

class IoError : public std::runtime_error {
 public:
  IoError(int err, const std::string& message) : std::runtime_error(message), errno_(err) {}
  int error_number() const { return errno_; }

 private:
  int errno_;
};

// "EINVAL (Invalid argument)": the symbolic name users search for, then the description.
std::string errno_text(int err);

}  // namespace csc::io
