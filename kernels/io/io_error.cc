// errno as "ENAME (description)", via glibc's strerrorname_np.
#include "kernels/io/io_error.h"

#include <cstring>

namespace csc::io {

std::string errno_text(int err) {
  const char* name = strerrorname_np(err);
  return std::string(name ? name : "errno " + std::to_string(err)) + " (" + std::strerror(err) + ")";
}

}  // namespace csc::io
