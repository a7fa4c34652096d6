// Whether io_uring can really be used here: a real io_uring_queue_init, since seccomp (Docker ≥ 25)
// or kernel.io_uring_disabled refuse it at run time while the headers and library are present.
#pragma once

#include <string>

namespace csc::platform {

struct UringProbe {
  bool usable = false;
  std::string reason;   // empty when usable, else e.g. "io_uring_queue_init: Operation not permitted"
};

UringProbe probe_io_uring();

}  // namespace csc::platform
